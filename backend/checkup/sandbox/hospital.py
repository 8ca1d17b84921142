"""What the sandbox HIS and PEIS do to their records; callers hold ``state.mutation()`` when changing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from checkup.sandbox.records import Bill, BillLine, Patient, PeisOrder, Refund, Settlement
from checkup.sandbox.state import SHANGHAI, SandboxState

PEIS_ITEM_NAME = "体检中心体检费"
PEIS_DEPT = "体检中心"
PEIS_FEE_CATEGORY = "体检费"
ORDERING_DOCTOR = "体检中心"


class Refusal(Exception):
    """A definite business refusal (FAILED with a stable code and a Chinese message)."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.details = details


# -- patients ------------------------------------------------------------------------------------


def sex_and_birth(id_number: str) -> tuple[str, str]:
    """Sex and birth date (YYYY-MM-DD) encoded in an 18-character resident ID number."""
    if len(id_number) != 18 or not id_number[:17].isdigit():
        raise Refusal("INVALID_ID_NUMBER", "身份证号格式不正确")
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        raise Refusal("INVALID_ID_NUMBER", "身份证号中的出生日期不正确") from None
    return ("male" if int(id_number[16]) % 2 else "female"), born.isoformat()


def find_patient(
    state: SandboxState, *, id_type: str, id_number: str, name: str, phone: str | None, register: bool,
    sex: str | None = None, birth_date: date | None = None,
) -> Patient:
    """The patient with this document number (any type), registered first when asked to: with the sex and
    birth date given (passports, permits) or else read from an 18-character number."""
    id_number = id_number.strip().upper()
    patient = state.patient_by_id_number(id_number)
    if patient is not None:
        if patient.name != name.strip():
            raise Refusal("NAME_MISMATCH", "姓名与 HIS 登记信息不一致")
        return patient
    if not register:
        raise Refusal("NOT_FOUND", "HIS 中没有该患者")
    if sex is not None and birth_date is not None:
        born = birth_date.isoformat()
    else:
        sex, born = sex_and_birth(id_number)
    number = state.next_number("patient")
    patient = Patient(
        his_patient_id=f"{number:010d}",
        card_no=f"JZ{number:010d}",
        name=name.strip(),
        sex=sex,
        birth_date=born,
        id_type=id_type,
        id_number=id_number,
        phone=phone,
        created_at=state.now_iso(),
    )
    state.add_patient(patient)
    return patient


def patient_or_refuse(state: SandboxState, his_patient_id: str) -> Patient:
    """The patient, or PATIENT_NOT_FOUND."""
    patient = state.patients.get(his_patient_id)
    if patient is None:
        raise Refusal("PATIENT_NOT_FOUND", "HIS 中没有该患者")
    return patient


# -- bills ---------------------------------------------------------------------------------------


def bill_or_refuse(state: SandboxState, bill_no: str) -> Bill:
    """The bill, or BILL_NOT_FOUND."""
    bill = state.bills.get(bill_no)
    if bill is None:
        raise Refusal("BILL_NOT_FOUND", "收费单不存在", bill_no=bill_no)
    return bill


def bills_of(state: SandboxState, his_patient_id: str, statuses: tuple[str, ...]) -> list[Bill]:
    """A patient's bills in the given statuses, oldest first."""
    patient_or_refuse(state, his_patient_id)
    found = [b for b in state.bills.values() if b.his_patient_id == his_patient_id and b.status in statuses]
    return sorted(found, key=lambda b: (b.billed_at, b.bill_no))


def _require_unpaid(bill: Bill) -> None:
    if bill.status == "cancelled":
        raise Refusal("BILL_CANCELLED", "收费单已作废", bill_no=bill.bill_no)
    if bill.status in ("paid", "refunded"):
        raise Refusal("BILL_ALREADY_PAID", "收费单已缴费", bill_no=bill.bill_no)


def cancel_bill(state: SandboxState, bill_no: str) -> Bill:
    """The window cancels (作废) an unpaid bill; cancelling twice is harmless."""
    bill = bill_or_refuse(state, bill_no)
    if bill.status == "cancelled":
        return bill
    _require_unpaid(bill)
    bill.status = "cancelled"
    bill.cancelled_at = state.now_iso()
    return bill


def change_amount(state: SandboxState, bill_no: str, amount_fen: int) -> Bill:
    """The window re-prices an unpaid bill; an adjustment line keeps the lines summing to the total."""
    bill = bill_or_refuse(state, bill_no)
    _require_unpaid(bill)
    _adjust(bill, amount_fen)
    return bill


