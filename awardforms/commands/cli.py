"""Command line: parse options, call the library, map its errors to exit codes.

Exit status: 0 no errors (warnings allowed); 1 the workbook has errors; 2 unusable input.
"""

from __future__ import annotations

import errno
import json
import sys
from pathlib import Path

import click

from awardforms import __version__
from awardforms.commands.clickzh import ChineseGroup
from awardforms.errors import AwardformsError
from awardforms.report import Report


def _fail(err: AwardformsError) -> None:
    click.echo(f"错误：{err}", err=True)
    sys.exit(err.exit_code)


def _print_report(report: Report) -> None:
    # one write for all the lines: a Windows console is slow per write, and there can be
    # hundreds of warnings
    lines = [issue.text() for issue in report.sorted()]
    if lines:
        click.echo("\n".join(lines))
    n_err, n_warn = len(report.errors), len(report.warnings)
    if n_err or n_warn:
        click.echo(f"共 {n_err} 个错误、{n_warn} 个提醒。")
    else:
        click.echo("检查通过：没有发现错误。")


def _json_report(sub, annotated: Path | None = None) -> dict:
    return {"campaign": sub.campaign.id, "valid": sub.report.valid,
            "issues": [i.as_json() for i in sub.report.sorted()],
            "annotated": str(annotated) if annotated else None}


def _output_dir(workbook: Path, out_dir: Path | None) -> Path:
    """`pipeline.output_dir_for`, without importing the pipeline (~0.15 s): the annotated
    copy's child process is started before that (test_cli checks that the two agree)."""
    return out_dir if out_dir else Path("output") / workbook.stem


def _annotate(copy, sub, quiet: bool) -> Path | None:
    """The copy `<stem>.校验结果.xlsx` (annotate_worker.BackgroundCopy: kept when nothing it
    shows has changed, unless --force); a failure is a warning, the result stands."""
    path, problem = copy.finish(sub.report, sub.source_data)
    if problem:
        click.echo(f"提醒：{problem}", err=True)
    elif not quiet:
        click.echo(f"带批注的工作簿副本（红色为错误、黄色为提醒，见“校验结果”工作表）：{path}")
    return path


class _Guarded(ChineseGroup):
    """No traceback ever reaches the clerk: unexpected errors become one line plus a log file."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except AwardformsError as err:
            _fail(err)
        except OSError as err:
            if err.errno not in _DISK_FULL:
                _crashed()
            click.echo(f"错误：磁盘空间不足，未能写完输出文件{_named(err)}。请清理磁盘空间（或用 -o 换到空间充足的"
                       "磁盘）后重新运行；没写完的文件已删除，重新运行时会补齐。", err=True)
            sys.exit(2)
        except Exception:  # noqa: BLE001 - last line of defence, logged in full
            _crashed()


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _named(err: OSError) -> str:
    """Where the disk filled up: the folder (the file may be a temporary one, already gone)."""
    return f"（{Path(err.filename).parent}）" if isinstance(err.filename, str) else ""


def _crashed() -> None:
    """An unexpected error: one line for the clerk, the traceback in a log in their own cache
    folder; a log that cannot be written changes neither the message's point nor exit 2."""
    import traceback
    from awardforms.cachedir import write_crash_log
    kind, err = sys.exc_info()[:2]
    log = write_crash_log(traceback.format_exc())
    if log is not None:
        click.echo(f"错误：程序内部出错，未能完成。详细信息已写入 {log}，请把该文件发给技术支持。", err=True)
    else:
        click.echo(f"错误：程序内部出错，未能完成（{kind.__name__}: {err}）。详细信息未能写入日志文件，"
                   "请把这段文字发给技术支持。", err=True)
    sys.exit(2)


PROGRESS_MIN_JOBS = 10


def _progress_bar(total: int):
    """A progress bar for long runs on a terminal; nothing otherwise."""
    from contextlib import nullcontext
    if total < PROGRESS_MIN_JOBS or not sys.stdout.isatty():
        return nullcontext()
    return click.progressbar(length=total, label="正在生成", show_pos=True)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awardforms", help="显示版本号并退出。", message="%(prog)s %(version)s")
