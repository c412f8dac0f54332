"""Checks of the register's invariants on a whole database (`manage.py register_check [--fix]`).

The invariants: each certificate's supersession is what the product's issue dates give (chain.py); a product
holds at most one certificate in force on any date; numbers are unique per authority, letter case aside; no
date lies in the future; 5★ only from the central level; each certificate names the criteria version it was
rated under. (Numbering needs no check: the next number is always taken above the highest one recorded.)
What can be derived is repaired by `register_repair`; the rest is listed for a person to decide.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.enums import EvaluationLevel
from evaluation.models import Regulation
from ocop.enums import AuditAction
from ocop.services import audit_log

from .chain import Link, supersessions
from .models import Certificate
from .services import certificate_chains_repair


@dataclass(frozen=True)
class Problem:
    kind: str
    numbers: tuple[str, ...]
    message: str
    fixable: bool


def _chain_problems() -> list[Problem]:
    rows = list(Certificate.objects.order_by().values_list(
        "pk", "product_id", "issued_on", "valid_until", "star", "number", "superseded_by_id", "superseded_on"))
    numbers = {row[0]: row[5] for row in rows}
    wanted = supersessions(Link(*row[:6]) for row in rows)
    problems = []
    for pk, _product, _issued, _until, _star, number, successor, on in rows:
        want_successor, want_on = wanted[pk]
        if (successor, on) == (want_successor, want_on):
            continue
        recorded = numbers.get(successor, "—") if successor else _("nothing")
        derived = numbers[want_successor] if want_successor else _("nothing")
        problems.append(Problem("supersession", (number,), _(
            "%(number)s is recorded as superseded by %(recorded)s; its product's issue dates give %(derived)s.") % {
            "number": number, "recorded": recorded, "derived": derived}, True))
    return problems


def _in_force_twice(on: datetime.date) -> list[Problem]:
    doubles = (Certificate.objects.in_force(on=on).order_by().values("product_id")
               .annotate(n=Count("pk")).filter(n__gt=1).values_list("product_id", flat=True))
    by_product = defaultdict(list)
    for product_id, number in (Certificate.objects.in_force(on=on).filter(product_id__in=list(doubles))
                               .order_by("issued_on").values_list("product_id", "number")):
        by_product[product_id].append(number)
    return [Problem("in_force_twice", tuple(numbers), _(
        "One product holds %(count)s certificates in force on %(date)s: %(numbers)s.") % {
        "count": len(numbers), "date": on.strftime("%d/%m/%Y"), "numbers": ", ".join(numbers)}, True)
        for numbers in by_product.values()]


def _duplicate_numbers() -> list[Problem]:
    groups = (Certificate.objects.order_by().annotate(folded=Lower("number"))
              .values("issuing_unit_id", "authority_name", "folded").annotate(n=Count("pk")).filter(n__gt=1))
    problems = []
    for group in groups:
        numbers = tuple(Certificate.objects.filter(
            issuing_unit_id=group["issuing_unit_id"], authority_name=group["authority_name"],
            number__iexact=group["folded"]).values_list("number", flat=True))
        problems.append(Problem("duplicate_number", numbers, _(
            "The same authority used the number %(number)s %(count)s times.") % {
            "number": numbers[0], "count": len(numbers)}, False))
    return problems


def _dates(today: datetime.date) -> list[Problem]:
    problems = []
    for number, issued in Certificate.objects.filter(issued_on__gt=today).values_list("number", "issued_on"):
        problems.append(Problem("future_date", (number,), _("%(number)s is issued on a future date, %(date)s.") % {
            "number": number, "date": issued.strftime("%d/%m/%Y")}, False))
    for number, revoked in Certificate.objects.filter(revoked_on__gt=today).values_list("number", "revoked_on"):
        problems.append(Problem("future_date", (number,), _("%(number)s is revoked on a future date, %(date)s.") % {
            "number": number, "date": revoked.strftime("%d/%m/%Y")}, False))
    return problems


def _five_stars_not_central() -> list[Problem]:
    return [Problem("authority", (number,), _(
        "%(number)s carries 5 stars but was not issued by the central level.") % {"number": number}, False)
        for number in Certificate.objects.filter(star=5).exclude(level=EvaluationLevel.CENTRAL)
        .values_list("number", flat=True)]


def _regulation_missing() -> list[Problem]:
    missing = Certificate.objects.filter(regulation__isnull=True).values_list("number", flat=True)
    return [Problem("regulation", (number,), _("%(number)s does not name its criteria version.") % {
        "number": number}, True) for number in missing]


def register_problems(today: datetime.date | None = None) -> list[Problem]:
    today = today or timezone.localdate()
    return (_chain_problems() + _in_force_twice(today) + _duplicate_numbers() + _dates(today)
            + _five_stars_not_central() + _regulation_missing())


def register_repair(*, by=None) -> dict[str, int]:
    """Repair what the recorded facts determine: chains and criteria versions. Returns counts.

    Side effects: rewrites superseded_by / superseded_on (audited); sets the criteria version in force on the
    issue date where none is recorded (audited)."""
    # The regulations, newest first, read once: each certificate takes the first in force on its issue date.
    by_date = list(Regulation.objects.order_by("-effective_from"))
    with transaction.atomic():
        chains = len(certificate_chains_repair(by=by))
        regulations = 0
        for certificate in Certificate.objects.filter(regulation__isnull=True).select_related(
                "recognition__evaluation__regulation"):
            evaluation = certificate.recognition.evaluation if certificate.recognition_id else None
            regulation = evaluation.regulation if evaluation else next(
                (r for r in by_date if r.effective_from <= certificate.issued_on), None)
            if regulation is None:
                continue
            certificate.regulation = regulation
            certificate.save(update_fields=["regulation"])
            audit_log(actor=by, obj=certificate, action=AuditAction.UPDATE,
                      message=_("Criteria version set to %(code)s (in force on the issue date)") % {
                          "code": regulation.code})
            regulations += 1
    return {"chains": chains, "regulations": regulations}
