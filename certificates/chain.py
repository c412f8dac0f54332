"""Who supersedes whom among a product's certificates, derived from their dates alone (a pure function).

Shared by the services, the data migration that repairs existing registers and `register_check`.
"""
import datetime
from collections.abc import Iterable
from typing import NamedTuple


class Link(NamedTuple):
    pk: int
    product_id: int
    issued_on: datetime.date
    valid_until: datetime.date
    star: int
    number: str


def chain_order(link: Link) -> tuple:
    """A product's certificates in the order of issue; on the same day the higher star, then the number, last.
    Every key is a recorded fact, so the order never depends on which row arrived first."""
    return (link.product_id, link.issued_on, link.star, link.number.casefold(), link.pk)


def supersessions(links: Iterable[Link]) -> dict[int, tuple[int | None, datetime.date | None]]:
    """{pk: (superseded_by pk, superseded_on)} for every certificate given (all of a product's together).

    Each is superseded by the next of its product if that one was issued while it still ran (on or before
    its last day), on that one's issue date; otherwise by nothing (it ended, or it is the latest)."""
    ordered = sorted(links, key=chain_order)
    result = {}
    for current, following in zip(ordered, ordered[1:] + [None]):
        if (following is not None and following.product_id == current.product_id
                and following.issued_on <= current.valid_until):
            result[current.pk] = (following.pk, following.issued_on)
        else:
            result[current.pk] = (None, None)
    return result
