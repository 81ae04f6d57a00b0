"""Planning and rendering forms: which documents each nominee gets (plan, jobs), what the
templates see (context, statistics), and .docx written from compiled templates, in-process or
on a pool of workers (render, fastrender, executor, summary).

May import: foundation modules, campaigns, read, check.
"""
