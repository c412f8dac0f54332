"""The evaluation rounds a province holds in a year: the days they close on by default.

Under 1489/QĐ-TTg (2025) and 26/2026/QĐ-TTg a province rates products in at least two rounds a year, the
first closing on 30/06 and the second on 30/12 (../shared/domain/OCOP.md). These are the days the round form
offers; a province may date its rounds otherwise, and may hold more of them.
"""
import datetime

# (month, day) of the days the rounds of a year close on, in order.
ROUND_CLOSING_DAYS = ((6, 30), (12, 30))


def round_default_dates(*, year: int, previous_ends_on: datetime.date | None) -> tuple[datetime.date | None,
                                                                                        datetime.date | None]:
    """The opening and closing days offered for the next round of a year's cycle.

    It opens on the day after the previous round closed (1 January for the first round) and closes on the first
    closing day of `ROUND_CLOSING_DAYS` after it: 01/01 – 30/06, then 01/07 – 30/12. When the previous round
    closed on or after the year's last closing day (or in another year), nothing is offered: (None, None).
    """
    opens = datetime.date(year, 1, 1) if previous_ends_on is None else previous_ends_on + datetime.timedelta(days=1)
    if opens.year != year:
        return None, None
    for month, day in ROUND_CLOSING_DAYS:
        closes = datetime.date(year, month, day)
        if closes > opens:
            return opens, closes
    return None, None
