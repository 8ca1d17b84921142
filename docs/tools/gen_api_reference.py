"""Render docs/interfaces/http-api.md (Chinese HTTP API reference) from the app's route table and OpenAPI document.

    .venv/bin/python docs/tools/gen_api_reference.py          # rewrite docs/interfaces/http-api.md
    .venv/bin/python docs/tools/gen_api_reference.py --check  # exit 1 when the committed file is stale

The facts (paths, methods, authentication, roles, audit actions, rate limits, parameters, fields, types,
constraints, status codes) come from the code: ``checkup.api.routing.ROUTES`` and
``checkup.api.system.openapi_document()``. What the code states in English (route summaries) or not at
all (field meanings, the business errors a route answers) is kept here in Chinese, keyed by route and
field; a route or field missing from these tables is still rendered, with the code's own English
summary or "—", so the reference never omits what the code serves. tests/unit/test_docs.py fails when
the committed file differs from what this script renders.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "interfaces" / "http-api.md"
sys.path.insert(0, str(ROOT / "backend"))

# ---- Chinese texts the code does not carry ------------------------------------------------------

GROUPS: list[tuple[str, str, str]] = [
    # (tag = blueprint name, heading, one line about the group)
    ("system", "系统", "存活检查与接口文档，无需认证。"),
    ("patient", "患者端（小程序）", "患者令牌来自 `POST /api/auth/wechat`；患者只能访问自己的就诊人、收费单、支付单与预约，别人的记录与不存在的记录一样答 404。"),
    ("wechatpay", "微信支付通知", "由微信支付服务器调用；按微信支付 API v3 验签并解密，应答 `{\"code\": \"SUCCESS\", \"message\": \"成功\"}`。"),
    ("his_notify", "HIS 主动通知", "由能主动推送的 HIS 调用，签名同我方调用 HIS（见 [his-peis-protocol.md](his-peis-protocol.md) §12）；我方收到后向 HIS 核对该收费单再处理。"),
    ("console", "工作人员控制台", "员工令牌来自 `POST /api/console/login`；每个路由只对列出的角色开放（服务端逐次检查），带“审计动作”的路由每次调用（成功或失败）都写一条审计日志。"),
    ("console_finance", "控制台 · 缴费、对账与任务", "财务（finance）与管理员使用。"),
    ("sharing", "数据共享开放接口（监管平台）", "按 [数据共享接口说明](data-sharing.md) 的签名规则调用；“角色”一栏为应用被授予的权限范围（scope）。"),
]

AUTH_TEXT = {
    "public": "无需认证",
    "patient": "患者令牌（`Authorization: Bearer <token>`，来自 `POST /api/auth/wechat`）",
    "staff": "员工令牌（`Authorization: Bearer <token>`，来自 `POST /api/console/login`）",
    "signature": "微信支付平台签名（`Wechatpay-Signature` 等请求头，验签后解密通知）",
    "openapi": "开放接口签名（AppKey + 时间戳 + 随机串 + HMAC-SHA256，见 [data-sharing.md](data-sharing.md)）",
    "his": "HIS 签名（`X-Checkup-AppId`、时间戳、一次性随机串、HMAC-SHA256，见 [his-peis-protocol.md](his-peis-protocol.md)）",
}

ROLE_TEXT = {"admin": "管理员 admin", "staff": "体检中心工作人员 staff", "finance": "财务 finance",
             "auditor": "审计员 auditor"}

SUMMARY: dict[str, str] = {
    "GET /api/health": "存活检查，同时报告数据库与 Redis 的状态；数据库不通或已配置的 Redis 不通时 `status` 为 `degraded`。",
    "GET /api/ping": "不访问数据库与 Redis 的存活检查（负载均衡探测、压测基线）。",
    "GET /api/openapi.json": "本接口的 OpenAPI 3.1 文档（即本参考的来源）。",
    "GET /api/ready": "就绪检查：数据库（及已配置的 Redis）可用时 200，否则 503；负载均衡据此摘除实例。",
    "GET /api/metrics": "Prometheus 文本格式的运行指标。",
    "POST /api/auth/wechat": "小程序登录：用 `wx.login` 得到的 code 换取患者令牌。",
    "GET /api/auth/wechat-oa/authorize": "公众号 H5 登录第一步：微信网页授权（snsapi_base）地址与签名的 state（10 分钟有效）。",
    "POST /api/auth/wechat-oa": "公众号 H5 登录第二步：用授权回来的 code 与 state 换取患者令牌；state 须为本系统签发、未过期。",
    "GET /api/packages": "上架的体检套餐（个人体检页）。",
    "GET /api/packages/{code}": "一个上架套餐的详情（含项目与须知）。",
    "GET /api/me/patients": "我的就诊人（默认就诊人在前）；身份证号、手机号只返回掩码。",
    "POST /api/me/patients": "添加就诊人：校验身份证号与手机号，在 HIS 中查找或建档；性别、出生日期由身份证号得出。",
    "DELETE /api/me/patients/{patient_id}": "删除就诊人（有未完成预约时不可删除）。",
    "PUT /api/me/patients/{patient_id}/default": "设为默认就诊人。",
    "POST /api/me/orders": "流程 1 在线开单：PEIS 为就诊人开出所选套餐的订单并推送 HIS，返回新的待缴费收费单。",
    "GET /api/me/charges": "一个就诊人的收费单：待缴费的实时读 HIS，已缴费的带其有效预约。",
    "GET /api/calendar": "预约日历：每天是否开放、号源、剩余、能否预约及不能预约的原因。",
    "POST /api/me/bookings": "为一张已缴费的收费单预约体检日期。",
    "GET /api/me/bookings": "预约记录。",
    "GET /api/me/bookings/{booking_id}": "一条预约（含套餐须知）。",
    "POST /api/me/bookings/{booking_id}/reschedule": "改约到另一天（截止日期前、未被确认）。",
    "POST /api/me/bookings/{booking_id}/cancel": "取消预约（截止日期前、未被确认），号源释放。",
    "POST /api/me/payments": "为待缴费收费单创建微信支付订单（下单前向 HIS 核对），返回 `wx.requestPayment` 的参数。",
    "GET /api/me/payments/{payment_no}": "支付单状态；仍待支付时向微信支付查单确认。",
    "POST /api/me/refunds": "申请退费：经本系统微信缴费、没有有效预约的已缴费项目。",
    "POST /api/wechatpay/notify/payment": "支付成功通知（TRANSACTION.SUCCESS）：只入账一次，并排队回写 HIS。",
    "POST /api/wechatpay/notify/refund": "退款结果通知（REFUND.SUCCESS / ABNORMAL / CLOSED）：记录退款结果。",
    "POST /api/console/login": "员工登录；同一账号连续 5 次失败锁定 30 分钟。",
    "POST /api/console/logout": "注销本次会话。",
    "GET /api/console/me": "当前会话的员工信息。",
    "POST /api/console/me/password": "修改本人密码：须输入当前密码（输错计入登录失败次数，可致锁定）；新密码须符合密码策略且不同于当前密码；成功后本人的其他会话失效，本次会话保留。",
    "GET /api/console/audit-logs": "审计日志，最新在前；按北京时间日期、操作人、操作（前缀匹配）与结果查询。",
    "GET /api/console/bookings": "某状态（默认已确认）的预约：报表各列加确认时间与确认人。",
    "POST /api/console/bookings/confirm": "批量确认（已确认的跳过；有不存在的预约号则全部不确认）。",
    "POST /api/console/bookings/{booking_id}/confirm": "确认一位已预约患者：该行离开预约患者报表。",
    "POST /api/console/bookings/{booking_id}/reschedule": "员工代患者改约（不受患者改约截止限制，受号源限制）；患者收到通知，记审计。",
    "POST /api/console/bookings/{booking_id}/cancel": "员工代患者取消预约（须填原因，告知患者），号源释放。",
    "POST /api/console/bookings/{booking_id}/no-show": "标记未到检（预约当天或之后）：号源释放，离开报表，收费单可按规则再约或退费。",
    "POST /api/console/holidays/range": "一次设置连续多天为休息日（同名）；有预约的日期须说明改约或取消。",
    "POST /api/console/holidays/import": "导入年度节假日安排文件（休 / 班），调休上班日开放号源。",
    "POST /api/his/notify": "HIS 通知收费单在窗口退费、作废或改价；我方向 HIS 核对后取消其预约。",
    "POST /api/console/bookings/{booking_id}/unconfirm": "撤销确认（仅管理员）：预约回到“已预约”并重新出现在报表中。",
    "GET /api/console/holidays": "休息日列表，可按日期范围查询。",
    "POST /api/console/holidays": "设置休息日（或修改已有休息日的名称）。",
    "DELETE /api/console/holidays/{day}": "删除休息日，该日恢复为工作日。",
    "GET /api/console/packages": "全部套餐及其上架状态。",
    "PUT /api/console/packages/{code}": "上架或下架一个套餐（是否在小程序中显示）。",
    "POST /api/console/packages/sync": "立即从 PEIS 同步套餐。",
    "POST /api/console/patients/{patient_id}/reveal": "查看就诊人完整的身份证号或手机号（仅管理员；必须填写原因；审计中不记录该值；限频）。",
    "GET /api/console/quota": "日期范围内（默认今天起 30 天）每天的号源、已约、剩余与开放状态。",
    "PUT /api/console/quota/{day}": "设置某日号源数与是否开放；号源数少于已约人数时拒绝（`CAPACITY_BELOW_BOOKED`）；关闭有预约的日期须说明改约或取消（`DAY_HAS_BOOKINGS`）。",
    "POST /api/console/quota/batch": "按星期批量设置日期范围内的号源与开放状态；已约超过新号源数、已关闭（未勾选包括）、关闭时有预约的日期跳过并列出原因。",
    "GET /api/console/reports/booked-patients": "预约患者报表（按套餐、状态筛选，每日与每套餐统计，可按手机号后四位搜索，允许的角色可看完整手机号并记审计）；`format=xlsx|pdf` 时下载文件。",
    "GET /api/console/booking-rules": "预约规则、每周号源模板与下一次放号时间。",
    "PUT /api/console/booking-rules": "整体替换预约规则（作为整体校验）；管理员与体检中心工作人员可改。",
    "GET /api/console/staff": "全部员工账号（从不返回密码哈希）。",
    "POST /api/console/staff": "新建员工账号；密码须符合密码策略。",
    "PUT /api/console/staff/{username}": "修改员工账号（姓名、角色、启用、重置密码、解锁）；管理员不能停用自己或取消自己的管理员角色。",
    "GET /api/console/payments": "日期范围内的支付单，含 HIS 回写与退款状态及合计。",
    "GET /api/console/reconciliation": "某日三方对账（微信支付账单、HIS 结算、本系统记录）及差异。",
    "GET /api/console/jobs": "按状态列出持久任务；`failed`（重试用尽）的任务需要人工处理。",
    "POST /api/console/jobs/{job_id}/retry": "重新执行一个失败（重试用尽）的任务：状态改回 `pending`、执行次数清零、立即执行；其他状态答 409（`JOB_NOT_RETRYABLE`）。回写 HIS 与退款均幂等，重复执行不会重复入账或退款。",
    "GET /api/console/alerts": "未结束的财务提醒（如 `WECHAT_NOT_ENOUGH` 商户号余额不足、退款将自动重试）；每次事件只提醒一条，期间重复发生只累计次数，微信再次受理退款后自动结束。首页与任务页显示。",
    "GET /api/console/refunds": "退款任务：默认列出需人工处理的退款（`failed` 两边均未退款、`abnormal` 医院已退而微信未能完成），`?status=` 可按状态查；每条带中文原因 `reason_text`。",
    "POST /api/console/refunds/{refund_no}/retry": "财务重新执行一笔停下的退款：`failed` 从医院退费重新开始，`abnormal` 以新的商户退款单号重新向微信发起；其他状态答 409（`REFUND_NOT_ALLOWED`）。记入审计。",
    "POST /api/console/payments/{payment_no}/refund": "全额退款一笔因微信金额与下单金额不符而挂起（held）的支付单。",
    "GET /api/console/open-clients": "全部数据共享接入应用（从不返回密钥）。",
    "POST /api/console/open-clients": "新建接入应用；密钥只在本次应答中出现一次。",
    "PUT /api/console/open-clients/{client_id}": "修改接入应用的名称、备注、授权范围、每分钟上限或启用状态。",
    "POST /api/console/open-clients/{client_id}/rotate-secret": "重置密钥：新密钥只在本次应答中出现一次，旧密钥立即失效。",
    "DELETE /api/console/open-clients/{client_id}": "删除接入应用：其应用标识立即失效。",
    "GET /api/open/v1/ping": "校验签名：返回调用所用的应用、授权范围与服务器时间。",
    "GET /api/open/v1/bookings": "按体检日期查询预约明细（个人信息只给掩码，分页）。",
    "GET /api/open/v1/booking-counts": "按体检日期、套餐与状态统计的预约数，及逐日合计。",
    "GET /api/open/v1/payment-totals": "逐日的微信缴费与成功退款合计（分）。",
}

# Field meanings by name; "Model.field" entries win over the bare name.
FIELD: dict[str, str] = {
    "first_at": "首次发生时间",
    "last_at": "最近一次发生时间",
    "times": "本次事件中发生的次数",
    "text": "中文说明：发生了什么、需要做什么",
    "action": "操作（审计动作名，如 `quota.update`）",
    "DifferenceOut.action": "建议的处理办法",
    "active": "是否启用",
    "actor": "操作人用户名",
    "age": "年龄（周岁，按体检日计算）",
    "already_confirmed": "本来就已确认、本次跳过的预约号",
    "amount_fen": "金额（分）",
    "PaymentsSummaryOut.amount_fen": "已支付合计金额（分）",
    "amounts": "各方记录的金额（分），键为来源",
    "at": "时间（北京时间，ISO 8601）",
    "attempts": "已尝试次数",
    "bad_rows": "微信账单中无法读取的行数（每行一项差异）",
    "bill_no": "HIS 收费单号（缴费单号）",
    "bill_nos": "收费单号列表",
    "PaymentIn.bill_nos": "要一起支付的待缴费收费单号（1–10 个，须属于同一就诊人）",
    "birth_date": "出生日期（由身份证号得出）",
    "bookable": "患者能否预约该日",
    "booked": "已预约人数",
    "booked_at": "预约提交时间",
    "booking": "该收费单的有效预约（无则为 null）",
    "booking_id": "预约号",
    "can_change": "现在能否改约或取消",
    "capacity": "号源数（当日最多可约人数）",
    "cause": "差异原因",
    "change_cutoff_days": "改约/取消截止：体检日前几天之后不能改约或取消",
    "change_deadline": "最后可改约/取消的日期",
    "charge": "收费单",
    "closed_weekdays": "每周固定休息日（1=周一 … 7=周日）",
    "code": "编码",
    "ErrorBody.code": "错误码（稳定的大写标识）",
    "WechatLoginIn.code": "`wx.login` 返回的临时登录凭证",
    "WechatAckOut.code": "固定为 `SUCCESS`",
    "ConsolePackageOut.code": "套餐编码（PEIS）",
    "PackageOut.code": "套餐编码（PEIS）",
    "PackageItemOut.code": "项目编码",
    "components": "OpenAPI 组件",
    "confirmed": "本次确认的数量",
    "confirmed_at": "确认时间",
    "confirmed_by": "确认人用户名",
    "cancelled_at": "取消时间（仅已取消的预约）",
    "cancelled_by": "谁取消的：`patient` 患者、`his` 医院 HIS（窗口退费、作废、改价）、`staff:用户名` 工作人员",
    "cancel_reason": "取消原因（患者与工作人员看到的文字）",
    "converged": "挂起或医院系统拒绝入账、已全额退回的支付笔数（不计差异）",
    "count": "数量",
    "PaymentsSummaryOut.count": "已支付笔数",
    "created": "新建的数量",
    "created_at": "创建时间",
    "ReconciliationOut.created_at": "本次对账的计算时间",
    "date": "日期（YYYY-MM-DD，北京时间）",
    "BookingIn.date": "体检日期",
    "RescheduleIn.date": "新的体检日期",
    "day": "日期（YYYY-MM-DD）",
    "days": "逐日列表",
    "db": "数据库状态：`ok` / `error`",
    "detail": "细节（修改前后的值、错误码等）",
    "details": "补充信息（对象，可能为空），如字段错误 `fields`、`retry_after`",
    "differences": "差异明细",
    "error": "错误",
    "expires_in": "令牌有效期（秒）",
    "failed_logins": "连续登录失败次数",
    "field": "要查看的字段：`id_number` 身份证号 / `phone` 手机号",
    "foreign_rows": "共用商户号的其他系统的账单行数（不参与核对）",
    "format": "`json`（默认）、`xlsx`（Excel 下载）或 `pdf`（PDF 下载）",
    "from": "开始日期（含）",
    "held_reason": "挂起原因（金额不符等）",
    "his_error": "HIS 回写的错误说明",
    "his_rows": "HIS 结算记录条数",
    "his_settle_no": "HIS 结算号",
    "id": "记录 ID",
    "id_number": "身份证号（18 位，校验 GB 11643 校验位）",
    "id_number_masked": "身份证号掩码（前 6 后 4）",
    "idle_timeout": "空闲超时（秒）：超过该时间无请求，会话失效",
    "ids": "预约号列表（1–500 个）",
    "in_peis": "PEIS 当前是否仍提供该套餐",
    "info": "OpenAPI 文档信息",
    "ip": "来源地址",
    "is_default": "是否默认就诊人",
    "item_name": "收费项目名称",
    "items": "列表",
    "PackageOut.items": "套餐包含的检查项目",
    "job_id": "任务编号（任务列表中的 `id`）",
    "kind": "类型",
    "DifferenceOut.kind": "差异类型代码",
    "JobOut.kind": "任务类型（如 HIS 回写、退款、订阅消息）",
    "PackageItemOut.kind": "项目类别",
    "kind_text": "差异类型（中文）",
    "last_error": "最近一次失败的原因",
    "line_no": "账单文件中的行号（账单行无法读取时）",
    "max_attempts": "最多尝试次数（用尽后为 `failed`，需人工重新执行）",
    "last_login_at": "最近登录时间",
    "locked_until": "锁定到何时（未锁定为 null）",
    "matched": "三方一致的笔数",
    "message": "中文说明，可直接展示给患者或员工",
    "WechatAckOut.message": "固定为 `成功`",
    "min_days_ahead": "最少提前天数（1 表示不能预约当天）",
    "name": "名称",
    "PatientIn.name": "姓名（2–30 个汉字或字母，须与 HIS 登记一致）",
    "PatientOut.name": "姓名",
    "StaffProfileOut.name": "姓名",
    "StaffAccountOut.name": "姓名",
    "StaffCreateIn.name": "姓名",
    "StaffUpdateIn.name": "新姓名",
    "HolidayIn.name": "休息日名称，如“国庆节”",
    "ConsolePackageOut.name": "套餐名称",
    "PackageOut.name": "套餐名称",
    "PackageItemOut.name": "项目名称",
    "nonceStr": "随机串（原样传给 `wx.requestPayment`）",
    "notes": "体检须知",
    "online": "是否上架（在小程序中显示）",
    "open": "是否开放预约",
    "open_days_ahead": "可提前预约天数：最远可预约到今天之后第几天",
    "openapi": "OpenAPI 版本",
    "ours": "本系统支付记录条数",
    "outcome": "结果：`success` 成功 / `failure` 失败",
    "package": "预支付参数 `prepay_id=…`（原样传给 `wx.requestPayment`）",
    "package_code": "套餐编码",
    "package_name": "套餐名称",
    "page": "页码（从 1 开始）",
    "page_size": "每页条数",
    "paid_at": "支付时间",
    "password": "密码",
    "StaffCreateIn.password": "初始密码（至少 8 位，含大写、小写、数字、符号中的至少三种）",
    "StaffUpdateIn.password": "重置的新密码（同密码策略；重置后该账号的会话失效）",
    "PasswordChangeIn.current_password": "当前密码（输错计为一次登录失败）",
    "PasswordChangeIn.new_password": "新密码（同密码策略，且不能与当前密码相同）",
    "paths": "OpenAPI 路径",
    "patient_id": "就诊人 ID",
    "patient_name": "患者姓名",
    "paySign": "支付签名（原样传给 `wx.requestPayment`）",
    "pay_params": "`wx.requestPayment` 的参数",
    "payload": "任务参数",
    "payment_no": "支付单号（即微信支付 `out_trade_no`）",
    "per_day": "每日人数",
    "phone": "手机号（11 位）",
    "phone_masked": "手机号掩码（如 138****5678）",
    "price_fen": "价格（分）",
    "q": "按姓名或手机号筛选",
    "reason": "原因",
    "RefundIn.reason": "退费原因（可选，最长 80 字）",
    "StaffRefundIn.reason": "退款原因（可选，最长 80 字，随退款发给微信）",
    "RevealIn.reason": "查看原因（必填，2–200 字，写入审计）",
    "CalendarDayOut.reason": "不能预约的原因代码（可预约时为空）",
    "reason_text": "不能预约的原因（中文）",
    "opens_at": "尚未开放的日期何时开放预约（北京时间，ISO 8601）；其他日期为 null",
    "redis": "Redis 状态：`ok` / `error` / `disabled`（未配置）",
    "refund_no": "退款单号（即微信支付 `out_refund_no`）",
    "refund_status": "退款状态（无退款为 null）",
    "refunded_fen": "已退款金额（分）",
    "refunds": "退款记录条数",
    "release_time": "每日放号时间（HH:MM，北京时间）",
    "remaining": "剩余号源",
    "removed": "PEIS 已不再提供、因而下架的数量",
    "roles": "角色：`admin` 管理员、`staff` 体检中心工作人员、`finance` 财务、`auditor` 审计员",
    "run_after": "最早执行时间",
    "sex": "性别：`male` 男 / `female` 女",
    "ConsolePackageOut.sex": "适用性别：`any` 不限 / `male` 男 / `female` 女",
    "PackageOut.sex": "适用性别：`any` 不限 / `male` 男 / `female` 女",
    "signType": "签名方式 `RSA`",
    "skipped": "因已约人数超过新号源数而跳过的日期",
    "sources": "各方记录条数",
    "staff": "员工信息",
    "status": "状态",
    "ChargeOut.status": "收费单状态：`unpaid` 待缴费、`paying` 已付款待 HIS 确认、`paid` 已缴费、`refunding` 退费中、`refunded` 已退费、`cancelled` 已作废",
    "ChargeBookingOut.status": "预约状态：`booked` / `confirmed`",
    "BookingOut.status": "预约状态：`booked` 已预约、`confirmed` 已确认、`cancelled` 已取消",
    "ConsoleBookingOut.status": "预约状态：`booked` / `confirmed` / `cancelled`",
    "ConfirmedRowOut.status": "预约状态",
    "PaymentOut.status": "支付状态（患者视角）：`pending` 待支付、`paying` 已付款待 HIS 确认、`paid` 已缴费、`refunding` 退款中、`refunded` 已退款、`closed` 已关闭",
    "PaymentCreatedOut.status": "支付状态（同 `GET /api/me/payments/{payment_no}`）",
    "StaffPaymentOut.status": "支付状态：`created` / `paying` / `paid` / `closed` / `refunding` / `refunded` 等",
    "HealthOut.status": "`ok`，或数据库 / Redis 有故障时 `degraded`",
    "JobOut.status": "任务状态：`pending` / `running` / `done` / `failed`",
    "RefundOut.status": "退款状态",
    "PingOut.status": "固定为 `ok`",
    "summary": "简介",
    "StaffPaymentList.summary": "已支付笔数与金额合计",
    "ReconciliationOut.summary": "对账结论（中文）",
    "synced": "本次从 PEIS 读到的套餐数",
    "synced_at": "最近同步时间",
    "target": "操作对象",
    "timeStamp": "时间戳（秒，原样传给 `wx.requestPayment`）",
    "to": "结束日期（含）",
    "token": "令牌，之后放在 `Authorization: Bearer <token>` 中",
    "total": "总条数",
    "transaction_id": "微信支付交易号",
    "unlock": "为 true 时解除登录锁定并清零失败次数",
    "updated": "更新的数量",
    "updated_at": "最近更新时间",
    "username": "用户名",
    "StaffCreateIn.username": "用户名（3–32 位字母、数字、`_` `.` `-`）",
    "value": "完整值",
    "version": "版本号",
    "wechat_rows": "微信支付账单记录条数",
    "weekdays": "适用的星期（1=周一 … 7=周日）",
    "app_key": "应用标识（AppKey）",
    "client_id": "接入应用 ID",
    "created_by": "创建人用户名",
    "enabled": "是否启用",
    "last_used_at": "最近一次调用时间",
    "migrations": "数据库迁移状态：`ok`，或 `pending: …` 列出未执行的迁移",
    "ReadyOut.status": "固定为 `ready`",
    "ReadyOut.db": "数据库状态：`ok`",
    "ReadyOut.redis": "Redis 状态：`ok` / `disabled`（未配置）",
    "net_fen": "净额（缴费 − 退款，分）",
    "paid_fen": "微信缴费金额（分）",
    "payment_count": "微信缴费笔数",
    "patient_name_masked": "患者姓名掩码（如 张*丰）",
    "rate_limit_per_minute": "每分钟调用上限",
    "refund_count": "成功退款笔数",
    "refund_fen": "成功退款金额（分）",
    "remark": "备注",
    "scopes": "授权范围：`bookings:read` 预约明细、`counts:read` 预约统计、`payments:read` 缴费与退款合计",
    "secret": "密钥（只在创建或重置时出现这一次，请立即交给接入方保存）",
    "secret_rotated_at": "最近一次重置密钥的时间",
    "server_time": "服务器时间（Unix 秒），用于校对签名时间戳",
    "cancelled": "已取消的数量",
    "OpenBookingOut.confirmed": "是否已被体检中心确认",
    "OpenBookingOut.created_at": "预约提交时间",
    "OpenBookingOut.status": "预约状态：`booked` / `confirmed` / `cancelled`",
    "BookingCountOut.booked": "已预约（未确认）的数量",
    "BookingCountOut.confirmed": "已确认的数量",
    "DayCountOut.booked": "已预约（未确认）的数量",
    "DayCountOut.confirmed": "已确认的数量",
    "OpenClientCreateIn.name": "平台名称",
    "OpenClientUpdateIn.name": "平台名称",
    "OpenClientOut.name": "平台名称",
    "OpenClientSecretOut.name": "平台名称",
    "OpenPingOut.name": "平台名称",
    "writeback_status": "HIS 回写状态：`pending` 待回写、`unknown` 结果未知查询中、`done` 已回写、`failed` 回写失败等",
}

# Business errors a route answers beyond those its declaration implies (auth, validation, 404 path, 429).
ERRORS: dict[str, list[str]] = {
    "POST /api/auth/wechat": ["WECHAT_LOGIN_FAILED", "UPSTREAM_UNAVAILABLE"],
    "POST /api/auth/wechat-oa": ["OAUTH_STATE_INVALID", "WECHAT_LOGIN_FAILED", "UPSTREAM_UNAVAILABLE"],
    "GET /api/packages/{code}": ["NOT_FOUND"],
    "POST /api/me/patients": ["INVALID_ID_NUMBER", "INVALID_PHONE", "NAME_MISMATCH", "PATIENT_EXISTS", "PATIENT_LIMIT",
                              "UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED", "UPSTREAM_REJECTED"],
    "DELETE /api/me/patients/{patient_id}": ["PATIENT_HAS_BOOKINGS"],
    "POST /api/me/orders": ["NOT_FOUND", "PACKAGE_UNAVAILABLE", "SEX_MISMATCH", "UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED",
                          "UPSTREAM_REJECTED"],
    "GET /api/me/charges": ["NOT_FOUND", "UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED"],
    "POST /api/me/bookings": ["NOT_FOUND", "CHARGE_NOT_PAID", "CHARGE_NOT_BOOKABLE", "ALREADY_BOOKED", "PATIENT_DAY_TAKEN",
                              "SEX_MISMATCH", "QUOTA_FULL", "DAY_CLOSED", "OUTSIDE_BOOKING_WINDOW",
                              "UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED",
                              "CHARGE_CHANGED_IN_HIS", "NO_SHOW_MAY_NOT_REBOOK"],
    "POST /api/me/bookings/{booking_id}/reschedule": ["BOOKING_NOT_CHANGEABLE", "CHANGE_CUTOFF_PASSED", "SAME_DAY",
                                                      "PATIENT_DAY_TAKEN", "QUOTA_FULL", "DAY_CLOSED",
                                                      "OUTSIDE_BOOKING_WINDOW", "CHARGE_CHANGED_IN_HIS"],
    "POST /api/me/bookings/{booking_id}/cancel": ["BOOKING_NOT_CHANGEABLE", "CHANGE_CUTOFF_PASSED"],
    "POST /api/me/payments": ["NOT_FOUND", "CHARGE_ALREADY_PAID", "CHARGE_AMOUNT_CHANGED", "CHARGE_UNAVAILABLE",
                              "PAYMENT_IN_PROGRESS", "PAYMENT_UNAVAILABLE", "UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED"],
    "POST /api/me/refunds": ["NOT_FOUND", "REFUND_NOT_ALLOWED", "REFUND_EXISTS", "PAYMENT_UNAVAILABLE",
                             "UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED", "ALREADY_CHECKED_IN"],
    "POST /api/console/login": ["INVALID_CREDENTIALS", "RATE_LIMITED", "UNSUPPORTED_MEDIA_TYPE"],
    "POST /api/console/me/password": ["WRONG_CURRENT_PASSWORD", "RATE_LIMITED", "WEAK_PASSWORD", "PASSWORD_UNCHANGED"],
    "POST /api/console/bookings/confirm": ["NOT_FOUND", "BOOKING_NOT_CONFIRMABLE"],
    "POST /api/console/bookings/{booking_id}/confirm": ["BOOKING_NOT_CONFIRMABLE"],
    "POST /api/console/bookings/{booking_id}/unconfirm": ["BOOKING_NOT_CONFIRMED"],
    "POST /api/console/holidays": ["VALIDATION_ERROR"],
    "PUT /api/console/quota/{day}": ["CAPACITY_BELOW_BOOKED", "DAY_HAS_BOOKINGS", "QUOTA_FULL", "DAY_CLOSED",
                                     "PATIENT_DAY_TAKEN"],
    "POST /api/console/holidays/range": ["VALIDATION_ERROR", "DAY_HAS_BOOKINGS", "QUOTA_FULL", "DAY_CLOSED"],
    "POST /api/console/holidays/import": ["VALIDATION_ERROR", "DAY_HAS_BOOKINGS"],
    "POST /api/console/bookings/{booking_id}/reschedule": ["NOT_FOUND", "BOOKING_NOT_CHANGEABLE", "SAME_DAY",
                                                           "QUOTA_FULL", "DAY_CLOSED", "PATIENT_DAY_TAKEN"],
    "POST /api/console/bookings/{booking_id}/cancel": ["NOT_FOUND", "BOOKING_NOT_CHANGEABLE"],
    "POST /api/console/bookings/{booking_id}/no-show": ["NOT_FOUND", "BOOKING_NOT_CHANGEABLE", "NO_SHOW_NOT_ALLOWED"],
    "POST /api/his/notify": ["SIGNATURE_INVALID"],
    "GET /api/console/reports/booked-patients": ["EXPORT_UNAVAILABLE"],
    "POST /api/console/packages/sync": ["UPSTREAM_UNAVAILABLE", "UPSTREAM_BUSY", "UPSTREAM_SUSPENDED", "UPSTREAM_REJECTED"],
    "POST /api/console/staff": ["WEAK_PASSWORD", "USERNAME_TAKEN"],
    "PUT /api/console/staff/{username}": ["WEAK_PASSWORD", "LAST_ADMIN", "OWN_ADMIN_ACCOUNT"],
    "POST /api/console/payments/{payment_no}/refund": ["REFUND_NOT_ALLOWED", "REFUND_EXISTS", "PAYMENT_UNAVAILABLE"],
    "GET /api/console/reconciliation": ["DAY_NOT_ENDED"],
    "POST /api/console/jobs/{job_id}/retry": ["NOT_FOUND", "JOB_NOT_RETRYABLE"],
    "POST /api/console/refunds/{refund_no}/retry": ["NOT_FOUND", "REFUND_NOT_ALLOWED"],
    "POST /api/wechatpay/notify/payment": ["SIGNATURE_INVALID"],
    "POST /api/wechatpay/notify/refund": ["SIGNATURE_INVALID"],
}

# Errors raised outside the AppError classes (api/errors.py, services) that routes may answer.
EXTRA_CODES = {"BAD_JSON", "NAME_MISMATCH", "INTERNAL_ERROR", "METHOD_NOT_ALLOWED", "PAYLOAD_TOO_LARGE"}


# ---- rendering ----------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(model: str) -> str:
    return f"[{model}](#schema-{model.lower()})"


def type_text(schema: dict) -> str:
    """A JSON schema as a short Chinese type: 整数, 文本（日期）, 列表<…>, a model link, 或 null."""
    if "$ref" in schema:
        return _anchor(_ref_name(schema["$ref"]))
    if "anyOf" in schema:
        parts = [type_text(s) for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = any(s.get("type") == "null" for s in schema["anyOf"])
        return " 或 ".join(parts) + ("（可为 null）" if nullable else "")
    if "const" in schema:
        return f"常量 `{schema['const']}`"
    kind = schema.get("type")
    if kind == "array":
        return f"列表<{type_text(schema.get('items', {}))}>"
    if kind == "string":
        fmt = schema.get("format")
        return {"date": "日期", "date-time": "时刻", "binary": "文件"}.get(fmt, "文本")
    if kind == "object":
        if isinstance(schema.get("additionalProperties"), dict):
            return f"对象<文本, {type_text(schema['additionalProperties'])}>"
        return "对象"
    return {"integer": "整数", "number": "数", "boolean": "布尔"}.get(kind or "", "任意")


def constraints(schema: dict) -> str:
    out: list[str] = []
    if "anyOf" in schema:
        for sub in schema["anyOf"]:
            if sub.get("type") != "null":
                text = constraints(sub)
                if text:
                    out.append(text)
        if "default" in schema and schema["default"] is not None:
            out.append(f"默认 `{schema['default']}`")
        return "；".join(out)
    if "enum" in schema:
        out.append("取值 " + " / ".join(f"`{v}`" for v in schema["enum"]))
    if schema.get("type") == "array":
        items = constraints(schema.get("items", {}))
        if items:
            out.append("每项 " + items)
        if "minItems" in schema or "maxItems" in schema:
            out.append(f"{schema.get('minItems', 0)}–{schema.get('maxItems', '∞')} 项")
    if "minLength" in schema or "maxLength" in schema:
        out.append(f"长度 {schema.get('minLength', 0)}–{schema.get('maxLength', '∞')}")
    if "minimum" in schema or "maximum" in schema:
        hi = schema.get("maximum")
        out.append(f"{schema.get('minimum', '-∞')}–{'2⁶³-1' if hi == 2**63 - 1 else hi if hi is not None else '∞'}")
    if "pattern" in schema:
        out.append(f"格式 `{schema['pattern']}`")
    if "default" in schema and schema["default"] not in (None, ""):
        out.append(f"默认 `{schema['default']}`")
    return "；".join(out)


def describe(model: str | None, name: str) -> str:
    if model and f"{model}.{name}" in FIELD:
        return FIELD[f"{model}.{name}"]
    return FIELD.get(name, "—")


def field_table(model: str, schema: dict, present: str = "必有") -> list[str]:
    props = schema.get("properties", {})
    if not props:
        return ["（任意 JSON 对象）", ""]
    required = set(schema.get("required", []))
    lines = [f"| 字段 | 类型 | {present} | 约束 | 说明 |", "|---|---|---|---|---|"]
    for name, prop in props.items():
        lines.append(f"| `{name}` | {type_text(prop)} | {'是' if name in required else '否'} | "
                     f"{_esc(constraints(prop)) or '—'} | {_esc(describe(model, name))} |")
    return [*lines, ""]


def _generic_errors(spec: Any, path_params: list[str]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if spec.body is not None:
        errors.append(("400", "`BAD_JSON` 请求体不是 JSON（或嵌套过深）"))
        errors.append(("415", "`UNSUPPORTED_MEDIA_TYPE` 请求体以 `text/plain` 或表单类型发送"))
    if spec.body is not None or spec.query is not None:
        errors.append(("422", "`VALIDATION_ERROR` 字段校验失败，`details.fields` 为 {字段: 问题}"))
    if spec.auth == "patient":
        errors.append(("401", "`UNAUTHORIZED` / `TOKEN_EXPIRED` 未登录或令牌无效、过期"))
    elif spec.auth == "staff":
        errors.append(("401", "`UNAUTHORIZED` / `SESSION_EXPIRED` 未登录、会话已注销或空闲超时"))
        errors.append(("403", "`FORBIDDEN` 角色不允许"))
        if spec.path not in ("/api/console/me", "/api/console/me/password", "/api/console/logout"):
            errors.append(("403", "`PASSWORD_CHANGE_REQUIRED` 须先修改由他人设置的密码"))
    elif spec.auth == "openapi":
        errors.append(("401", "`APP_KEY_INVALID` / `SIGNATURE_INVALID` / `TIMESTAMP_EXPIRED` / `NONCE_REPLAYED` 签名认证失败"))
        if spec.roles:
            errors.append(("403", "`SCOPE_DENIED` 应用未被授予该权限范围"))
        errors.append(("429", "`RATE_LIMITED` 超过该应用的每分钟调用上限，`Retry-After` 头给出秒数"))
    if path_params:
        errors.append(("404", "`NOT_FOUND` 路径参数指向的记录不存在（或不属于本人）"))
    if spec.limit:
        errors.append(("429", "`RATE_LIMITED` 超过限流，`Retry-After` 头与 `details.retry_after` 给出秒数"))
    return errors


def _group(tag: str) -> str:
    """The section of a blueprint: the console's feature blueprints (console_quota, …) share one."""
    if tag.startswith("console_") and tag != "console_finance":
        return "console"
    return tag


