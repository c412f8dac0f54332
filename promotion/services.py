"""Writes of trade promotion: events, invitations and booth answers, booth results, sales points, e-commerce
listings, training events and targets. Every write runs in a transaction and is audited."""
import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import Certificate
from ocop.enums import AuditAction
from ocop.models import AdministrativeUnit, User
from ocop.services import audit_log, model_changes, model_snapshot
from products.models import Product

from .enums import TargetMetric
from .models import Booth, Listing, PromotionEvent, SalesPoint, Target, TrainingEvent
from .selectors.activities import event_has_results

EVENT_FIELDS = ["name", "kind", "unit", "organiser", "place", "starts_on", "ends_on", "budget", "description"]
SALES_POINT_FIELDS = ["name", "is_centre", "commune", "address", "operator", "phone", "opened_on", "closed_on"]
TRAINING_FIELDS = ["topic", "unit", "held_on", "place", "participants_count", "participants"]

EVENT_ENDS_BEFORE_START = gettext_lazy("An event cannot end before it starts.")
EVENT_HAS_RESULTS = gettext_lazy("Results have been recorded for this event's booths: it can no longer be deleted.")
LISTING_TAKEN = gettext_lazy("This link is already listed for the product.")

# Platform names recognised from a listing's address, when the officer leaves the platform empty.
KNOWN_PLATFORMS = {
    "postmart.vn": "Postmart", "voso.vn": "Voso", "shopee.vn": "Shopee", "lazada.vn": "Lazada",
    "tiki.vn": "Tiki", "sendo.vn": "Sendo", "tiktok.com": "TikTok Shop",
}


# ---------------------------------------------------------------------------------------------
# Shared: dates in order; save a record with its many-to-many values, and audit what changed
# ---------------------------------------------------------------------------------------------


def check_dates_in_order(start: datetime.date | None, end: datetime.date | None, *, field: str, message) -> None:
    """ValidationError on `field` when `end` comes before `start` (either may be missing)."""
    if start and end and end < start:
        raise ValidationError({field: message})


def _names(objects) -> list[str]:
    return sorted(str(o) for o in objects)


def _save_audited(instance, *, data: dict, fields: list[str], m2m: dict | None = None, by: User | None):
    """Set `data` on `instance`, full_clean() and save it, set its many-to-many values, and audit it:
    a creation, or an update listing the changed values (nothing when nothing changed)."""
    creating = instance.pk is None
    before = {} if creating else model_snapshot(instance, fields)
    m2m = m2m or {}
    m2m_before = {} if creating else {name: _names(getattr(instance, name).all()) for name in m2m}
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    if creating:
        audit_log(actor=by, obj=instance, action=AuditAction.CREATE)
        return instance
    changes = model_changes(before, instance, fields)
    for name, values in m2m.items():
        after = _names(values)
        if after != m2m_before[name]:
            changes[name] = [", ".join(m2m_before[name]), ", ".join(after)]
    if changes:
        audit_log(actor=by, obj=instance, action=AuditAction.UPDATE, changes=changes)
    return instance


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def event_save(*, event: PromotionEvent | None = None, data: dict, by: User | None) -> PromotionEvent:
    """Create an event (no `event`) or change one.

    Side effects: saves it (full_clean first: the end cannot come before the start); writes an audit entry.
    """
    check_dates_in_order(data.get("starts_on"), data.get("ends_on"), field="ends_on", message=EVENT_ENDS_BEFORE_START)
    with transaction.atomic():
        if event is None:
            event = PromotionEvent(created_by=by if by is not None and by.is_authenticated else None)
        return _save_audited(event, data=data, fields=EVENT_FIELDS, by=by)


def event_delete(*, event: PromotionEvent, by: User | None) -> None:
    """Delete an event and its booths. Refused (ValidationError) once any booth has results.

    Side effects: writes an audit entry, then deletes the event and its booths.
    """
    with transaction.atomic():
        event = PromotionEvent.objects.select_for_update().get(pk=event.pk)
        if event_has_results(event):
            raise ValidationError(EVENT_HAS_RESULTS, code="has_results")
        audit_log(actor=by, obj=event, action=AuditAction.DELETE,
                  message=_("%(count)s booths deleted with it") % {"count": event.booths.count()})
        event.delete()