def reprice_paid(state: SandboxState, bill_no: str, amount_fen: int) -> Bill:
    """The window re-prices a bill after payment (a correction): the bill stays paid at the new amount, an
    adjustment line keeps its lines summing to it; the settlement is untouched (the cashier settles the
    difference with the patient at the window). HIS now disagrees with what the app saw paid."""
    bill = bill_or_refuse(state, bill_no)
    if bill.status == "cancelled":
        raise Refusal("BILL_CANCELLED", "收费单已作废", bill_no=bill_no)
    if bill.status == "refunded":
        raise Refusal("BILL_ALREADY_REFUNDED", "收费单已退费", bill_no=bill_no)
    if bill.status != "paid":
        raise Refusal("BILL_NOT_PAID", "收费单未缴费，请用窗口改价（change-amount）", bill_no=bill_no)
    _adjust(bill, amount_fen)
    return bill


def _adjust(bill: Bill, amount_fen: int) -> None:
    delta = amount_fen - bill.amount_fen
    if delta:
        bill.lines.append(BillLine("TZ001", "费用调整", "次", 1, delta, delta, bill.dept, ORDERING_DOCTOR))
        bill.amount_fen = amount_fen


# -- payments ------------------------------------------------------------------------------------


def _settle(
    state: SandboxState,
    bills: list[Bill],
    *,
    his_patient_id: str,
    trade_no: str | None,
    transaction_id: str | None,
    channel: str,
    paid_at: str | None,
) -> Settlement:
    settlement = Settlement(
        settle_no=state.dated_no("JS"),
        settled_at=state.now_iso(),
        receipt_no=state.dated_no("PJ"),
        his_patient_id=his_patient_id,
        amount_fen=sum(b.amount_fen for b in bills),
        bill_nos=[b.bill_no for b in bills],
        channel=channel,
        trade_no=trade_no,
        transaction_id=transaction_id,
        paid_at=paid_at,
    )
    for bill in bills:
        bill.status = "paid"
        bill.paid_at = settlement.settled_at
        bill.settle_no = settlement.settle_no
        bill.trade_no = trade_no
    state.add_settlement(settlement)
    return settlement


def confirm_payment(
    state: SandboxState,
    *,
    his_patient_id: str,
    bill_nos: list[str],
    amount_fen: int,
    trade_no: str,
    transaction_id: str,
    paid_at: datetime,
    channel: str,
) -> Settlement:
    """Write a payment back (缴费确认); the same trade number again answers the same settlement."""
    existing = state.settlement_by_trade(trade_no)
    if existing is not None:
        existing.confirm_calls += 1
        if sorted(existing.bill_nos) != sorted(bill_nos) or existing.amount_fen != amount_fen:
            raise Refusal("TRADE_NO_CONFLICT", "该交易号已用于其他收费单或金额", trade_no=trade_no)
        return existing
    if len(set(bill_nos)) != len(bill_nos):
        raise Refusal("INVALID_REQUEST", "收费单号重复")
    patient_or_refuse(state, his_patient_id)
    bills = []
    for bill_no in bill_nos:
        bill = bill_or_refuse(state, bill_no)
        if bill.his_patient_id != his_patient_id:
            raise Refusal("BILL_NOT_FOUND", "该患者没有此收费单", bill_no=bill_no)
        _require_unpaid(bill)
        bills.append(bill)
    expected = sum(b.amount_fen for b in bills)
    if expected != amount_fen:
        raise Refusal("AMOUNT_MISMATCH", "缴费金额与 HIS 应收金额不一致", his_amount_fen=expected)
    return _settle(
        state,
        bills,
        his_patient_id=his_patient_id,
        trade_no=trade_no,
        transaction_id=transaction_id,
        channel=channel,
        paid_at=paid_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
    )


def pay_at_window(state: SandboxState, bill_no: str) -> Settlement:
    """The patient pays a bill at the cashier's window (no trade number of ours)."""
    bill = bill_or_refuse(state, bill_no)
    _require_unpaid(bill)
    return _settle(
        state,
        [bill],
        his_patient_id=bill.his_patient_id,
        trade_no=None,
        transaction_id=None,
        channel="WINDOW",
        paid_at=state.now_iso(),
    )