def main() -> None:
    """吉林省评选表彰推荐材料生成工具：Excel 推荐对象表 → 推荐审批表、征求意见表、推荐对象汇总表。"""


@main.command()
def campaigns() -> None:
    """列出可用的评选表彰项目代码和名称。"""
    from awardforms.campaigns.load import campaign_ids, load_campaign
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
    from awardforms.commands.blank import write_blank
    from awardforms.campaigns.load import load_campaign
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
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="带批注的工作簿副本写入的文件夹（默认 output/<工作簿名>/）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果。")
def check(workbook: Path, out_dir: Path | None, as_json: bool) -> None:
    """检查推荐对象表，列出需要修改的单元格，并生成带批注的工作簿副本。"""
    from awardforms.assemble.annotate_worker import BackgroundCopy
    # first: a second process loads the workbook for the annotated copy while this one
    # imports the checker and checks; it marks the issues in the copy once they are known
    with BackgroundCopy.start(workbook, _output_dir(workbook, out_dir)) as copy:
        from awardforms.build.pipeline import check as run_check
        try:
            sub = run_check(workbook)
        except AwardformsError as err:
            _fail(err)
        copy.begin(sub.report)
        if not as_json:
            _print_report(sub.report)
        annotated = _annotate(copy, sub, as_json)
    if as_json:
        click.echo(json.dumps(_json_report(sub, annotated), ensure_ascii=False, indent=2))
    sys.exit(0 if sub.report.valid else 1)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹（默认 output/<工作簿名>/）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF、每个推荐对象的材料汇编和全部材料 PDF。")
@click.option("--copies", is_flag=True, help="另生成打印版 PDF：每份表格按通知要求的份数重复（含 --pdf）。")
@click.option("--force", is_flag=True, help="全部重新生成（默认只重新生成有变化的部分）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果。")
def render(workbook: Path, out_dir: Path | None, pdf: bool, copies: bool, force: bool,
           as_json: bool) -> None:
    """检查并生成推荐材料：每个推荐对象的表格、推荐对象汇总表和 manifest.json。"""
    from awardforms.assemble.annotate_worker import BackgroundCopy
    # first: a second process loads the workbook for the annotated copy while this one
    # imports the pipeline and checks; it marks and saves the copy while this one renders
    with BackgroundCopy.start(workbook, _output_dir(workbook, out_dir), reuse=not force) as copy:
        from awardforms.build.state import describe
        from awardforms.build.pipeline import Settings, check as run_check, render as run_render
        settings = Settings(out_dir=out_dir, force=force, pdf=pdf, copies=copies,
                            progress=None if as_json else _progress_bar)
        try:
            checked = None
            if copy.running:          # the copy needs only the issues: checked first
                checked = run_check(workbook)
                copy.begin(checked.report)
            result = run_render(workbook, settings, checked)
        except AwardformsError as err:
            _fail(err)
        sub = result.submission
        annotated = _annotate(copy, sub, quiet=True)
    if as_json:
        click.echo(json.dumps(_json_report(sub, annotated), ensure_ascii=False, indent=2))
    else:
        _print_report(sub.report)
        rendered = [n for n in result.manifest["nominees"] if n["status"] == "rendered"]
        click.echo(f"已生成 {len(rendered)} 个推荐对象的材料，输出文件夹：{result.out_dir}")
        if annotated:
            click.echo(f"带批注的工作簿副本（红色为错误、黄色为提醒，见“校验结果”工作表）：{annotated}")
        for line in describe(result.rebuilt, result.skipped, result.removed, moved=result.moved):
            click.echo(line)
    _print_assembly(result.assembly, as_json)
    sys.exit(0 if sub.report.valid else 1)


