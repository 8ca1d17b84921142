"""The privacy notice (个人信息处理规则) patients consent to before a 就诊人 is added (PIPL arts. 14, 28, 29).

ID numbers and health data (checkup packages, bills, booked days) are sensitive personal information:
their processing needs a separate consent (单独同意) after the notice was shown. Changing the text means
a new ``VERSION``; a consent to an older version no longer lets a user add a 就诊人.
"""

from __future__ import annotations

VERSION = "2026-12-03"
PURPOSES = ("id_and_health",)  # the separate consent asked for: ID documents and health data

TEXT = """\
体检预约缴费 个人信息处理规则（版本 2026-12-03）

一、处理者：本医院体检中心（以下简称"我们"）。
二、我们处理的个人信息：您及您添加的就诊人的姓名、性别、出生日期、证件类型与号码、手机号码，\
以及体检套餐、缴费、退费和预约记录。证件号码和体检相关信息属于敏感个人信息。
三、目的与方式：在医院信息系统（HIS）和体检系统中核对身份、开单、缴费、预约和出具体检报告；\
通过短信向医院登记的手机号发送验证码，确认您有权为该就诊人办理业务。
四、必要性与影响：不提供上述信息将无法在线缴费和预约；这些信息一旦泄露可能影响您的人身和财产安全，\
我们对证件号码和手机号码加密存储，在页面、报表和导出文件中只显示遮盖后的号码和年龄段。
五、保存期限：按医疗收费与病历管理的法定期限保存，期满后删除或匿名化。
六、共享：仅向本院 HIS、体检系统、微信支付及依法具有监管职责的卫生健康部门提供办理业务和监管所需的信息。
七、您的权利：您可以查阅、复制、更正、删除您的个人信息，撤回同意（撤回后将无法继续在线办理），\
或联系体检中心咨询、投诉。为他人（如家人）添加就诊人前，请确认已取得其同意；\
不满十四周岁的就诊人须由其监护人添加。
"""


def notice() -> dict[str, str]:
    """The current notice as the API answers it."""
    return {"version": VERSION, "text": TEXT}
