"""Issues found in a workbook, collected into a Report (never stop at the first one)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Issue:
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    severity: str
    code: str
    message: str
    fix: str = ""

    @property
    def cell(self) -> str | None:
        if self.sheet and self.row and self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        return None

    @property
    def where(self) -> str:
        """`<sheet>!J5` for a cell, `<sheet>第5行` for a row, the sheet, or 整个工作簿."""
        if self.cell:
            return self.cell
        if self.sheet and self.row:
            return f"{self.sheet}!第{self.row}行"
        return self.sheet or "整个工作簿"

    def text(self) -> str:
        """One line for the console: where, field, message, fix."""
        label = "错误" if self.severity == "error" else "提醒"
        fieldpart = f"“{self.field}”" if self.field else ""
        fix = f" 处理办法：{self.fix}" if self.fix else ""
        return f"[{label}] {self.where} {fieldpart}{self.message}{fix}"

    def as_json(self) -> dict:
        d = asdict(self)
        d["message"] = self.message + (f" 处理办法：{self.fix}" if self.fix else "")
        del d["fix"]
        return d


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)
    order: tuple[str, ...] = ()      # sheet names in the workbook's order (read.workbook)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def rows_with_errors(self) -> set[tuple[str, int]]:
        return {(i.sheet, i.row) for i in self.errors if i.sheet and i.row}

    def sorted(self) -> list[Issue]:
        """Workbook- and sheet-level issues first, then by sheet in the workbook's order (as
        the clerk sees the tabs; sheets not in `order` after, by name), row, column."""
        rank = {name: n for n, name in enumerate(self.order)}
        last = len(rank)
        return sorted(self.issues, key=lambda i: (i.row is not None, -1 if i.sheet is None else rank.get(i.sheet, last),
                                                  i.sheet or "", i.row or 0, len(i.column or ""), i.column or ""))
