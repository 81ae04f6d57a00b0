"""Exceptions of awardforms.

One base class; subclasses carry the context a clerk needs (file, sheet, cell, field).
`UnusableInput` maps to exit status 2, `CampaignDefinitionError` to a broken campaign
definition (a developer's problem, named with file and key).
"""

from __future__ import annotations


class AwardformsError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, fix: str = "", path: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.path = path

    def __str__(self) -> str:
        return f"{self.message}{self.fix}" if self.fix else self.message


class UnusableInput(AwardformsError):
    """The input cannot be read at all: not an .xlsx, unknown campaign, missing sheet."""


class CampaignDefinitionError(AwardformsError):
    """A campaign's data files are wrong (file and key named)."""


class TemplateError(AwardformsError):
    """A .docx template is broken or names a field the campaign does not have."""


class FieldProblem(Exception):
    """A cell value that fails a field check.

    Raised by the pure checking functions (idcard, phone, dates, regions, ...) and turned
    into an `Issue` with sheet and cell by the validator. `message` says what is wrong,
    `fix` how to fix it; both in Chinese, for the clerk.
    """

    def __init__(self, code: str, message: str, fix: str = "", severity: str = "error"):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.severity = severity
