"""`awardforms template`: an official blank form becomes a template (and `--check` verifies one).

Exit status: 0 every label matched (`--check`: every placeholder names a field); 1 some label
left unmatched (`--check`: a placeholder naming no field); 2 unusable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from awardforms.errors import AwardformsError, UnusableInput


def _sheet(campaign_id: str, sheet_name: str):
    from awardforms.campaigns.load import load_campaign
    campaign = load_campaign(campaign_id)
    try:
        return campaign, campaign.sheet(sheet_name)
    except KeyError:
        names = "、".join(s.name for s in campaign.sheets)
        raise UnusableInput(f"项目 {campaign_id} 没有工作表“{sheet_name}”。", fix=f"可用的工作表：{names}。") from None


def _fail(err: AwardformsError) -> None:
    click.echo(f"错误：{err}", err=True)
    sys.exit(err.exit_code)


@click.command()
@click.argument("blank", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--campaign", "campaign_id", required=True, metavar="ID", help="评选表彰项目代码。")
@click.option("--sheet", "sheet_name", required=True, metavar="SHEET", help="推荐对象工作表名（项目定义中的工作表）。")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="模板文件（默认 <空白表名>.模板.docx，与空白表同一文件夹）。")
@click.option("--preview", "workbook", type=click.Path(dir_okay=False, path_type=Path),
              help="同时用该推荐对象表中 SHEET 的第一个无错误的推荐对象填写模板，生成 <空白表名>.预览.docx。")
@click.option("--check", "check_path", type=click.Path(dir_okay=False, path_type=Path), metavar="TEMPLATE",
              help="不生成模板，只检查已有模板 TEMPLATE：占位符是否都是项目的字段、必填字段是否都已放置。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果。")
def template(blank: Path | None, campaign_id: str, sheet_name: str, out: Path | None,
             workbook: Path | None, check_path: Path | None, as_json: bool) -> None:
    """把官方空白表格 BLANK（.docx）变成项目的模板：在各字段标签旁的空白处放入占位符。"""
    try:
        campaign, sheet = _sheet(campaign_id, sheet_name)
        if check_path is not None:
            sys.exit(_check(check_path, campaign, sheet, as_json))
        if blank is None:
            raise UnusableInput("请给出空白表格文件（.docx），或用 --check 检查已有模板。")
        sys.exit(_tag(blank, out, workbook, campaign, sheet, as_json))
    except AwardformsError as err:
        _fail(err)


def _readable(path: Path, what: str) -> None:
    if not path.is_file():
        raise UnusableInput(f"找不到{what} {path}。")
    if path.suffix.lower() != ".docx":
        raise UnusableInput(f"{what} {path} 不是 .docx 文件。", fix=".doc 文件请先用 Word 另存为 .docx。")


def _tag(blank: Path, out: Path | None, workbook: Path | None, campaign, sheet, as_json: bool) -> int:
    from awardforms.forms.tagcheck import check_template
    from awardforms.forms.tagging import tag_file
    _readable(blank, "空白表格")
    out = out or blank.with_name(f"{blank.stem}.模板.docx")
    if out.resolve() == blank.resolve():
        raise UnusableInput("模板不能覆盖空白表格本身。", fix="请用 -o 指定另一个文件名。")
    result = tag_file(blank, out, campaign, sheet)
    check = check_template(out, campaign, sheet)
    preview = None
    if workbook is not None:
        preview = _preview(out, out.with_name(f"{blank.stem}.预览.docx"), workbook, campaign, sheet)
    if as_json:
        data = {"template": str(out), **result.as_json(), "unknown_placeholders": check.unknown,
                "preview": str(preview[0]) if preview else None}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(result, check, out, preview)
    return 0 if not result.unmatched and check.ok else 1


def _print(result, check, out: Path, preview) -> None:
    lines = [f"已生成模板：{out}", f"已放置 {len(result.matched)} 处："]
    lines += [f"  {m.label} → {m.placeholder}（{m.cell}）" for m in result.matched]
    if result.unmatched:
        lines.append(f"未能匹配的标签 {len(result.unmatched)} 个（模板中这些位置仍为空白，请手工处理或在项目定义中加 aliases / form_labels）：")
        lines += [f"  {label}（{where}）" for label, where in result.unmatched]
    if result.unplaced:
        lines.append("表中没有找到的字段：" + "、".join(
            f"{label}（必填）" if required else label for label, required in result.unplaced))
    if check.unknown:
        lines.append("模板中有项目未定义的占位符：" + "、".join(check.unknown))
    if preview:
        lines.append(f"预览：{preview[0]}（用 {preview[1]} 填写）")
    click.echo("\n".join(lines))


def _preview(template: Path, target: Path, workbook: Path, campaign, sheet) -> tuple[Path, str]:
    from awardforms.build.pipeline import check
    from awardforms.forms.context import nominee_context
    from awardforms.forms.render import render_docx
    from awardforms.read.photos import prepared_photo
    sub = check(workbook)
    if sub.campaign.id != campaign.id:
        raise UnusableInput(f"推荐对象表 {workbook} 属于项目 {sub.campaign.id}，不是 {campaign.id}。")
    valid = [r for r in sub.records.get(sheet.name, []) if not r.has_errors]
    if not valid:
        raise UnusableInput(f"模板已生成，但推荐对象表 {workbook} 的“{sheet.name}”中没有无错误的推荐对象，未生成预览。",
                            fix="请先用 awardforms check 检查并修改该推荐对象表。")
    rec = valid[0]
    photo = prepared_photo(rec.values.get("photo"))
    render_docx(template, nominee_context(sub.campaign, sub.unit, rec), target,
                photo=Path(photo) if photo else None)
    return target, f"{sheet.name}第{rec.row}行 {rec.name}"


def _check(path: Path, campaign, sheet, as_json: bool) -> int:
    from awardforms.forms.tagcheck import check_template
    _readable(path, "模板")
    result = check_template(path, campaign, sheet)
    if as_json:
        click.echo(json.dumps({"template": str(path), **result.as_json()}, ensure_ascii=False, indent=2))
    else:
        lines = [f"模板 {path}：" + ("占位符都是项目的字段。" if result.ok else "有问题。")]
        if result.unknown:
            lines.append("项目“" + sheet.name + "”中没有这些字段：" + "、".join(result.unknown))
        if result.missing_required:
            lines.append("[提醒] 模板没有放置这些必填字段（如应出现在本表中，请补上）：" + "、".join(result.missing_required))
        click.echo("\n".join(lines))
    return 0 if result.ok else 1


def add_campaigns_option(group: click.Group) -> None:
    """`--campaigns DIR` on the group and on every command: campaigns from a user folder
    (sets AWARDFORMS_CAMPAIGNS, so child processes see them too)."""
    def use(ctx, param, value):
        if value:
            import os
            from awardforms.campaigns.load import CAMPAIGNS_ENV
            os.environ[CAMPAIGNS_ENV] = str(Path(value).resolve())
    for command in [group, *group.commands.values()]:
        command.params.append(click.Option(
            ["--campaigns"], type=click.Path(exists=True, file_okay=False, path_type=Path),
            metavar="DIR", expose_value=False, is_eager=True, callback=use,
            help="另外使用 DIR/<项目代码>/campaign.toml 中的项目（同名时替换内置项目）；也可设环境变量 AWARDFORMS_CAMPAIGNS。"))
