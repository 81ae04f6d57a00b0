"""click in Chinese: usage errors ("Got unexpected extra argument", "No such option", "Missing
argument" ...) and the help's headings, for clerks who read no English. Exit status 2 for a
usage error, as before.

click's own texts go through gettext without a translation catalogue; rather than ship one,
the errors are caught where click would print them (`ChineseGroup.main`) and said again from
their type and fields (`usage_error_text`), and the help's fixed words come from a formatter.
"""

from __future__ import annotations

import re
import sys

import click

HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
HELP_TEXT, CLICK_HELP_TEXT = "显示本帮助并退出。", "Show this message and exit."


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]..."),
                            "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, HELP_TEXT if text == CLICK_HELP_TEXT else text) for term, text in rows],
                         col_max, col_spacing)


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class _ChineseHelpOption:
    """The -h/--help option's own line in Chinese (click.Command and click.Group alike)."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class ChineseCommand(_ChineseHelpOption, click.Command):
    context_class = ChineseContext


def _hint(param) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return param.human_readable_name


_PATTERNS = [
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"),
     lambda m: f"多余的参数：{m.group(1)}。文件名或文件夹名中有空格时，请用英文引号把它括起来，如 \"我的 推荐表.xlsx\"。"),
    (re.compile(r"No such command '(.*?)'\.(?: Did you mean '(.*?)'\?)?"),
     lambda m: f"没有命令“{m.group(1)}”。" + (f"是否要用“{m.group(2)}”？" if m.group(2) else "")),
    (re.compile(r"Option '(.*?)' requires an argument\."),
     lambda m: f"选项“{m.group(1)}”后面要写一个值。"),
    (re.compile(r"Option '(.*?)' does not take a value\."),
     lambda m: f"选项“{m.group(1)}”后面不能写值。"),
    (re.compile(r"'(.*)' is not a valid (float|integer)( range)?\.?"),
     lambda m: f"“{m.group(1)}”不是有效的{'数字' if m.group(2) == 'float' else '整数'}。"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' is a directory\."),
     lambda m: f"“{m.group(1)}”是一个文件夹，这里要写文件名。"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' is a file\."),
     lambda m: f"“{m.group(1)}”是一个文件，这里要写文件夹名。"),
    (re.compile(r"(?:File|Directory|Path) '(.*)' does not exist\."),
     lambda m: f"找不到“{m.group(1)}”。"),
]


def _translated(text: str) -> str:
    for pattern, say in _PATTERNS:
        m = pattern.search(text)
        if m:
            return say(m)
    return text


def usage_error_text(err: click.ClickException) -> str:
    """The Chinese line for one of click's errors."""
    if isinstance(err, click.NoSuchOption):
        also = f"是否要用：{'、'.join(sorted(err.possibilities))}？" if err.possibilities else ""
        return f"没有选项“{err.option_name}”。{also}"
    if isinstance(err, click.MissingParameter):
        kind = "选项" if isinstance(err.param, click.Option) else "参数"
        return f"缺少{kind} {_hint(err.param)}。"
    if isinstance(err, click.BadParameter):
        where = _hint(err.param) or err.param_hint or ""
        return f"{where} 的值不对：{_translated(err.message)}"
    return _translated(err.format_message())


def show(err: click.ClickException) -> None:
    """What click's `err.show()` prints, in Chinese: the usage, where to find help, the error."""
    lines = []
    ctx = getattr(err, "ctx", None)
    if isinstance(err, click.UsageError) and ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(f"查看帮助：{ctx.command_path} -h")
        lines.append("")
    lines.append(f"错误：{usage_error_text(err)}")
    click.echo("\n".join(lines), err=True)


def _chinese(cmd: click.Command) -> None:
    if cmd.context_class is click.Context:
        cmd.context_class = ChineseContext
    for sub in getattr(cmd, "commands", {}).values():
        _chinese(sub)


class ChineseGroup(_ChineseHelpOption, click.Group):
    context_class = ChineseContext
    command_class = ChineseCommand

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """A command made with plain @click.command()/@click.group() in its own module (serve,
        users, collect ...) speaks Chinese in its help too, and so do a group's sub-commands."""
        _chinese(cmd)
        super().add_command(cmd, name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":     # `awardforms` alone: the help
                err.show()
            else:
                show(err)
            sys.exit(err.exit_code)
        except click.exceptions.Abort:
            click.echo("已中断。", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
