"""Demo PEIS packages (体检套餐) served by the sandbox: realistic names, items, prices and 体检须知."""

from __future__ import annotations

from typing import Any

# code: (name, dept, price_fen, note)
_ITEMS: dict[str, tuple[str, str, int, str]] = {
    "YB001": ("一般检查（身高、体重、血压、BMI）", "一般检查室", 1000, ""),
    "NK001": ("内科检查", "内科", 1000, ""),
    "WK001": ("外科检查", "外科", 1000, ""),
    "YK001": ("眼科检查（视力、色觉、眼底）", "眼科", 1500, ""),
    "EB001": ("耳鼻喉科检查", "耳鼻喉科", 1000, ""),
    "KQ001": ("口腔科检查", "口腔科", 1000, ""),
    "FK001": ("妇科检查", "妇科", 2000, "未婚女性不做；月经期请改期"),
    "XCG01": ("血常规（五分类）", "检验科", 2500, "需空腹"),
    "NCG01": ("尿常规", "检验科", 1500, "留取中段晨尿"),
    "DBC01": ("大便常规+隐血", "检验科", 2000, ""),
    "GGN01": ("肝功能五项", "检验科", 4000, "需空腹"),
    "SGN01": ("肾功能三项（尿素、肌酐、尿酸）", "检验科", 3000, "需空腹"),
    "XZ004": ("血脂四项", "检验科", 3000, "需空腹"),
    "KFXT1": ("空腹血糖", "检验科", 1000, "需空腹"),
    "THXH1": ("糖化血红蛋白", "检验科", 5000, ""),
    "HCY01": ("同型半胱氨酸", "检验科", 4000, "需空腹"),
    "XJM01": ("心肌酶谱", "检验科", 6000, "需空腹"),
    "HBSAG": ("乙肝表面抗原", "检验科", 2000, ""),
    "ZLM04": ("肿瘤标志物四项", "检验科", 16000, "需空腹"),
    "JGN03": ("甲状腺功能三项", "检验科", 9000, ""),
    "C13HB": ("碳13呼气试验（幽门螺杆菌）", "检验科", 15000, "需空腹；一个月内停用抗生素及胃药"),
    "TCT01": ("宫颈液基细胞学检查（TCT）", "病理科", 15000, "检查前3天避免阴道用药及性生活"),
    "HPV01": ("HPV 分型检测", "检验科", 25000, "检查前3天避免阴道用药及性生活"),
    "XDT01": ("十二导联心电图", "心电图室", 2500, ""),
    "DTXD1": ("24 小时动态心电图", "心电图室", 20000, "佩戴期间避免洗澡及剧烈运动"),
    "XPDR1": ("胸部正位 DR", "放射科", 6000, "孕妇及备孕者禁做"),
    "LDCT1": ("胸部低剂量螺旋 CT", "放射科", 25000, "孕妇及备孕者禁做"),
    "GMD01": ("骨密度检测（双能 X 线）", "放射科", 8000, "孕妇及备孕者禁做"),
    "RXMB1": ("乳腺钼靶", "放射科", 20000, "孕妇及备孕者禁做"),
    "TLMR1": ("头颅 MRI 平扫", "放射科", 60000, "体内有金属植入物者请提前告知"),
    "FBCS1": ("腹部彩超（肝、胆、胰、脾、肾）", "超声科", 12000, "需空腹"),
    "QLXC1": ("前列腺彩超", "超声科", 6000, "需憋尿"),
    "RXCS1": ("乳腺彩超", "超声科", 10000, ""),
    "ZGFJ1": ("子宫附件彩超", "超声科", 10000, "需憋尿"),
    "JZXC1": ("甲状腺彩超", "超声科", 10000, ""),
    "JDMC1": ("颈动脉彩超", "超声科", 15000, ""),
    "XZCS1": ("心脏彩超", "超声科", 20000, ""),
    "TCD01": ("经颅多普勒（TCD）", "神经内科", 12000, ""),
}

