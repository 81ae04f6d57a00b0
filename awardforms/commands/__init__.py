"""The ways in: the command line (cli.py), `init`'s blank workbook, the watched folder;
`collect` and `serve` live here too. Each is a thin layer over build.pipeline.

May import: everything else in the package. Nothing imports commands.
"""
