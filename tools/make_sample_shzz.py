#!/usr/bin/env python3
"""Write the two sample submissions of the ``shzz`` campaign into data/samples/shzz/.

* ``全省性-吉林省民政厅.xlsx``: 全省性社会组织 (附件3) and persons of 全省性社会组织 (附件5) and
  省直部门 (附件6), one of them a 民盟盟员 (附件11 gets the 统战部门 block);
* ``地方-吉林市.xlsx``: 地方社会组织 (附件4) and persons of 地方社会组织 (附件7) and 地方部门
  (附件8), one of them 无党派人士.

Identifiers are computed, not copied (samplekit.py): 统一社会信用代码 with the GB 32100 check character
(python-stdnum), 身份证号码 with the GB 11643 check digit. The people and organisations are
invented; the text is written in the style of real 事迹材料.

    python tools/make_sample_shzz.py [--out data/samples/shzz]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from samplekit import add_sheet, credit_code, fit, id_number, new_workbook, run, save_workbook  # noqa: E402

from awardforms.campaigns.load import load_campaign  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "samples" / "shzz"


# --------------------------------------------------------------------------- text

def org_texts(o: dict) -> tuple[str, str]:
    n, short = o["name"], o["short"]
    facts = o["facts"]
    brief = fit([
        f"{n}成立于{o['founded'][:4]}年，现有专职工作人员{o['staff']}名，党员{o['party_members']}名。",
        f"该{o['kind']}坚持党建引领，把党的建设写入章程，{o['party_org']}定期开展主题党日和“三会一课”，党组织战斗堡垒作用突出。",
        *facts[:3],
        f"近5年年度检查均为合格，{o['rating_year']}年被评为{o['rating']}级社会组织。",
        f"该{o['kind']}内部治理规范，理事会、监事会依章程履职，财务和重大事项信息按规定公开，社会公信力不断提升。",
        f"{short}始终坚持非营利宗旨，在服务全省经济社会发展中发挥了积极作用，得到业务主管单位和社会各界的充分肯定。",
        "其做法被多家媒体报道。",
        "该组织重视人才队伍建设，专职人员持证上岗率逐年提高。",
        "下一步，将继续围绕全省中心工作发挥优势，努力为全省高质量发展贡献力量。",
        "群众满意度保持在95%以上。",
    ], 280, 320)
    paragraphs = [
        f"{n}成立于{o['founded'][:4]}年{int(o['founded'][5:]):d}月，登记管理机关为{o['registrar']}，"
        f"现有专职工作人员{o['staff']}名，其中党员{o['party_members']}名。近年来，{short}坚持以习近平新时代中国特色社会主义思想为指导，"
        f"认真贯彻落实党的二十大精神，围绕全省工作大局主动担当作为，各项工作取得明显成效。",
        f"一、坚持党建引领，把准正确政治方向。{short}把党的建设标准写入章程，成立{o['party_org']}，"
        "建立党组织负责人参与重大事项决策机制，重大活动、重大项目、大额资金使用均经党组织前置研究。"
        "党组织每月开展主题党日活动，组织党员在服务项目中亮身份、作表率，先后设立党员先锋岗6个，"
        "党组织的政治核心作用和党员的先锋模范作用得到充分发挥。",
        f"二、健全内部治理，夯实规范发展基础。{short}严格按照章程办事，按期召开会员（代表）大会、理事会和监事会，"
        "修订完善人事管理、财务管理、项目管理、信息公开等制度23项，建立内部审计和第三方审计相结合的监督机制。"
        f"年度工作报告、财务审计报告和重大活动情况按规定向社会公开，近5年年度检查均为合格，{o['rating_year']}年在社会组织评估中被评为{o['rating']}等级。",
        "三、服务中心大局，积极履行社会责任。" + "".join(facts) +
        "在疫情防控、防汛救灾等急难险重任务中，组织工作人员和志愿者深入一线，协调调配救灾物资，帮助受灾群众恢复生产生活。",
        f"四、注重品牌建设，社会影响持续扩大。{short}坚持诚信自律，打造了一批群众认可的服务品牌，"
        "工作经验多次在全省社会组织工作会议上交流。通过网站、微信公众号及时发布项目进展和资金使用情况，"
        "主动接受捐赠人、会员和社会公众监督，社会公信度和品牌影响力不断提升。",
        f"多年来，{short}始终坚持非营利宗旨，模范遵纪守法，未发生违纪违法事件，未被列入活动异常名录或严重违法失信名单，"
        "为推动全省社会组织高质量发展作出了积极贡献。",
    ]
    return brief, "\n".join(paragraphs)


def person_texts(p: dict) -> tuple[str, str]:
    n, unit, facts = p["name"], p["employer"], p["facts"]
    she = "她" if p["gender"] == "女" else "他"
    brief = fit([
        f"{n}同志现任{unit}{p['post']}。",
        f"{she}政治坚定，爱岗敬业，{p['years_text']}。",
        *facts[:3],
        f"{she}坚持依法办事、廉洁自律，始终把服务群众、服务社会组织作为工作的出发点和落脚点。",
        f"{she}注重学习，善于创新，带领团队攻坚克难，多项工作走在全省前列。",
        "其工作得到了群众和各方面的广泛认可。",
        f"{she}多次被单位评为优秀工作者。",
        f"{she}关心同事成长，注重传帮带，培养了一批业务骨干。",
        "群众满意度保持在较高水平。",
        f"{she}的事迹在本系统内产生了良好反响。",
    ], 280, 320)
    paragraphs = [
        f"{n}，{p['gender']}，{p['ethnicity']}，{p['birth'][:4]}年{int(p['birth'][5:]):d}月出生，{p['politics']}，"
        f"现任{unit}{p['post']}。{she}{p['years_text']}，始终坚持以习近平新时代中国特色社会主义思想为指导，"
        "认真贯彻落实党的路线方针政策和省委、省政府决策部署，担当尽责，甘于奉献，作风扎实。",
        f"一、政治坚定，模范带头作用突出。{n}同志始终把讲政治摆在首位，认真学习党的二十大精神，"
        f"自觉在思想上政治上行动上同党中央保持高度一致。{she}坚持全心全意为人民服务的宗旨，"
        "在急难险重任务面前主动请缨、冲锋在前，带动身边同志形成了比学赶超、争创一流的良好氛围。",
        f"二、勤奋好学，业务能力过硬。{she}熟练掌握社会组织相关政策法规，" + "".join(facts),
        f"三、开拓创新，工作实绩突出。{n}同志注重调查研究，针对工作中的难点问题提出切实可行的解决办法，"
        "推动建立了一批管用有效的工作机制，相关做法在全省推广。"
        f"{she}主动参与乡村振兴、社会治理和吸纳高校毕业生就业等工作，协调组织开展各类服务活动，受益群众数以万计。",
        f"四、严于律己，树立良好形象。{she}模范遵守国家法律法规，廉洁自律，保持良好的“亲清”关系，"
        "无违纪违法行为，未受过党纪政务处分，在干部群众中享有良好口碑，具有较高的社会认可度和影响力。",
    ]
    return brief, "\n".join(paragraphs)


# --------------------------------------------------------------------------- data

ORG_HEADERS = ["推荐类别", "社会组织名称", "统一社会信用代码", "社会组织类型", "登记管理机关",
               "业务主管单位（行业管理部门）", "成立登记时间", "所在行政区划", "法定代表人", "秘书长",
               "专职工作人员数", "会员数", "评估等级", "评估等级有效期至", "党组织名称", "党员人数",
               "近5年年度检查情况", "单位地址", "联系人", "联系电话", "何时何地受过何种奖励",
               "何时何地受过何种处分", "简要事迹", "主要事迹", "备注"]
PERSON_HEADERS = ["推荐类别", "人员类别", "姓名", "性别", "民族", "籍贯", "出生日期", "政治面貌",
                  "学历学位", "参加工作时间", "身份证号码", "工作单位", "职务", "职称", "干部级别",
                  "从事社会组织工作起始时间", "工作单位地址", "个人联系电话", "个人简历",
                  "何时何地受过何种奖励", "何时何地受过何种处分", "简要事迹", "主要事迹", "照片", "备注"]

KIND = {"社会团体": "会", "社会服务机构": "中心", "基金会": "基金会"}


def org_row(o: dict) -> list:
    o.setdefault("kind", KIND[o["type"]])
    brief, deeds = org_texts(o)
    return [o["category"], o["name"], o["uscc"], o["type"], o["registrar"], o["supervisor"],
            o["founded"], o["region"], o["legal_rep"], o["secretary"], o["staff"], o.get("members"),
            o["rating"], o["rating_until"], o["party_org"], o["party_members"],
            "2018—2022年度检查均为合格", o["address"], o["contact"], o["contact_phone"],
            o.get("awards", "无"), "无", brief, deeds, ""]


def person_row(p: dict) -> list:
    brief, deeds = person_texts(p)
    return [p["category"], p["staff_type"], p["name"], p["gender"], p["ethnicity"], p["native_place"],
            p["birth"], p["politics"], p["education"], p["work_start"], p["id"], p["employer"], p["post"],
            p.get("title", "无"), p["cadre_level"], p.get("so_start"), p["address"], p["phone"],
            "\n".join(p["resume"]), p.get("awards", "无"), "无", brief, deeds, "", ""]


PROVINCE = {
    "file": "全省性-吉林省民政厅.xlsx",
    "unit": {"推荐单位": "吉林省民政厅", "所属地区": "省直", "联系人": "刘柏宇", "职务": "一级主任科员",
             "联系电话": "13943108826", "传真": "0431-89152036", "填表日期": "2024年3月8日"},
    "report": [
        "通知下发后，我厅高度重视，及时成立由分管厅领导任组长的评选推荐工作组，制定工作方案，明确推荐范围、名额、条件和程序，"
        "通过厅门户网站和全省社会组织信息平台发布通知，确保符合条件的全省性社会组织及其从业人员应知尽知。",
        "评选推荐中，我们坚持面向基层和工作一线，严格按照差额评选、民主择优、集体研究的原则，由各业务主管单位（行业管理部门）组织民主推荐，"
        "逐个审核推荐对象的年度检查、评估等级、信用状况和事迹材料，按管理权限征求组织人事、纪检监察、公安等部门意见。",
        "推荐对象均在本单位进行了不少于5个工作日的公示，公示期间未收到异议。经厅党组会议集体研究，确定推荐对象如下。",
    ],
    "orgs": [
        dict(category="全省性社会组织", name="吉林省慈善总会", short="省慈善总会", type="社会团体",
             uscc=credit_code("51220000508431927"), registrar="吉林省民政厅", supervisor="吉林省民政厅",
             founded="1995.06", region="吉林省长春市朝阳区", legal_rep="高振东", secretary="王立新",
             staff=18, members=412, rating="5A", rating_until="2026.12", rating_year=2021,
             party_org="中共吉林省慈善总会支部委员会", party_members=11,
             address="长春市朝阳区西安大路1501号", contact="于丽娜", contact_phone="0431-88923105",
             awards="2021年12月 被吉林省民政厅评为全省社会组织党建工作示范点",
             facts=["近5年累计募集善款和物资4.6亿元，实施“助医、助学、助老、助残”慈善项目37个，惠及困难群众21万人次。",
                    "在巩固拓展脱贫攻坚成果中，投入资金1.2亿元支持脱贫县发展庭院经济和特色产业。",
                    "连续五年开展“慈善一日捐”活动，建成社区慈善超市56家。"]),
        dict(category="全省性社会组织", name="吉林省养老服务业协会", short="省养老服务业协会", type="社会团体",
             uscc=credit_code("51220000MJ0950181"), registrar="吉林省民政厅", supervisor="无",
             founded="2014.09", region="吉林省长春市南关区", legal_rep="邵明哲", secretary="李慧",
             staff=9, members=368, rating="4A", rating_until="2027.06", rating_year=2022,
             party_org="中共吉林省养老服务业协会支部委员会", party_members=7,
             address="长春市南关区人民大街7088号", contact="冯晓光", contact_phone="13756092317",
             facts=["协会制定全省养老机构服务质量团体标准4项，培训养老护理员1.1万人次。",
                    "牵头组织会员单位开展“银龄关爱”行动，为农村特困老人提供上门服务5.3万人次。",
                    "吸纳高校毕业生到养老服务机构就业860余人。"]),
        dict(category="全省性社会组织", name="吉林省青少年发展基金会", short="省青基会", type="基金会",
             uscc=credit_code("53220000508436015"), registrar="吉林省民政厅", supervisor="共青团吉林省委员会",
             founded="1992.04", region="吉林省长春市朝阳区", legal_rep="周文博", secretary="陈思远",
             staff=12, rating="4A", rating_until="2025.12", rating_year=2020,
             party_org="中共吉林省青少年发展基金会支部委员会", party_members=8,
             address="长春市朝阳区自由大路5688号", contact="吴晶", contact_phone="0431-85627813",
             kind="基金会",
             facts=["近5年筹集希望工程资金2.3亿元，资助家庭困难学生4.2万名，援建希望小学和乡村少年宫31所。",
                    "实施“青春助力乡村振兴”项目，支持返乡青年创业项目210个。",
                    "建立资金使用全流程公开机制，捐赠信息查询率达到100%。"]),
    ],
    "persons": [
        dict(category="全省性社会组织", staff_type="社会组织负责人", name="王立新", gender="男", ethnicity="汉族",
             native_place="吉林省农安县", birth="1968.03", politics="中共党员", education="大学本科/经济学学士",
             work_start="1990.07", id=id_number("220122", "19680315", 37), employer="吉林省慈善总会",
             post="秘书长", title="高级经济师", cadre_level="其他", so_start="2011.05",
             address="长春市朝阳区西安大路1501号", phone="13904316258",
             years_text="从事社会组织工作12年",
             resume=["1986.09--1990.07 东北师范大学经济学专业学习",
                     "1990.07--2011.05 吉林省民政厅救灾救济处科员、副主任科员、主任科员",
                     "2011.05--至今 吉林省慈善总会副秘书长、秘书长"],
             awards="2020年12月 被吉林省民政厅评为全省民政系统先进工作者",
             facts=["他牵头设计“慈善+社区”服务模式，推动全省建成社区慈善工作站312个。",
                    "他组织实施的“春蕾助学”项目累计资助困难女童6800名。",
                    "在防汛救灾中，他带队连续40天驻守灾区调配物资，募集救灾款物1.8亿元。"]),
        dict(category="全省性社会组织", staff_type="社会组织专职工作人员", name="李慧", gender="女", ethnicity="朝鲜族",
             native_place="吉林省延吉市", birth="1985.11", politics="中共党员", education="研究生/管理学硕士",
             work_start="2010.07", id=id_number("222401", "19851102", 64), employer="吉林省养老服务业协会",
             post="秘书长", title="社会工作师", cadre_level="无", so_start="2014.09",
             address="长春市南关区人民大街7088号", phone="13596152480",
             years_text="从事社会组织工作9年",
             resume=["2003.09--2007.09 延边大学社会工作专业学习",
                     "2007.09--2010.07 吉林大学行政管理专业研究生学习",
                     "2010.07--2014.09 长春市南关区民政局科员",
                     "2014.09--至今 吉林省养老服务业协会副秘书长、秘书长"],
             facts=["她主持起草全省养老机构等级评定标准，组织评定星级养老机构146家。",
                    "她推动建立养老护理员职业技能等级认定机制，累计认定护理员4300人。",
                    "她组织会员单位对接高校开设订单班，吸纳毕业生就业300余人。"]),
        dict(category="省直部门", staff_type="社会组织登记管理机关工作人员", name="赵明远", gender="男",
             ethnicity="满族", native_place="吉林省伊通满族自治县", birth="1979.08", politics="中共党员",
             education="大学本科/法学学士", work_start="2002.07", id=id_number("220323", "19790821", 15),
             employer="吉林省民政厅", post="社会组织管理局登记审查处一级主任科员", title="无", cadre_level="其他",
             address="长春市绿园区普阳街1616号", phone="13843011572",
             years_text="从事社会组织登记管理工作15年",
             resume=["1998.09--2002.07 吉林大学法学院法学专业学习",
                     "2002.07--2008.10 吉林省民政厅办公室科员",
                     "2008.10--至今 吉林省民政厅社会组织管理局科员、主任科员、一级主任科员"],
             facts=["他参与起草社会组织登记管理办法等规范性文件8件，推动实现社会组织登记“一网通办”。",
                    "他牵头清理整治“僵尸型”社会组织217家，依法查处非法社会组织12家。",
                    "他坚持每年深入基层调研不少于60天，帮助解决社会组织发展难题90余个。"]),
        dict(category="省直部门", staff_type="业务主管单位（行业管理部门）工作人员", name="孙雅琴", gender="女",
             ethnicity="汉族", native_place="吉林省榆树市", birth="1983.05", politics="民盟盟员",
             education="研究生/教育学硕士", work_start="2008.07", id=id_number("220182", "19830517", 28),
             employer="吉林省教育厅", post="政策法规处二级主任科员", title="无", cadre_level="其他",
             address="长春市南关区人民大街1811号", phone="13620768145",
             years_text="从事教育类社会组织业务指导工作10年",
             resume=["2001.09--2005.09 东北师范大学教育学专业学习",
                     "2005.09--2008.07 东北师范大学教育管理专业研究生学习",
                     "2008.07--至今 吉林省教育厅科员、二级主任科员"],
             facts=["她负责全省教育类社会组织业务指导，推动86家教育类社会团体完成章程核准和党建入章。",
                    "她建立教育类社会组织年度检查联审机制，连续五年年检合格率保持在98%以上。",
                    "她组织开展校外培训机构专项治理，规范办学行为。"]),
    ],
}

LOCAL = {
    "file": "地方-吉林市.xlsx",
    "unit": {"推荐单位": "吉林市民政局", "所属地区": "吉林市", "联系人": "张宏伟", "职务": "社会组织管理科科长",
             "联系电话": "13894221735", "传真": "0432-62451378", "填表日期": "2024年3月6日"},
    "report": [
        "接到通知后，吉林市民政局、吉林市人力资源和社会保障局联合成立评选推荐工作领导小组，印发工作方案，"
        "将推荐名额分解到各县（市、区），明确时间节点和工作要求。",
        "各县（市、区）民政局、人社局按照“自下而上、逐级审核”的要求开展推荐，社会组织及其从业人员经业务主管单位审查同意后上报，"
        "社会组织管理工作人员经所在单位审查同意后上报。市级对推荐对象的资格条件、事迹材料和征求意见情况进行了逐一审核。",
        "推荐对象在所在单位和社会组织进行了不少于5个工作日的公示，市级初评后又进行了5个工作日的公示，均无异议。",
    ],
    "orgs": [
        dict(category="地方社会组织", name="吉林市物流协会", short="市物流协会", type="社会团体",
             uscc=credit_code("51220200MJ0871633"), registrar="吉林市民政局", supervisor="吉林市商务局",
             founded="2009.03", region="吉林省吉林市昌邑区", legal_rep="马振江", secretary="韩冬梅",
             staff=7, members=236, rating="5A", rating_until="2025.09", rating_year=2020,
             party_org="中共吉林市物流协会支部委员会", party_members=6,
             address="吉林市昌邑区解放北路588号", contact="韩冬梅", contact_phone="0432-62218456",
             facts=["协会组织会员企业开通冷链物流专线12条，帮助农户销售大米、木耳等特色农产品3.6万吨。",
                    "搭建物流企业用工对接平台，促进高校毕业生和农民工就业1200余人。",
                    "在疫情防控期间组建应急运输车队，保障了全市生活物资运输。"]),
        dict(category="地方社会组织", name="吉林市船营区爱心助老服务中心", short="爱心助老服务中心",
             type="社会服务机构", uscc=credit_code("52220204MJ1002456"), registrar="吉林市船营区民政局",
             supervisor="吉林市船营区民政局", founded="2013.07", region="吉林省吉林市船营区",
             legal_rep="刘淑珍", secretary="无", staff=23, rating="4A", rating_until="2026.10", rating_year=2021,
             party_org="中共吉林市船营区爱心助老服务中心支部委员会", party_members=5,
             address="吉林市船营区越山路26号", contact="刘淑珍", contact_phone="13843231907",
             facts=["中心运营社区居家养老服务站9个，为辖区老年人提供助餐、助浴、助医服务年均4.8万人次。",
                    "组建“时间银行”志愿服务队，注册志愿者1600人。",
                    "承接政府购买服务项目21个，项目评估均为优秀。"]),
    ],
    "persons": [
        dict(category="地方社会组织", staff_type="社会组织负责人", name="刘淑珍", gender="女", ethnicity="汉族",
             native_place="吉林省舒兰市", birth="1972.10", politics="中共党员", education="大学专科",
             work_start="1993.08", id=id_number("220283", "19721009", 42), employer="吉林市船营区爱心助老服务中心",
             post="主任", title="社会工作师", cadre_level="无", so_start="2013.07",
             address="吉林市船营区越山路26号", phone="13843231907",
             years_text="从事社会组织工作10年",
             resume=["1990.09--1993.07 吉林医药学院护理专业学习",
                     "1993.08--2013.07 吉林市船营区医院护士、护士长",
                     "2013.07--至今 吉林市船营区爱心助老服务中心主任"],
             awards="2022年3月 被吉林市人民政府评为吉林市三八红旗手",
             facts=["她创办的爱心助老服务中心从3名员工发展到23名专职社工。",
                    "她探索“医养结合”居家服务模式，为失能老人建立健康档案1800份。",
                    "她带头参加防汛救灾，组织志愿者转移安置老人400余名。"]),
        dict(category="地方社会组织", staff_type="社会组织专职工作人员", name="韩冬梅", gender="女", ethnicity="满族",
             native_place="吉林省永吉县", birth="1981.01", politics="中共党员", education="大学本科/管理学学士",
             work_start="2004.07", id=id_number("220221", "19810123", 86), employer="吉林市物流协会",
             post="秘书长", title="物流师", cadre_level="无", so_start="2009.03",
             address="吉林市昌邑区解放北路588号", phone="13504426613",
             years_text="从事社会组织工作14年",
             resume=["2000.09--2004.07 北华大学物流管理专业学习",
                     "2004.07--2009.03 吉林市鸿运物流有限公司业务员",
                     "2009.03--至今 吉林市物流协会副秘书长、秘书长"],
             facts=["她推动协会建立行业诚信自律公约，组织268家会员企业签订诚信承诺书。",
                    "她牵头搭建农产品上行物流服务平台，打通农村物流“最后一公里”。",
                    "她组织开展物流从业人员技能培训42期，培训3100人次。"]),
        dict(category="地方部门", staff_type="社会组织登记管理机关工作人员", name="张宏伟", gender="男",
             ethnicity="汉族", native_place="吉林省蛟河市", birth="1977.06", politics="中共党员",
             education="大学本科/法学学士", work_start="1999.07", id=id_number("220281", "19770612", 53),
             employer="吉林市民政局", post="社会组织管理科科长", title="无", cadre_level="县级党委管理的科级",
             address="吉林市船营区北京路69号", phone="13894221735",
             years_text="从事社会组织登记管理工作16年",
             resume=["1995.09--1999.07 吉林师范大学法学专业学习",
                     "1999.07--2007.09 吉林市民政局办公室科员",
                     "2007.09--至今 吉林市民政局社会组织管理科科员、副科长、科长"],
             facts=["他推动全市社会组织党组织覆盖率由62%提高到96%。",
                    "他建立社会组织等级评估常态化机制，全市4A级以上社会组织增加到58家。",
                    "他牵头开展打击整治非法社会组织专项行动，取缔非法社会组织9家。"]),
        dict(category="地方部门", staff_type="业务主管单位（行业管理部门）工作人员", name="周婉清", gender="女",
             ethnicity="回族", native_place="吉林省吉林市丰满区", birth="1986.12", politics="无党派人士",
             education="研究生/社会学硕士", work_start="2012.07", id=id_number("220211", "19861205", 20),
             employer="吉林市卫生健康委员会", post="规划发展科四级主任科员", title="无", cadre_level="其他",
             address="吉林市船营区光华路15号", phone="13689773046",
             years_text="从事卫生健康类社会组织业务指导工作8年",
             resume=["2005.09--2009.09 长春理工大学社会学专业学习",
                     "2009.09--2012.07 吉林大学社会学专业研究生学习",
                     "2012.07--至今 吉林市卫生健康委员会科员、四级主任科员"],
             facts=["她负责全市卫生健康类社会组织业务指导，推动37家医学类学会完成内部治理规范化建设。",
                    "她组织开展医学类社会组织“健康进乡村”义诊活动，服务群众2.6万人次。",
                    "她建立行业协会商会收费行为检查机制，清理不合理收费项目11项。"]),
    ],
}


def write_sample(spec: dict, out_dir: Path) -> Path:
    wb = new_workbook("shzz", spec["unit"])
    rep = wb.create_sheet("推荐工作报告")
    rep["A1"] = "推荐工作组织情况"
    rep["B1"] = "\n".join(spec["report"])
    orgs = add_sheet(wb, "先进社会组织", ORG_HEADERS, [org_row(o) for o in spec["orgs"]])
    persons = add_sheet(wb, "先进个人", PERSON_HEADERS, [person_row(p) for p in spec["persons"]])
    return save_workbook(wb, (orgs, persons), out_dir / spec["file"])


def write_all(out_dir: Path) -> list[Path]:
    load_campaign("shzz")   # fails early if the definition is broken
    return [write_sample(spec, out_dir) for spec in (PROVINCE, LOCAL)]


def main(argv=None):
    run(argv, __doc__.splitlines()[0], OUT, write_all)


if __name__ == "__main__":
    main()
