"""Domain rules: ID numbers, masking, booking window, change cutoff, charge status merge."""

from datetime import UTC, date, datetime, time

import pytest

from checkup.domain.booking import merge_charge_status
from checkup.domain.booking_rules import BookingRules, DayQuotaView, DayReason, parse_release_time
from checkup.domain.errors import InvalidIdNumber, InvalidPhone, ValidationFailed
from checkup.domain.idcard import age_on, check_digit, parse_id_number
from checkup.domain.masking import mask_id_number, mask_name, mask_phone, normalise_phone


class TestIdNumber:
    def test_published_example_checksum(self):
        # GB 11643-1999 appendix example: 11010519491231002X
        assert check_digit("11010519491231002") == "X"
        info = parse_id_number("11010519491231002x")
        assert info.number == "11010519491231002X"
        assert info.sex == "female"
        assert info.birth_date == date(1949, 12, 31)
        assert info.region == "110105"

    def test_male_from_odd_sequence(self):
        number = "44052419800101001"
        info = parse_id_number(number + check_digit(number))
        assert info.sex == "male"

    @pytest.mark.parametrize(
        "bad",
        ["", "123", "11010519491231002", "110105194912310021", "11010519491331002X", "01010519491231002X",
         "1101051949123100ZX", "11010519490230002X"],
    )
    def test_invalid_numbers_refused(self, bad):
        with pytest.raises(InvalidIdNumber):
            parse_id_number(bad)

    def test_future_birth_refused(self):
        number = "11010520300101001"
        with pytest.raises(InvalidIdNumber):
            parse_id_number(number + check_digit(number), today=date(2026, 11, 25))

    def test_age(self):
        assert age_on(date(1990, 6, 15), date(2026, 6, 14)) == 35
        assert age_on(date(1990, 6, 15), date(2026, 6, 15)) == 36


class TestMasking:
    def test_phone(self):
        assert mask_phone("13812345678") == "138****5678"
        assert mask_phone("") == ""

    def test_id(self):
        assert mask_id_number("110101199001011234") == "110101********1234"

    def test_name(self):
        assert mask_name("张三丰") == "张*丰"
        assert mask_name("李四") == "李*"

    def test_normalise_phone(self):
        assert normalise_phone("+86 138-1234-5678") == "13812345678"
        with pytest.raises(InvalidPhone):
            normalise_phone("12812345678")


def shanghai(y, m, d, hh, mm) -> datetime:
    """A Shanghai wall-clock time as an aware UTC datetime."""
    return datetime(y, m, d, hh - 8 if hh >= 8 else hh + 16, mm, tzinfo=UTC).replace(
        day=d if hh >= 8 else d - 1
    )


class TestBookingWindow:
    rules = BookingRules(open_days_ahead=7, release_time=time(8, 0), min_days_ahead=1, change_cutoff_days=1,
                         closed_weekdays=frozenset({7}))

    def test_newest_day_opens_at_release_time(self):
        before = shanghai(2026, 11, 25, 7, 59)
        after = shanghai(2026, 11, 25, 8, 0)
        assert self.rules.window(before) == (date(2026, 11, 26), date(2026, 12, 1))
        assert self.rules.window(after) == (date(2026, 11, 26), date(2026, 12, 2))

    def test_reasons(self):
        now = shanghai(2026, 11, 25, 9, 0)  # a Wednesday
        q = lambda d, cap=10, booked=0, open_=True: DayQuotaView(day=d, capacity=cap, booked=booked, open=open_)  # noqa: E731
        assert self.rules.day_reason(day=date(2026, 11, 25), now=now, quota=q(date(2026, 11, 25))) is DayReason.TOO_LATE
        assert self.rules.day_reason(day=date(2026, 11, 26), now=now, quota=q(date(2026, 11, 26))) is DayReason.BOOKABLE
        assert self.rules.day_reason(day=date(2026, 11, 26), now=now, quota=q(date(2026, 11, 26), booked=10)) is DayReason.FULL
        assert self.rules.day_reason(day=date(2026, 11, 26), now=now, quota=q(date(2026, 11, 26), open_=False)) is DayReason.CLOSED
        assert self.rules.day_reason(day=date(2026, 11, 26), now=now, quota=None) is DayReason.CLOSED
        sunday = date(2026, 11, 29)  # a closed weekday: closed as generated, bookable once staff open it (调休)
        assert self.rules.day_reason(day=sunday, now=now, quota=q(sunday, open_=False)) is DayReason.CLOSED
        assert self.rules.day_reason(day=sunday, now=now, quota=q(sunday)) is DayReason.BOOKABLE
        assert self.rules.day_reason(day=date(2026, 11, 27), now=now, quota=q(date(2026, 11, 27)), holiday=True) is DayReason.CLOSED
        assert self.rules.day_reason(day=date(2026, 12, 3), now=now, quota=q(date(2026, 12, 3))) is DayReason.NOT_YET_OPEN

    def test_change_cutoff(self):
        assert self.rules.change_deadline(date(2026, 11, 28)) == date(2026, 11, 27)
        assert self.rules.can_change(booking_day=date(2026, 11, 28), now=shanghai(2026, 11, 27, 23, 59))
        assert not self.rules.can_change(booking_day=date(2026, 11, 28), now=shanghai(2026, 11, 28, 0, 1))

    def test_invalid_rules(self):
        with pytest.raises(ValidationFailed):
            BookingRules(open_days_ahead=0)
        with pytest.raises(ValidationFailed):
            BookingRules(open_days_ahead=5, min_days_ahead=6)
        with pytest.raises(ValidationFailed):
            BookingRules(closed_weekdays=frozenset({0}))
        with pytest.raises(ValidationFailed):
            parse_release_time("8点")
        assert parse_release_time("07:30") == time(7, 30)


def test_charge_status_merge_keeps_in_flight_states():
    assert merge_charge_status("paying", "unpaid") == "paying"
    assert merge_charge_status("paying", "paid") == "paid"
    assert merge_charge_status("refunding", "paid") == "refunding"
    assert merge_charge_status("refunding", "refunded") == "refunded"
    assert merge_charge_status(None, "paid") == "paid"
    assert merge_charge_status("unpaid", "cancelled") == "cancelled"