def render(routes: list[Any], doc: dict, codes: dict[str, tuple[int, str]]) -> str:
    from checkup import __version__
    from checkup.api.ratelimit import RULES

    schemas = doc["components"]["schemas"]
    ops: dict[str, list[tuple[Any, dict]]] = {}
    for spec in routes:
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", spec.path)
        op = doc["paths"][path][spec.method.lower()]
        ops.setdefault(_group(spec.tags[0] if spec.tags else ""), []).append((spec, op))

    out = [
        "# HTTP 接口参考（由代码生成）",
        "",
        "<!-- 本文件由 docs/tools/gen_api_reference.py 从路由表与 OpenAPI 文档生成，请勿手工修改；",
        "     修改代码后运行 `.venv/bin/python docs/tools/gen_api_reference.py` 重新生成。 -->",
        "",
        f"适用版本：checkup {__version__}。共 {len(routes)} 个接口。通用约定（JSON、错误格式、认证方式、时间与金额单位、版本）见 "
        "[系统接口标准及规范](README.md)；机器可读的同一份内容：`GET /api/openapi.json` 或 `checkup openapi`。",
        "",
        "每个接口列出：认证方式与允许的角色、审计动作、限流规则、参数、请求体与应答的字段，以及可能的错误码。"
        "错误码分两类：由接口声明推出的通用错误（认证、校验、路径记录不存在、限流），和该接口的业务错误；"
        "任何接口都可能答 `INTERNAL_ERROR`（500），调用外部系统的接口可能答 `UPSTREAM_UNAVAILABLE`（503）。",
        "",
        "## 目录",
        "",
    ]
    known_tags = [g[0] for g in GROUPS]
    tags = known_tags + sorted(t for t in ops if t not in known_tags)
    heads = {g[0]: (g[1], g[2]) for g in GROUPS}
    for tag in tags:
        if tag not in ops:
            continue
        title = heads.get(tag, (tag, ""))[0]
        out.append(f"- **{title}**")
        for spec, _ in ops[tag]:
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", spec.path)
            out.append(f"  - [`{spec.method} {path}`](#{spec.name.replace('_', '-')})")
    out.append("- [数据结构](#数据结构)")
    out.append("")

    for tag in tags:
        if tag not in ops:
            continue
        title, intro = heads.get(tag, (tag, ""))
        out += [f"## {title}", ""] + ([intro, ""] if intro else [])
        for spec, op in ops[tag]:
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", spec.path)
            key = f"{spec.method} {path}"
            out += [f"<a id=\"{spec.name.replace('_', '-')}\"></a>", "", f"### {spec.method} `{path}`", ""]
            out += [SUMMARY.get(key) or f"{spec.summary}（未译）", ""]
            rows = [("认证", AUTH_TEXT.get(spec.auth, spec.auth))]
            if spec.roles:
                label = "权限范围" if spec.auth == "openapi" else "角色"
                rows.append((label, "、".join(ROLE_TEXT.get(r, f"`{r}`") for r in spec.roles)))
            if spec.audit:
                rows.append(("审计动作", f"`{spec.audit}`"))
            if spec.limit:
                rows.append(("限流", "、".join(f"`{n}`（按{ {'ip': '客户端地址', 'user': '用户', 'account': '账号', 'id_number': '证件号'}[RULES[n].subject] }计，"
                                             f"配置 `CHECKUP_{RULES[n].setting.upper()}`）" for n in spec.limit)))
            rows.append(("成功状态", str(spec.status)))
            if spec.produces != ("application/json",):
                rows.append(("应答类型", "、".join(f"`{p}`" for p in spec.produces)))
            out += ["| 项 | 内容 |", "|---|---|"] + [f"| {a} | {_esc(b)} |" for a, b in rows] + [""]

            params = op.get("parameters", [])
            if params:
                out += ["**参数**", "", "| 名称 | 位置 | 类型 | 必填 | 约束 | 说明 |", "|---|---|---|---|---|---|"]
                query_model = spec.query.__name__ if spec.query is not None else None
                for p in params:
                    where = {"path": "路径", "query": "查询串"}[p["in"]]
                    model = query_model if p["in"] == "query" else None
                    out.append(f"| `{p['name']}` | {where} | {type_text(p['schema'])} | {'是' if p['required'] else '否'} | "
                               f"{_esc(constraints(p['schema'])) or '—'} | {_esc(describe(model, p['name']))} |")
                out.append("")
            body = op.get("requestBody")
            if body:
                ref = _ref_name(body["content"]["application/json"]["schema"]["$ref"])
                out += [f"**请求体**（JSON，{_anchor(ref)}；不允许未列出的字段）", ""]
                out += field_table(ref, schemas[ref], "必填")
            ok = op["responses"][str(spec.status)]
            if spec.status == 204:
                out += ["**应答**：204，无内容。", ""]
            else:
                schema = ok["content"].get("application/json", {}).get("schema", {})
                files = [c for c in ok["content"] if not c.endswith("json")]
                if "$ref" in schema:
                    ref = _ref_name(schema["$ref"])
                    out += [f"**应答**（{spec.status}，{_anchor(ref)}）", ""]
                    out += field_table(ref, schemas[ref])
                else:
                    out += [f"**应答**（{spec.status}）：JSON 对象。", ""]
                if files:
                    out += ["另可下载文件：" + "、".join(f"`{c}`" for c in files) + "（由 `format` 参数选择）。", ""]

            errors = _generic_errors(spec, [p["name"] for p in params if p["in"] == "path"])
            business = [c for c in ERRORS.get(key, []) if not any(f"`{c}`" in text for _, text in errors)]
            for code in business:
                status, message = codes.get(code, (0, ""))
                errors.append((str(status or "—"), f"`{code}` {message}"))
            errors.sort(key=lambda e: e[0])
            out += ["**错误码**", "", "| HTTP | 错误码与含义 |", "|---|---|"]
            out += [f"| {status} | {_esc(text)} |" for status, text in errors]
            if not errors:
                out.append("| — | 无业务错误；通用的 `INTERNAL_ERROR` 除外 |")
            out.append("")

    out += ["## 数据结构", "", "请求体与应答中引用的全部结构（来自 `components.schemas`）。", ""]
    for name in sorted(schemas):
        out += [f"<a id=\"schema-{name.lower()}\"></a>", "", f"### {name}", ""]
        out += field_table(name, schemas[name])
    return "\n".join(out).rstrip() + "\n"


def error_codes() -> dict[str, tuple[int, str]]:
    """code -> (HTTP status, default Chinese message) of every AppError subclass."""
    from checkup.domain import errors

    codes: dict[str, tuple[int, str]] = {}
    stack = [errors.AppError]
    while stack:
        cls = stack.pop()
        codes.setdefault(cls.code, (cls.status, cls.default_message))
        stack.extend(cls.__subclasses__())
    codes.setdefault("NAME_MISMATCH", (422, "姓名与医院登记的身份证信息不一致，请核对"))
    codes.setdefault("BAD_JSON", (400, "请求内容不是有效的JSON"))
    return codes


def build() -> str:
    import checkup.app  # noqa: F401  (registers every route)
    from checkup.api.routing import ROUTES
    from checkup.api.system import openapi_document

    return render(list(ROUTES), openapi_document(), error_codes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run .venv/bin/python docs/tools/gen_api_reference.py")
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
