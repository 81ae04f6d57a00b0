"""Builds: the library surface `check` and `render` (pipeline.py) and the incremental build
state that decides which outputs are out of date (state.py).

May import: every stage below (campaigns, read, check, forms, assemble). Never commands.
"""
