"""Shared fixtures: build small, valid `anju` workbooks and plant faults in them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from awardforms.campaigns.load import load_campaign

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(region: str, birth: str, seq: int, male: bool) -> str:
    """A GB 11643 number with a correct check digit; birth as YYYYMMDD."""
    order = seq * 2 + (1 if male else 0)
    body = f"{region}{birth}{order:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


DEEDS = ("该同志长期从事保障性安居工程建设工作，统筹推进棚户区改造项目，累计完成改造3200套。" * 14
         + "\n" + "在公租房分配管理中坚持公开公平公正，群众满意度达到98%。" * 8)   # 776 字: inside 800字左右

COLLECTIVE = {
    "集体名称": "长春市朝阳区住房保障服务中心", "集体类型": "事业单位", "集体级别": "正科级", "集体人数": 12,
    "所在行政区划": "吉林省长春市朝阳区", "集体主要负责人姓名": "王立新",
    "集体主要负责人单位和职务": "长春市朝阳区住房保障服务中心主任", "集体主要负责人联系电话": "13904310001",
    "集体所属单位": "长春市朝阳区住房和城乡建设局", "集体所属单位联系电话": "0431-88776655",
    "单位地址": "长春市朝阳区红旗街100号", "何时何地受过何种奖励": "无", "何时何地受过何种处分": "无",
    "基本情况介绍": "中心现有工作人员12名，负责全区公租房分配管理和租赁补贴发放工作。",
    "主要事迹": "该中心近年来扎实推进住房保障工作。\n累计发放租赁补贴1.2万户次。",
    "联系人及电话": "李明 13904310002", "企业类型": None, "是否住建系统机关": "否", "备注": None,
}

PERSON = {
    "姓名": "张晓梅", "性别": "女", "民族": "汉族", "籍贯": "吉林省农安县", "出生日期": "1978.05",
    "政治面貌": "中共党员", "学历学位": "大学本科/工学学士", "参加工作时间": "2000.07",
    "身份证号码": make_id("220102", "19780512", 12, male=False), "编制性质": "行政",
    "职务职级": "住房保障科科长（四级主任科员）", "主要兼任职务": "无", "专业技术职务": "中级",
    "技术等级": "无", "职称": "工程师", "职称等级": "中级", "工作单位": "长春市住房保障和房屋管理局",
    "工作单位隶属关系": "市（州）", "工作单位性质": "机关", "工作单位行政区划": "吉林省长春市朝阳区",
    "工作单位地址": "长春市朝阳区人民大街1000号", "工作单位联系电话": "0431-88776655",
    "个人联系电话": "13904310003",
    "个人简历": "1996.09--2000.07 吉林建筑大学土木工程专业学习\n2000.07--至今 长春市住房保障和房屋管理局科员、科长",
    "何时何地受过何种奖励": "2020年12月 被长春市人民政府评为全市棚户区改造工作先进个人",
    "何时何地受过何种处分": "无", "主要事迹": DEEDS, "照片": None, "行政级别": "乡科级",
    "从事保障性安居工程工作起始时间": "2012.03", "是否企业负责人": "否", "企业类型": None,
    "是否住建系统机关": "是", "通讯地址": "长春市朝阳区人民大街1000号", "备注": None,
}

UNIT = {"评选表彰项目": "anju", "推荐单位": "长春市住房保障和房屋管理局", "所属地区": "长春市",
        "联系人": "李明", "职务": "科长", "联系电话": "0431-88776655", "传真": "0431-88776656",
        "填表日期": dt.date(2023, 3, 1)}


def person(n: int, **changes) -> dict:
    """The n-th valid person: distinct name and ID number."""
    row = dict(PERSON)
    row["姓名"] = f"张晓梅{'一二三四五六七八九十'[(n - 1) % 10]}{(n - 1) // 10 or ''}" if n else PERSON["姓名"]
    row["身份证号码"] = make_id("220102", "19780512", 20 + n, male=False)
    row.update(changes)
    return row


def collective(n: int, **changes) -> dict:
    row = dict(COLLECTIVE)
    if n:
        row["集体名称"] = f"{COLLECTIVE['集体名称']}第{n}分中心"
    row.update(changes)
    return row


def write_workbook(path: Path, collectives: list[dict], persons: list[dict], unit: dict | None = None,
                   order: dict[str, list[str]] | None = None) -> Path:
    """Write an input workbook; `order` may reorder the columns of a sheet."""
    campaign = load_campaign("anju")
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐单位"
    for label, value in (unit or UNIT).items():
        ws.append([label, value])
    for sheet, rows in (("先进集体", collectives), ("先进个人", persons)):
        ws = wb.create_sheet(sheet)
        labels = (order or {}).get(sheet) or [f.label for f in campaign.sheet(sheet).fields]
        ws.append(labels)
        for row in rows:
            ws.append([row.get(label) for label in labels])
            for c, label in enumerate(labels, start=1):
                if label in ("身份证号码",):
                    ws.cell(ws.max_row, c).number_format = "@"
    wb.save(path)
    return path


@pytest.fixture
def small_workbook(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "nominees.xlsx", [collective(0), collective(1, 集体类型="企业", 企业类型="国有企业")],
                          [person(0), person(1, 是否企业负责人="是", 企业类型="国有企业")])
