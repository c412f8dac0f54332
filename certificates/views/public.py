"""Public certificate verification (no login): the page a QR code opens, and a search by number."""
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop.throttle import throttle

from ..models import Certificate

# Only what a buyer needs to trust the label: no tax code, no phone, no e-mail, no file.
# A revocation is published as officials publish it: date, deciding decision, ground and note.
PUBLIC_FIELDS = ("number", "star", "issued_on", "valid_until", "revoked_on", "revoke_decision_number",
                 "revoke_ground", "revoke_reason", "superseded_on", "regulation__code",
                 "decision_number", "decision_date", "level", "superseded_by__number",
                 "product__name", "product__product_set__name", "subject__name", "subject__kind",
                 "subject__commune__name", "subject__commune__parent__name",
                 "subject__commune__parent__parent__name", "issuing_unit__name", "authority_name")


def _public(queryset):
    return queryset.with_status(on=timezone.localdate()).select_related(
        "product__product_set", "subject__commune__parent__parent", "issuing_unit", "superseded_by", "regulation"
    ).only(*PUBLIC_FIELDS)


@require_GET
@never_cache
@throttle("verify", setting="OCOP_VERIFY_RATE")
def verify(request, number):
    certificates = list(_public(Certificate.objects.filter(number=number.strip())))
    return render(request, "certificates/verify.html", {
        "number": number, "certificates": certificates, "today": timezone.localdate(),
    }, status=200 if certificates else 404)


@require_GET
@throttle("verify", setting="OCOP_VERIFY_RATE")
def verify_search(request):
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("verify", number=number)
    return render(request, "certificates/verify.html", {"number": "", "certificates": None})
