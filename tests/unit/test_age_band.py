"""Issue 11 point 7: next to a masked ID number the report and the data-sharing API show a five-year age
band, not the exact age (with the birth year, the masked number's checksum would give the number away)."""

from __future__ import annotations

from datetime import date

import pytest

from checkup.domain.masking import age_band


@pytest.mark.parametrize(("birth", "day", "band"), [
    (date(1985, 6, 12), date(2026, 6, 11), "40–44"),  # 40 the day before the birthday
    (date(1985, 6, 12), date(2030, 6, 11), "40–44"),  # 44
    (date(1985, 6, 12), date(2030, 6, 12), "45–49"),  # 45 on the birthday
    (date(2024, 1, 1), date(2026, 1, 1), "0–4"),
    (date(1930, 1, 1), date(2026, 1, 1), "90+"),  # the very old are few: one open band
])
def test_age_bands_are_five_years_wide(birth, day, band):
    assert age_band(birth, day) == band


def test_each_band_holds_every_age_in_it():
    bands = {age_band(date(2000, 1, 1), date(2000 + years, 6, 1)) for years in range(40, 45)}
    assert bands == {"40–44"}
