"""The 36-month end-date rule, including month ends and 29 February."""
import datetime

import pytest

from certificates.validity import add_months, valid_until

D = datetime.date


@pytest.mark.parametrize(("issued", "until"), [
    (D(2024, 3, 15), D(2027, 3, 15)),
    (D(2024, 2, 29), D(2027, 2, 28)),  # no 29 February in 2027: the month's last day
    (D(2025, 2, 28), D(2028, 2, 28)),  # 2028 has a 29 February, but the corresponding day is the 28th
    (D(2024, 5, 31), D(2027, 5, 31)),
    (D(2024, 1, 31), D(2027, 1, 31)),
    (D(2024, 12, 31), D(2027, 12, 31)),
    (D(2023, 11, 30), D(2026, 11, 30)),
])
def test_valid_until_is_the_corresponding_day_36_months_later(issued, until):
    assert valid_until(issued) == until


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 8, 31), 1, D(2024, 9, 30)),
    (D(2024, 12, 15), 1, D(2025, 1, 15)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
])
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected
