"""awardforms: turn a clerk's spreadsheet of nominees into the official forms of a
Jilin provincial award campaign (评选表彰)."""

__version__ = "0.1.0"