def refund(
    state: SandboxState, *, trade_no: str, refund_no: str, amount_fen: int, refunded_at: datetime
) -> Refund:
    """Refund (退费) part or all of a trade; the same refund number again answers the same refund."""
    existing = state.refunds.get(refund_no)
    if existing is not None:
        existing.calls += 1
        if existing.trade_no != trade_no or existing.amount_fen != amount_fen:
            raise Refusal("REFUND_NO_CONFLICT", "该退费单号已用于其他交易或金额", refund_no=refund_no)
        return existing
    settlement = state.settlement_by_trade(trade_no)
    if settlement is None:
        raise Refusal("TRADE_NOT_FOUND", "HIS 中没有该交易", trade_no=trade_no)
    remaining = settlement.amount_fen - settlement.refunded_fen
    if amount_fen > remaining:
        raise Refusal("AMOUNT_EXCEEDS", "退费金额超过可退金额", refundable_fen=remaining)
    record = Refund(
        his_refund_no=state.dated_no("TF"),
        refund_no=refund_no,
        trade_no=trade_no,
        settle_no=settlement.settle_no,
        amount_fen=amount_fen,
        refunded_at=state.now_iso(),
        requested_at=refunded_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
    )
    state.refunds[refund_no] = record
    settlement.refunded_fen += amount_fen
    _mark_refunded_bills(state, settlement)
    return record


def refund_at_window(state: SandboxState, bill_no: str) -> Refund:
    """The cashier refunds (退费) a paid bill at the window, whatever channel paid it; the bill is refunded."""
    bill = bill_or_refuse(state, bill_no)
    if bill.status == "refunded":
        raise Refusal("BILL_ALREADY_REFUNDED", "收费单已退费", bill_no=bill_no)
    if bill.status != "paid" or bill.settle_no is None:
        raise Refusal("BILL_NOT_PAID", "收费单未缴费，不能退费", bill_no=bill_no)
    settlement = state.settlements[bill.settle_no]
    record = Refund(
        his_refund_no=state.dated_no("TF"),
        refund_no=state.dated_no("CK"),  # the window's own refund number
        trade_no=settlement.trade_no or "",
        settle_no=settlement.settle_no,
        amount_fen=bill.amount_fen,
        refunded_at=state.now_iso(),
        requested_at=state.now_iso(),
    )
    state.refunds[record.refund_no] = record
    settlement.refunded_fen += bill.amount_fen
    bill.status = "refunded"
    return record


def open_other_bill(
    state: SandboxState, *, name: str, id_number: str, dept: str, item_name: str, amount_fen: int
) -> Bill:
    """A bill of another department (an outpatient visit, a prescription): not a checkup charge."""
    patient = find_patient(state, id_type="01", id_number=id_number, name=name, phone=None, register=True)
    bill = Bill(
        bill_no=state.dated_no("SF"),
        his_patient_id=patient.his_patient_id,
        amount_fen=amount_fen,
        billed_at=state.now_iso(),
        dept=dept,
        fee_category="门诊费",
        item_name=item_name,
        status="unpaid",
        lines=[BillLine("MZ001", item_name, "次", 1, amount_fen, amount_fen, dept, "门诊医生")],
    )
    state.bills[bill.bill_no] = bill
    return bill


def _mark_refunded_bills(state: SandboxState, settlement: Settlement) -> None:
    # A refund names no bill: bills count as refunded, in order, while the refunded total covers them.
    covered = 0
    for bill_no in settlement.bill_nos:
        bill = state.bills[bill_no]
        covered += bill.amount_fen
        if covered <= settlement.refunded_fen:
            bill.status = "refunded"


def settlement_rows(state: SandboxState, day: date) -> list[dict[str, Any]]:
    """A day's settlement list (Asia/Shanghai): payments positive, refunds negative, by time."""
    rows = []
    for s in state.settlements.values():
        if _day_of(s.settled_at) == day:
            rows.append(_row(s.settle_no, s, s.amount_fen, s.settled_at, "pay"))
    for r in state.refunds.values():
        if _day_of(r.refunded_at) == day:
            rows.append(
                _row(r.his_refund_no, state.settlements[r.settle_no], -r.amount_fen, r.refunded_at, "refund")
            )
    return sorted(rows, key=lambda row: (datetime.fromisoformat(row["settled_at"]), row["settle_no"]))


def _day_of(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).date()


def _row(number: str, s: Settlement, amount_fen: int, at: str, kind: str) -> dict[str, Any]:
    return {
        "settle_no": number,
        "trade_no": s.trade_no,
        "amount_fen": amount_fen,
        "settled_at": at,
        "channel": s.channel,
        "channel_transaction_id": s.transaction_id,
        "kind": kind,
    }


# -- PEIS ----------------------------------------------------------------------------------------