# The centre-wide notes the demo PEIS puts first in every package's notes: the same text as the
# product's default centre notice (CHECKUP_CENTRE_NOTICE), so the two never disagree in the demo. The sandbox
# imports nothing of the product (a real PEIS holds its own text); tests/unit/test_import_rules.py checks the
# two texts stay equal.
DEMO_GENERAL_NOTICE = "\n".join((
    "体检前一天请清淡饮食，晚上 10 点后禁食，体检当日早晨空腹（可少量饮水），抽血及腹部彩超完成后再进食。",
    "请携带本人有效身份证件原件，按预约日期 7:30—10:30 到体检中心前台签到。",
    "体检前 3 天避免饮酒、熬夜及剧烈运动；慢性病患者降压药等常规药物可照常服用。",
    "请穿着宽松衣物，勿佩戴金属饰品；孕妇及可能怀孕者请勿做 X 线、CT 类检查并提前告知医生。",
    "女性月经期间不宜做妇科检查及尿检，可改约或待经期结束后补检。",
))
_GENERAL_NOTES = "\n".join(f"{n}. {line}" for n, line in enumerate(DEMO_GENERAL_NOTICE.split("\n"), start=1))

_PACKAGES: list[dict[str, Any]] = [
    {
        "code": "RZ001",
        "name": "入职体检",
        "type": "入职体检",
        "sex": "any",
        "summary": "满足多数单位入职要求的基础项目，含血常规、肝功能、胸片、心电图。",
        "items": ["YB001", "NK001", "WK001", "YK001", "XCG01", "NCG01", "GGN01", "HBSAG", "XPDR1", "XDT01"],
        "addons": ["FBCS1"],
        "extra_notes": "6. 如单位提供专用体检表，请带上并贴好近期一寸免冠照片。",
    },
    {
        "code": "JC001M",
        "name": "基础体检（男）",
        "type": "个人体检",
        "sex": "male",
        "summary": "成年男性年度基础筛查：血尿常规、肝肾功能、血脂血糖、胸片、腹部及前列腺彩超。",
        "items": [
            "YB001",
            "NK001",
            "WK001",
            "YK001",
            "EB001",
            "KQ001",
            "XCG01",
            "NCG01",
            "GGN01",
            "SGN01",
            "XZ004",
            "KFXT1",
            "XDT01",
            "XPDR1",
            "FBCS1",
            "QLXC1",
        ],
        "addons": ["JZXC1", "ZLM04", "C13HB"],
        "extra_notes": "6. 前列腺彩超需憋尿，请在检查前 1 小时适量饮水。",
    },
    {
        "code": "JC001F",
        "name": "基础体检（女）",
        "type": "个人体检",
        "sex": "female",
        "summary": "成年女性年度基础筛查：在基础项目上增加妇科检查、乳腺及子宫附件彩超。",
        "items": [
            "YB001",
            "NK001",
            "WK001",
            "YK001",
            "EB001",
            "KQ001",
            "FK001",
            "XCG01",
            "NCG01",
            "GGN01",
            "SGN01",
            "XZ004",
            "KFXT1",
            "XDT01",
            "XPDR1",
            "FBCS1",
            "RXCS1",
            "ZGFJ1",
        ],
        "addons": ["TCT01", "HPV01", "JZXC1"],
        "extra_notes": "6. 妇科检查及子宫附件彩超请避开月经期；未婚女性不做妇科检查，子宫附件彩超需憋尿。",
    },
    {
        "code": "ZLN001",
        "name": "中老年体检",
        "type": "个人体检",
        "sex": "any",
        "summary": "适合 50 岁以上人群：肿瘤标志物、低剂量肺部 CT、骨密度、颈动脉及甲状腺彩超。",
        "items": [
            "YB001",
            "NK001",
            "WK001",
            "YK001",
            "XCG01",
            "NCG01",
            "DBC01",
            "GGN01",
            "SGN01",
            "XZ004",
            "KFXT1",
            "THXH1",
            "HCY01",
            "ZLM04",
            "XDT01",
            "LDCT1",
            "GMD01",
            "FBCS1",
            "JZXC1",
            "JDMC1",
        ],
        "addons": ["XZCS1", "C13HB", "JGN03"],
        "extra_notes": "6. 行动不便的老人请由家属陪同；糖尿病患者请随身携带糖果以防低血糖。",
    },
    {
        "code": "XNXG001",
        "name": "心脑血管专项",
        "type": "专项体检",
        "sex": "any",
        "summary": "针对高血压、高血脂、糖尿病及有家族史人群的心脑血管风险评估。",
        "items": [
            "YB001",
            "NK001",
            "XZ004",
            "KFXT1",
            "THXH1",
            "HCY01",
            "XJM01",
            "XDT01",
            "XZCS1",
            "JDMC1",
            "TCD01",
        ],
        "addons": ["TLMR1", "DTXD1"],
        "extra_notes": "6. 请携带既往心电图、影像报告及正在服用的药物清单；降压药请照常服用。",
    },
    {
        "code": "LA001",
        "name": "女性两癌筛查",
        "type": "专项体检",
        "sex": "female",
        "summary": "宫颈癌与乳腺癌筛查：妇科检查、TCT、HPV 分型及乳腺彩超。",
        "items": ["YB001", "FK001", "TCT01", "HPV01", "RXCS1"],
        "addons": ["RXMB1"],
        "extra_notes": "6. 请避开月经期，检查前 3 天避免阴道用药、冲洗及性生活。",
    },
]


