#!/usr/bin/env python3
"""Write the sample workbook of the ``djcn`` document set into data/samples/djcn/.

``长春市民政局-社会组织党建材料.xlsx``: four organisations applying for registration at
长春市民政局 — a 基金会 with a 党支部 and 48 members (its 调查表 runs over several pages), a
社会团体 with one 正式党员 and no 党组织 (联合组建或挂靠组建), a 社会服务机构 without any party
member (党建工作指导员), and a 社会团体 with a 党组织 and a few members of every 人员类别.
Identifiers are computed (check digits); people and organisations are invented.

    python tools/make_sample_djcn.py [--out data/samples/djcn]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from samplekit import add_sheet, credit_code, id_number, new_workbook, run, save_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "samples" / "djcn"
FILE = "长春市民政局-社会组织党建材料.xlsx"

UNIT = {"推荐单位": "长春市民政局", "所属地区": "长春市", "联系人": "杨晓光", "职务": "社会组织管理局科员",
        "联系电话": "0431-88765432", "传真": None, "填表日期": dt.date(2024, 3, 15)}

ORG_HEADERS = ["社会组织名称", "统一社会信用代码", "社会组织类型", "登记管理机关", "业务主管单位（行业管理部门）", "住所",
               "法定代表人", "联系人", "联系电话", "从业人员数", "是否已建立党组织", "党组织名称", "承诺日期"]
MEMBER_HEADERS = ["社会组织名称", "姓名", "性别", "民族", "出生日期", "身份证号码", "学历", "人员类别", "入党时间",
                  "转正时间", "党组织关系所在单位", "在本组织职务", "专职或兼职", "联系电话"]

ORGS = [
    ("吉林省青少年科技教育基金会", credit_code("53220100MJ0987654"), "基金会", "长春市民政局", "长春市科学技术协会",
     "长春市朝阳区工农大路1288号", "孙立群", "韩冰", "13704315678", 62, "是", "中共吉林省青少年科技教育基金会支部委员会",
     dt.date(2024, 3, 1)),
    ("长春市朝阳区书法家协会", None, "社会团体", "长春市民政局", "长春市文学艺术界联合会", "长春市朝阳区延安大街66号",
     "郑墨林", "郑晓雯", "13944123456", 6, "否", None, dt.date(2024, 3, 5)),
    ("长春市南关区幸福社区服务中心", None, "社会服务机构", "长春市民政局", "长春市南关区民政局",
     "长春市南关区幸福街道永吉街18号", "马春燕", "马春燕", "13596012345", 9, "否", None, dt.date(2024, 3, 8)),
    ("长春市智慧养老服务协会", credit_code("51220100MJ1357924"), "社会团体", "长春市民政局", "长春市民政局",
     "长春市绿园区春城大街2999号", "刘志国", "王丽", "13904310021", 15, "是", "中共长春市智慧养老服务协会支部委员会",
     dt.date(2024, 3, 12)),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["建华", "丽娟", "志强", "秀英", "海涛", "晓燕", "国庆", "春梅", "明远", "玉兰", "立新", "淑珍", "宏伟", "雪梅",
         "振宇", "佳怡", "子涵", "思远", "文博", "欣怡", "浩然", "雨桐", "俊杰", "梦琪", "德胜", "桂芝", "永刚", "凤霞"]
COUNTIES = ["220102", "220103", "220104", "220105", "220106", "220112", "220122", "220182", "220183", "220203"]
EDUCATION = ["大学本科", "研究生", "大学专科", "大学本科", "高中"]
RELATION = ["长春市朝阳区红旗街道社区党委", "长春市南关区桃源街道党工委", "长春市人才流动服务中心党委",
            "长春市绿园区正阳街道党工委", "吉林大学离退休工作处党委"]


def people(org: str, kinds: list[str], rng: random.Random, party_unit: str | None) -> list[list]:
    rows = []
    for n, kind in enumerate(kinds):
        male = rng.random() < 0.5
        birth = dt.date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
        idn = id_number(rng.choice(COUNTIES), birth.strftime("%Y%m%d"), rng.randint(1, 499) * 2 + (1 if male else 0))
        joined = confirmed = relation = None
        if kind in ("正式党员", "预备党员"):
            if kind == "预备党员":
                y, m = 2023, rng.randint(4, 12)
            else:
                y, m = rng.randint(max(birth.year + 19, 1985), 2021), rng.randint(1, 12)
            joined = f"{y}.{m:02d}"
            if kind == "正式党员":
                extra = 1 if rng.random() < 0.1 else 0          # a few had their 预备期 extended
                confirmed = f"{y + 1}.{min(12, m + extra * 6):02d}" if extra else f"{y + 1}.{m:02d}"
            relation = party_unit or rng.choice(RELATION)
        post = "秘书长" if n == 0 else ("副秘书长" if n == 1 else rng.choice(["项目主管", "会计", "干事", "专员", "理事", "无"]))
        rows.append([org, rng.choice(SURNAMES) + rng.choice(GIVEN), "男" if male else "女",
                     rng.choice(["汉族"] * 8 + ["满族", "朝鲜族", "回族", "蒙古族"]), birth.strftime("%Y.%m"), idn,
                     rng.choice(EDUCATION), kind, joined, confirmed, relation, post, rng.choice(["专职", "兼职"]),
                     f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}"])
    return rows


def write_sample(out_dir: Path) -> Path:
    rng = random.Random(66)
    wb = new_workbook("djcn", UNIT)
    orgs = add_sheet(wb, "社会组织", ORG_HEADERS, [list(o) for o in ORGS])
    members = add_sheet(wb, "党员", MEMBER_HEADERS)
    big = ["正式党员"] * 36 + ["预备党员"] * 5 + ["发展对象"] * 3 + ["入党积极分子"] * 2 + ["入党申请人"] * 2
    plan = [(ORGS[0], big, ORGS[0][11]), (ORGS[1], ["正式党员", "入党积极分子"], None),
            (ORGS[3], ["正式党员", "正式党员", "正式党员", "预备党员", "发展对象", "入党积极分子", "入党申请人"], ORGS[3][11])]
    for org, kinds, party in plan:
        for row in people(org[0], kinds, rng, party):
            members.append(row)
    return save_workbook(wb, (orgs, members), out_dir / FILE)


def main(argv=None):
    run(argv, __doc__.splitlines()[0], OUT, write_sample)


if __name__ == "__main__":
    main()