def package_or_refuse(state: SandboxState, code: str) -> dict[str, Any]:
    """The package, or PACKAGE_NOT_FOUND."""
    package = state.packages.get(code)
    if package is None:
        raise Refusal("PACKAGE_NOT_FOUND", "体检套餐不存在", package_code=code)
    return package


def open_order(
    state: SandboxState, *, patient: dict[str, Any], package_code: str, order_no: str | None
) -> PeisOrder:
    """Open a PEIS order and push its unpaid bill 体检中心体检费 to HIS; idempotent on ``order_no``."""
    if order_no is not None:
        existing = state.order_by_order_no(order_no)
        if existing is not None:
            if existing.package_code != package_code or existing.his_patient_id != patient["his_patient_id"]:
                raise Refusal("ORDER_CONFLICT", "该订单号已用于其他患者或套餐", order_no=order_no)
            return existing
    package = package_or_refuse(state, package_code)
    if package["sex"] != "any" and package["sex"] != patient["sex"]:
        raise Refusal("SEX_MISMATCH", "该套餐不适用于此性别", package_sex=package["sex"])
    his_patient = patient_or_refuse(state, patient["his_patient_id"])
    peis_order_no = state.dated_no("TJ")
    bill = Bill(
        bill_no=state.dated_no("SF"),
        his_patient_id=his_patient.his_patient_id,
        amount_fen=package["price_fen"],
        billed_at=state.now_iso(),
        dept=PEIS_DEPT,
        fee_category=PEIS_FEE_CATEGORY,
        item_name=PEIS_ITEM_NAME,
        status="unpaid",
        lines=[_line(item) for item in package["items"] if item["kind"] == "item"],
        peis_order_no=peis_order_no,
        package_code=package_code,
    )
    order = PeisOrder(
        peis_order_no=peis_order_no,
        package_code=package_code,
        bill_no=bill.bill_no,
        amount_fen=bill.amount_fen,
        item_name=PEIS_ITEM_NAME,
        his_patient_id=his_patient.his_patient_id,
        patient=dict(patient),
        created_at=bill.billed_at,
        order_no=order_no,
    )
    state.bills[bill.bill_no] = bill
    state.add_order(order)
    return order


def _line(item: dict[str, Any]) -> BillLine:
    return BillLine(
        item_code=item["code"],
        item_name=item["name"],
        spec="次",
        qty=1,
        unit_price_fen=item["price_fen"],
        amount_fen=item["price_fen"],
        dept=item["dept"],
        doctor=ORDERING_DOCTOR,
    )


def order_or_refuse(state: SandboxState, peis_order_no: str) -> PeisOrder:
    """The PEIS order, or ORDER_NOT_FOUND."""
    order = state.peis_orders.get(peis_order_no)
    if order is None:
        raise Refusal("ORDER_NOT_FOUND", "体检订单不存在", peis_order_no=peis_order_no)
    return order


def cancel_order(state: SandboxState, peis_order_no: str) -> PeisOrder:
    """Cancel an order not yet checked in; its bill is cancelled too when unpaid."""
    order = order_or_refuse(state, peis_order_no)
    if order.status == "checked_in":
        raise Refusal("CHECKED_IN", "已到检签到，不能取消")
    order.status = "cancelled"
    bill = state.bills.get(order.bill_no)
    if bill is not None and bill.status == "unpaid":
        bill.status = "cancelled"
        bill.cancelled_at = state.now_iso()
    return order


def report_booked_day(state: SandboxState, peis_order_no: str, day: date | None) -> PeisOrder:
    """Record the day the patient booked (None: the booking was cancelled, no day held)."""
    order = order_or_refuse(state, peis_order_no)
    if order.status == "cancelled":
        if day is None:  # the order is gone anyway: nothing is held for it
            order.booked_day = None
            return order
        raise Refusal("ORDER_CANCELLED", "体检订单已取消")
    order.booked_day = day.isoformat() if day else None
    order.day_reports += 1
    return order


def order_of_bill(state: SandboxState, bill_no: str) -> PeisOrder:
    """The PEIS order behind a HIS bill, or ORDER_NOT_FOUND."""
    for order in state.peis_orders.values():
        if order.bill_no == bill_no:
            return order
    raise Refusal("ORDER_NOT_FOUND", "体检订单不存在", bill_no=bill_no)


def check_in(state: SandboxState, peis_order_no: str) -> PeisOrder:
    """The patient checks in at the center (到检)."""
    order = order_or_refuse(state, peis_order_no)
    if order.status == "cancelled":
        raise Refusal("ORDER_CANCELLED", "体检订单已取消")
    order.status = "checked_in"
    return order