def booths_invite(*, event: PromotionEvent, products: Iterable[Product], by: User | None,
                  today: datetime.date | None = None) -> list[Booth]:
    """Invite the subjects of `products` to `event`: one booth (status invited) per subject, showing its
    products among them. Subjects that already have a booth at the event are left as they are.

    Only products holding a certificate in force may be invited (ValidationError otherwise).
    Side effects: creates the booths and their products; writes one audit entry on the event naming the
    subjects invited. Returns the new booths.
    """
    products = list(products)
    certified = set(Certificate.objects.in_force(on=today or timezone.localdate()).filter(product__in=products)
                    .values_list("product_id", flat=True))
    uncertified = [p for p in products if p.pk not in certified]
    if uncertified:
        raise ValidationError(
            _("Only products with an OCOP certificate in force can be invited: %(names)s.")
            % {"names": ", ".join(_names(uncertified))}, code="not_certified")
    by_subject: dict[int, list[Product]] = {}
    for product in products:
        by_subject.setdefault(product.subject_id, []).append(product)
    with transaction.atomic():
        present = set(event.booths.values_list("subject_id", flat=True))
        booths = Booth.objects.bulk_create(
            [Booth(event=event, subject_id=subject_id) for subject_id in by_subject if subject_id not in present])
        links = [Booth.products.through(booth_id=booth.pk, product_id=product.pk)
                 for booth in booths for product in by_subject[booth.subject_id]]
        Booth.products.through.objects.bulk_create(links)
        if booths:
            names = _names(by_subject[booth.subject_id][0].subject for booth in booths)
            audit_log(actor=by, obj=event, action=AuditAction.UPDATE,
                      message=_("%(count)s subjects invited") % {"count": len(booths)},
                      changes={"booths": [None, ", ".join(names)]})
    return booths


def _check_open(booth: Booth, today: datetime.date) -> None:
    if booth.event.ends_on < today:
        raise ValidationError(_("The event has ended: the answer can no longer be changed."), code="ended")
    if booth.has_results:
        raise ValidationError(_("Results have been recorded for this booth: the answer can no longer be changed."),
                              code="has_results")


def booth_answer(*, booth: Booth, register: bool, by: User | None, today: datetime.date | None = None) -> Booth:
    """The subject registers for its booth (`register`) or declines it; an officer may answer on its behalf.

    Refused once the event has ended or results are recorded. Side effects: saves the status; audited.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        booth = Booth.objects.select_for_update().select_related("event", "subject").get(pk=booth.pk)
        _check_open(booth, today)
        status = Booth.Status.REGISTERED if register else Booth.Status.DECLINED
        if booth.status != status:
            old = booth.status_label
            booth.status = status
            booth.save(update_fields=["status"])
            audit_log(actor=by, obj=booth, action=AuditAction.TRANSITION, changes={"status": [old, booth.status_label]})
    return booth


BOOTH_RESULT_FIELDS = ["code", "sales", "contracts", "note"]


def booth_results_record(*, booth: Booth, data: dict, by: User | None, today: datetime.date | None = None) -> Booth:
    """Record a registered booth's number and results (sales in VND, contracts signed), once the event has begun.

    Side effects: saves them (full_clean first); audited with the changed values.
    """
    today = today or timezone.localdate()
    if booth.status != Booth.Status.REGISTERED:
        raise ValidationError(_("Results can be recorded only for a registered booth."), code="not_registered")
    if booth.event.starts_on > today:
        raise ValidationError(_("Results can be recorded once the event has begun."), code="not_started")
    with transaction.atomic():
        return _save_audited(booth, data=data, fields=BOOTH_RESULT_FIELDS, by=by)


# ---------------------------------------------------------------------------------------------
# Sales points and e-commerce listings
# ---------------------------------------------------------------------------------------------


def sales_point_save(*, sales_point: SalesPoint | None = None, data: dict, products: Iterable[Product],
                     by: User | None) -> SalesPoint:
    """Create a sales point (no `sales_point`) or change one, with the products it carries.

    Side effects: saves it (full_clean first); sets its products; audited with the changed values.
    """
    check_dates_in_order(data.get("opened_on"), data.get("closed_on"), field="closed_on",
                         message=_("A sales point cannot close before it opens."))
    with transaction.atomic():
        return _save_audited(sales_point or SalesPoint(), data=data, fields=SALES_POINT_FIELDS,
                             m2m={"products": list(products)}, by=by)


def platform_from_url(url: str) -> str:
    """The platform a listing's address belongs to ("https://postmart.vn/..." → "Postmart"), or ""."""
    host = (urlsplit(url).hostname or "").lower()
    for domain, name in KNOWN_PLATFORMS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return ""


def listing_add(*, product: Product, url: str, platform: str = "", listed_on: datetime.date | None = None,
                by: User | None) -> Listing:
    """Add a product's page on an e-commerce platform. The platform is recognised from the address when not given.

    Raises ValidationError on an address that is not http(s), an unknown platform left unnamed, or an address
    already listed for the product. Side effects: creates the listing; audited on the product.
    """
    url = url.strip()
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValidationError({"url": _("Enter the address of the product's page, starting with https://.")})
    platform = platform.strip() or platform_from_url(url)
    if not platform:
        raise ValidationError({"platform": _("Name the platform: it cannot be recognised from the address.")})
    listing = Listing(product=product, platform=platform, url=url, listed_on=listed_on)
    listing.full_clean(validate_constraints=False)
    if Listing.objects.filter(product=product, url=url).exists():
        raise ValidationError({"url": LISTING_TAKEN})
    try:  # the constraint still guards against the same address added by a concurrent request
        with transaction.atomic():
            listing.save()
            audit_log(actor=by, obj=product, action=AuditAction.UPDATE, message=_("E-commerce listing added"),
                      changes={"listings": [None, f"{platform}: {url}"]})
    except IntegrityError as exc:
        raise ValidationError({"url": LISTING_TAKEN}) from exc
    return listing


def listing_remove(*, listing: Listing, by: User | None) -> None:
    """Remove a listing. Side effects: deletes it; audited on the product."""
    with transaction.atomic():
        audit_log(actor=by, obj=listing.product, action=AuditAction.UPDATE, message=_("E-commerce listing removed"),
                  changes={"listings": [f"{listing.platform}: {listing.url}", None]})
        listing.delete()


# ---------------------------------------------------------------------------------------------
# Training events
# ---------------------------------------------------------------------------------------------


def participant_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def training_save(*, training: TrainingEvent | None = None, data: dict, subjects, by: User | None) -> TrainingEvent:
    """Create a training event (no `training`) or change one, with the subjects taking part.

    Refused when the list of participants holds more names than the count. Side effects: saves it
    (full_clean first); sets its subjects; audited with the changed values.
    """
    listed = len(participant_lines(data.get("participants", "")))
    if listed > (data.get("participants_count") or 0):
        raise ValidationError({"participants_count": _(
            "The list names %(listed)s participants: the count cannot be lower.") % {"listed": listed}})
    with transaction.atomic():
        return _save_audited(training or TrainingEvent(), data=data, fields=TRAINING_FIELDS,
                             m2m={"subjects": list(subjects)}, by=by)


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def targets_save(*, unit: AdministrativeUnit, year: int, planned: dict[str, int | None], reference: str = "",
                 by: User | None) -> dict[str, list]:
    """Set a unit's planned figures for a year, one per indicator: a number creates or updates the target,
    None removes it. `reference` (the plan document) is kept on every target of the year.

    Side effects: writes the targets; one audit entry on the unit listing what changed. Returns the changes
    as {indicator: [old, new]}.
    """
    unknown = set(planned) - set(TargetMetric.values)
    if unknown:
        raise ValidationError(_("Unknown indicators: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if any(value is not None and value < 0 for value in planned.values()):
        raise ValidationError(_("A planned figure cannot be negative."))
    reference = reference.strip()
    changes: dict[str, list] = {}
    with transaction.atomic():
        existing = {t.metric: t for t in Target.objects.select_for_update().filter(unit=unit, year=year)}
        for metric, value in planned.items():
            target = existing.get(metric)
            label = str(TargetMetric(metric).label)
            if value is None:
                if target is not None:
                    changes[label] = [target.planned, None]
                    target.delete()
            elif target is None:
                Target.objects.create(unit=unit, year=year, metric=metric, planned=value, reference=reference)
                changes[label] = [None, value]
            elif (target.planned, target.reference) != (value, reference):
                if target.planned != value:
                    changes[label] = [target.planned, value]
                target.planned, target.reference = value, reference
                target.save(update_fields=["planned", "reference"])
        old_references = {t.reference for t in existing.values()} - {reference}
        if old_references and any(value is not None for value in planned.values()):
            changes[str(Target._meta.get_field("reference").verbose_name)] = [", ".join(sorted(old_references)),
                                                                              reference]
        if changes:
            audit_log(actor=by, obj=unit, action=AuditAction.UPDATE,
                      message=_("Targets %(year)s") % {"year": year}, changes=changes)
    return changes