def _print_assembly(assembly, as_json: bool) -> None:
    """材料清单, PDF and zip lines (issue 5); on stderr with --json, so stdout stays JSON."""
    if assembly is None:
        return
    echo = (lambda line: click.echo(line, err=True)) if as_json else click.echo
    # every nominee's list is in its folder; the console names only those missing something required
    for line in assembly.checklists:
        if "缺少必需材料" in line:
            echo(line)
    if assembly.checklists:
        echo(f"材料清单：{len(assembly.checklists)} 个推荐对象，见各自文件夹中的“材料清单.xlsx”。")
    for line in assembly.warnings:
        echo(f"[提醒] {line}")
    if assembly.converter_missing:
        click.echo(f"[PDF 未生成] {assembly.converter_missing}", err=True)
    if assembly.submission_pdf:
        echo(f"PDF：{len(assembly.pdfs)} 个；全部材料：{assembly.submission_pdf}")
    if assembly.print_pdf:
        echo(f"打印版：{assembly.print_pdf}")
    for name in assembly.removed:
        echo(f"已删除上次生成的“{name}”（与本次结果不符）。")
    if assembly.send_list:
        echo(f"报送清单（每个推荐对象的状态、缺少的材料和打印份数）：{assembly.send_list}")
    if assembly.bundle and assembly.complete:
        echo(f"发送用压缩包：{assembly.bundle}")
    elif assembly.bundle:
        echo(f"压缩包（未完成，不能报送）：{assembly.bundle}")
    for line in assembly.blockers:
        echo(line)


@main.command()
@click.argument("inbox", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹（默认 INBOX/output/），每份提交生成在其中的 <文件名>-<时间>/ 下。")
@click.option("--poll", type=float, default=None, metavar="SECONDS",
              help="每隔 SECONDS 秒轮询一次（网络共享文件夹收不到变化通知时使用）。")
@click.option("--settle", type=float, default=2.0, show_default=True, metavar="SECONDS",
              help="文件大小和修改时间保持不变多少秒后才开始处理。")
@click.option("--rescan", type=float, default=30.0, show_default=True, metavar="SECONDS",
              help="每隔多少秒全面扫描一次收件文件夹。")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path),
              help="日志文件（默认 INBOX/watch.log）。")
@click.option("--stall", type=float, default=None, metavar="SECONDS",
              help="还没复制完整的文件最多等多少秒（期间没有任何变化），之后作为无法使用的文件处理（默认 120）。")
@click.option("--lock-wait", type=float, default=None, metavar="SECONDS",
              help="工作簿在 Excel 中打开（有 ~$ 锁定文件）时最多等多少秒（默认 1800）。")
@click.option("--collect", "collect_too", is_flag=True, help="每处理一个文件就更新汇总（输出文件夹中的 汇总/，同 collect）。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF、每个推荐对象的材料汇编和全部材料 PDF（同 render --pdf）。")
@click.option("--copies", is_flag=True, help="另生成打印版 PDF（同 render --copies，含 --pdf）。")
def watch(inbox: Path, out_dir: Path | None, poll: float | None, settle: float, rescan: float,
          log_file: Path | None, stall: float | None, lock_wait: float | None, collect_too: bool,
          pdf: bool, copies: bool) -> None:
    """监视收件文件夹 INBOX：放入的推荐对象表（.xlsx，或连同事迹、照片压缩的 .zip）自动检查并生成材料。"""
    from awardforms.commands.watch import WatchSettings, run
    settings = WatchSettings(inbox, out_dir, poll, settle, rescan, log_file, pdf=pdf or copies, copies=copies)
    settings.collect = collect_too
    if stall is not None:
        settings.stall = stall
    if lock_wait is not None:
        settings.lock_wait = lock_wait
    sys.exit(run(settings))


from awardforms.commands.collect import collect as _collect  # noqa: E402 - its own module
main.add_command(_collect)
from awardforms.commands.serve import serve, users  # noqa: E402 - web pages (issue 20)
main.add_command(serve)
main.add_command(users)
from awardforms.commands.template import add_campaigns_option, template  # noqa: E402
main.add_command(template)
add_campaigns_option(main)      # --campaigns DIR on the group and every command (last)

if __name__ == "__main__":
    main()
