"""`awardforms collect SOURCE... [-o DIR] [--pdf]`: the click layer over collect.run.collect."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹（默认 output/汇总-<项目代码>/）。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF 和按 所属地区→推荐单位→推荐对象 加书签的推荐材料总册。")
def collect(sources: tuple[Path, ...], out_dir: Path | None, pdf: bool) -> None:
    """汇总各推荐单位报送的材料：工作簿、压缩包或存放它们的文件夹。"""
    from awardforms.collect.run import collect as run
    result = run(list(sources), out_dir, pdf=pdf, echo=lambda text: click.echo(text, err=True))
    if result.exit_code == 2:
        click.echo(f"错误：{result.data.get('error')}", err=True)
        sys.exit(2)
    for line in result.messages:
        click.echo(f"提醒：{line}")
    counts: dict[str, int] = {}
    for r in result.received:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status in ("有错误", "无法使用"):
            click.echo(f"[{r.status}] {r.name}（{r.unit or '推荐单位未知'}）：{r.why or f'{r.errors} 个错误'}")
    click.echo("收到 {} 个文件：{}。".format(len(result.received), "，".join(f"{k} {v} 个" for k, v in counts.items())))
    errors = sum(1 for i in result.data["issues"] if i["severity"] == "error")
    click.echo(f"共 {errors} 个错误（见 问题清单.xlsx）。汇总结果：{result.out_dir}（打开 index.html 查看）")
    sys.exit(result.exit_code)