def _item(code: str, kind: str) -> dict[str, Any]:
    name, dept, price_fen, note = _ITEMS[code]
    return {"code": code, "name": name, "kind": kind, "note": note, "price_fen": price_fen, "dept": dept}


def demo_packages() -> list[dict[str, Any]]:
    """Fresh copies of the demo packages; the price is the sum of the package's own items."""
    packages = []
    for spec in _PACKAGES:
        items = [_item(code, "item") for code in spec["items"]] + [
            _item(code, "addon") for code in spec["addons"]
        ]
        packages.append(
            {
                "code": spec["code"],
                "name": spec["name"],
                "type": spec["type"],
                "sex": spec["sex"],
                "price_fen": sum(i["price_fen"] for i in items if i["kind"] == "item"),
                "summary": spec["summary"],
                "items": items,
                "notes": _GENERAL_NOTES + "\n" + spec["extra_notes"],
            }
        )
    return packages


# Subscription message templates of the sandbox mini-program account (订阅消息 → 我的模板):
# id -> (title, keywords). The ids are what CHECKUP_WECHAT_TEMPLATE_* default to with the sandbox on.
_TEMPLATES = {
    "sandbox-tmpl-payment": ("缴费成功通知", ["thing1", "amount2", "name3", "time4", "character_string5"]),
    "sandbox-tmpl-booking": ("预约成功通知", ["thing1", "date2", "name3", "thing4"]),
    "sandbox-tmpl-change": ("预约变更通知", ["thing1", "date2", "date3", "name4"]),
    "sandbox-tmpl-cancel": ("预约取消通知", ["thing1", "date2", "name3", "thing4"]),
    "sandbox-tmpl-reminder": ("体检提醒", ["thing1", "date2", "name3", "thing4"]),
    "sandbox-tmpl-refund": ("退款成功通知", ["thing1", "amount2", "name3", "thing4", "character_string5"]),
}


def demo_templates() -> dict[str, dict[str, Any]]:
    """Fresh copies of the sandbox account's subscription message templates."""
    return {tid: {"template_id": tid, "title": title, "keywords": list(keywords)}
            for tid, (title, keywords) in _TEMPLATES.items()}
