"""The end-date rule of a certificate (36 calendar months), after the Civil Code 2015, Art. 147-148.

A period counted in months starts the day after the event and ends on the corresponding day of the
last month; when that month has no corresponding day (29, 30, 31), it ends on that month's last day.
So a certificate signed on 15/03/2024 is valid through 15/03/2027, one signed on 29/02/2024 through
28/02/2027, one signed on 31/05/2024 through 31/05/2027 and one signed on 31/08/2025 through
31/08/2028; a certificate signed on 30/11/2024 is valid through 30/11/2027.
"""
import calendar
import datetime

VALIDITY_MONTHS = 36


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later, or the last day of that month when it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(issued_on: datetime.date, months: int = VALIDITY_MONTHS) -> datetime.date:
    """The last day on which a certificate issued on `issued_on` is valid (inclusive)."""
    return add_months(issued_on, months)
