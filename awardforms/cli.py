"""Command line: parse options, call the library, map its errors to exit codes.

Exit status: 0 no errors (warnings allowed); 1 the workbook has errors; 2 unusable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .campaign import campaign_ids, load_campaign
from .errors import AwardformsError
from .report import Report


def _fail(err: AwardformsError) -> None:
    click.echo(f"错误：{err}", err=True)
    sys.exit(err.exit_code)


def _print_report(report: Report) -> None:
    for issue in report.sorted():
        click.echo(issue.text())
    n_err, n_warn = len(report.errors), len(report.warnings)
    if n_err or n_warn:
        click.echo(f"共 {n_err} 个错误、{n_warn} 个提醒。")
    else:
        click.echo("检查通过：没有发现错误。")


def _json_report(sub) -> dict:
    return {"campaign": sub.campaign.id, "valid": sub.report.valid,
            "issues": [i.as_json() for i in sub.report.sorted()]}


class _Guarded(click.Group):
    """No traceback ever reaches the clerk: unexpected errors become one line plus a log file."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except AwardformsError as err:
            _fail(err)
        except Exception:  # noqa: BLE001 - last line of defence, logged in full
            import tempfile
            import traceback
            log = Path(tempfile.gettempdir()) / "awardforms-error.log"
            log.write_text(traceback.format_exc(), encoding="utf-8")
            click.echo(f"错误：程序内部出错，未能完成。详细信息已写入 {log}，请把该文件发给技术支持。", err=True)
            sys.exit(2)


PROGRESS_MIN_JOBS = 10


def _progress_bar(total: int):
    """A progress bar for long runs on a terminal; nothing otherwise."""
    from contextlib import nullcontext
    if total < PROGRESS_MIN_JOBS or not sys.stdout.isatty():
        return nullcontext()
    return click.progressbar(length=total, label="正在生成", show_pos=True)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awardforms")
def main() -> None:
    """吉林省评选表彰推荐材料生成工具：Excel 推荐对象表 → 推荐审批表、征求意见表、推荐对象汇总表。"""


@main.command()
def campaigns() -> None:
    """列出可用的评选表彰项目代码和名称。"""
    for cid in campaign_ids():
        try:
            click.echo(f"{cid}\t{load_campaign(cid).title}")
        except AwardformsError as err:
            click.echo(f"{cid}\t（定义有误：{err}）")


@main.command()
@click.argument("campaign")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="文件已存在时覆盖。")
def init(campaign: str, workbook: Path, overwrite: bool) -> None:
    """生成项目 CAMPAIGN 的空白推荐对象表 WORKBOOK（.xlsx）。"""
    from .blank import write_blank
    try:
        definition = load_campaign(campaign)
        if workbook.suffix.lower() != ".xlsx":
            workbook = workbook.with_suffix(".xlsx")
        if workbook.exists() and not overwrite:
            click.echo(f"错误：{workbook} 已存在，为免覆盖已填写的内容，未生成。如确需覆盖请加 --overwrite。", err=True)
            sys.exit(2)
        write_blank(definition, workbook)
    except AwardformsError as err:
        _fail(err)
    click.echo(f"已生成空白推荐对象表：{workbook}（{definition.title}）")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果。")
def check(workbook: Path, as_json: bool) -> None:
    """检查推荐对象表，列出需要修改的单元格。"""
    from .pipeline import check as run_check
    try:
        sub = run_check(workbook)
    except AwardformsError as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(_json_report(sub), ensure_ascii=False, indent=2))
    else:
        _print_report(sub.report)
    sys.exit(0 if sub.report.valid else 1)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹（默认 output/<工作簿名>/）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--force", is_flag=True, help="全部重新生成（默认只重新生成有变化的部分）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果。")
def render(workbook: Path, out_dir: Path | None, pdf: bool, force: bool, as_json: bool) -> None:
    """检查并生成推荐材料：每个推荐对象的表格、推荐对象汇总表和 manifest.json。"""
    from .buildstate import describe
    from .pipeline import Settings, render as run_render
    try:
        result = run_render(workbook, Settings(out_dir=out_dir, force=force, pdf=pdf,
                                               progress=None if as_json else _progress_bar))
    except AwardformsError as err:
        _fail(err)
    sub = result.submission
    if as_json:
        click.echo(json.dumps(_json_report(sub), ensure_ascii=False, indent=2))
    else:
        _print_report(sub.report)
        rendered = [n for n in result.manifest["nominees"] if n["status"] == "rendered"]
        skipped = [n for n in result.manifest["nominees"] if n["status"] == "invalid"]
        click.echo(f"已生成 {len(rendered)} 个推荐对象的材料，输出文件夹：{result.out_dir}")
        for line in describe(result.rebuilt, result.skipped, result.removed):
            click.echo(line)
        for n in skipped:
            click.echo(f"未生成：{n['sheet']}第{n['row']}行 {n['name']}（有错误，请修改后重新生成）")
    sys.exit(0 if sub.report.valid else 1)


if __name__ == "__main__":
    main()
