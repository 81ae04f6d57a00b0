#!/usr/bin/env python3
"""Write the sample workbook of the ``djjd`` document set into data/samples/djjd/.

``省级社会组织党建创新示范基地申报.xlsx``: three 省级社会组织 applying in 2021 (a 协会, a
基金会, a 社会服务机构), each with the four sections of its 自评报告 and a 佐证材料 list; the
third section of one applicant comes from a .txt file next to the workbook. Identifiers are
computed (check digits); the organisations are invented.

    python tools/make_sample_djjd.py [--out data/samples/djjd]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from samplekit import add_sheet, credit_code, new_workbook, run, save_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "samples" / "djjd"
FILE = "省级社会组织党建创新示范基地申报.xlsx"
HEADERS = ["社会组织名称", "统一社会信用代码", "党组织名称", "党组织书记", "党员人数", "党组织成立时间", "党组织上次换届时间",
           "评估等级", "评估等级有效期至", "近三年年检结论", "近三年是否受到行政处罚", "联系人", "联系电话", "申报日期",
           "党组织建设规范", "党员队伍建设好", "组织活动内容丰富", "社会组织业绩突出", "佐证材料"]
UNIT = {"推荐单位": "吉林省社会组织综合党委", "所属地区": "省直", "联系人": "周明亮", "职务": "组织委员",
        "联系电话": "0431-89152126", "传真": None, "填表日期": dt.date(2021, 7, 8)}


def sections(short: str, members: int, extra: str) -> list[str]:
    return [
        f"{short}党支部按照《中国共产党章程》要求设立并按期换届，支部委员会由5名委员组成，设书记、副书记、组织委员、宣传委员和纪检委员。"
        f"支部建立了“三会一课”、主题党日、党员发展、党费收缴等12项制度，重大事项由支部委员会前置研究讨论。\n"
        f"支部书记兼任{short}副会长，2名支部委员进入理事会，实现“双向进入、交叉任职”。",
        f"支部现有党员{members}名，全部按月足额交纳党费。支部每年举办党员教育培训两期以上，组织党员通过“新时代e支部”“学习强国”开展学习。\n"
        "支部制定党员发展计划，近三年培养入党积极分子4名，发展党员2名；招聘工作人员时优先录用大学生党员。",
        f"支部严格落实“三会一课”、组织生活会和民主评议党员制度，每月开展主题党日活动。{extra}\n"
        "支部设有党员活动室，建有党建宣传栏和微信公众号党建专栏，党员群众参与积极。",
        f"{short}运作规范，机构健全，内部制度完善，近三年年检均为合格，未受到行政处罚。"
        "党员在行业服务、人才培养、疫情防控和复工复产中发挥先锋模范作用，得到会员和服务对象的充分认可。",
    ]


APPLICANTS = [
    dict(name="吉林省养老服务业协会", uscc=credit_code("51220000MJ0123456"), short="协会",
         party_org="中共吉林省养老服务业协会支部委员会", secretary="刘志国", members=12, founded="2016.05",
         election="2019.05", rating="4A", until="2024.12", checks="合格、合格、合格", contact="王丽",
         phone="13904310021", date=dt.date(2021, 7, 5),
         extra="支部结合养老服务特点，组织党员开展“党员进养老院”志愿服务32次。",
         evidence=["1.党支部成立批复", "2.2019年支部换届选举结果批复", "3.“三会一课”记录（2018—2020年）",
                   "4.党员教育培训通知和签到表", "5.近三年年检结论通知书", "6.社会组织评估等级证书（4A）"]),
    dict(name="吉林省青少年发展基金会", uscc=credit_code("53220000MJ0234567"), short="基金会",
         party_org="中共吉林省青少年发展基金会支部委员会", secretary="陈晓东", members=9, founded="2015.09",
         election="2018.09", rating="5A", until="2025.06", checks="合格、合格、合格", contact="赵颖",
         phone="13504318877", date=dt.date(2021, 7, 8), extra="FILE",
         evidence=["1.党支部成立批复", "2.2018年支部换届选举结果批复", "3.主题党日活动记录", "4.近三年审计报告",
                   "5.社会组织评估等级证书（5A）"]),
    dict(name="吉林省社会工作服务中心", uscc=credit_code("52220000MJ0345678"), short="中心",
         party_org="中共吉林省社会工作服务中心支部委员会", secretary="孟繁华", members=7, founded="2017.03",
         election="2020.03", rating="3A", until="2023.10", checks="合格、合格、合格", contact="孟繁华",
         phone="13844015566", date=dt.date(2021, 7, 2),
         extra="支部组织党员社工深入社区开展“红色社工”服务，累计服务困难群众1.2万人次。",
         evidence=["1.党支部成立批复", "2.2020年支部换届选举结果批复", "3.党员发展材料", "4.社会组织评估等级证书（3A）"]),
]


def write_sample(out_dir: Path) -> Path:
    wb = new_workbook("djjd", UNIT)
    sheet = add_sheet(wb, "申报单位", HEADERS)
    (out_dir / "自评报告").mkdir(exist_ok=True)
    for a in APPLICANTS:
        extra = a["extra"]
        s = sections(a["short"], a["members"], "" if extra == "FILE" else extra)
        if extra == "FILE":        # one section kept in a text file, as clerks often do
            rel = f"自评报告/{a['name']}-组织活动.txt"
            text = s[2].replace("每月开展主题党日活动。", "每月开展主题党日活动，组织党员赴杨靖宇烈士陵园开展革命传统教育。")
            (out_dir / rel).write_text(text, encoding="utf-8")
            s[2] = rel
        sheet.append([a["name"], a["uscc"], a["party_org"], a["secretary"], a["members"], a["founded"], a["election"],
                      a["rating"], a["until"], a["checks"], "否", a["contact"], a["phone"], a["date"], *s,
                      "\n".join(a["evidence"])])
    return save_workbook(wb, [sheet], out_dir / FILE)


def main(argv=None):
    run(argv, __doc__.splitlines()[0], OUT, write_sample)


if __name__ == "__main__":
    main()
