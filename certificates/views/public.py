"""Public certificate verification (no login): the page a QR code opens, and a search by number."""
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop.throttle import throttle

from ..selectors import certificates_published


@require_GET
@never_cache
@throttle("verify", setting="OCOP_VERIFY_RATE")
def verify(request, number):
    certificates = certificates_published(number=number.strip())
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
