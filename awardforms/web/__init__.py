"""`serve`'s web pages: clerks upload workbooks and download results, the office sees every
unit's submissions and the `collect` view over them (Flask app, SQLite state, worker processes).

May import: the foundation, campaigns, read, check, forms, assemble, build and collect.
commands/serve.py starts it; nothing but commands imports web.
"""
