"""Public certificate verification (no login): the page a QR code opens, a search by number and a search by a
photo of the QR code."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ocop.forms.qr import QrPhotoForm
from ocop.throttle import throttle

from ..selectors import certificates_published


@require_GET
@never_cache
@throttle("verify", setting="OCOP_VERIFY_RATE")
def verify(request, number):
    certificates = certificates_published(number=number.strip())
    return render(request, "certificates/verify.html", {
        "number": number, "certificates": certificates, "today": timezone.localdate(), "qr_form": QrPhotoForm(),
    }, status=200 if certificates else 404)


@require_GET
@throttle("verify", setting="OCOP_VERIFY_RATE")
def verify_search(request):
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("verify", number=number)
    return render(request, "certificates/verify.html", {"number": "", "certificates": None, "qr_form": QrPhotoForm()})


@require_http_methods(["GET", "POST"])
@never_cache
@throttle("verify", setting="OCOP_VERIFY_RATE")
def verify_photo(request):
    """The number read from a photo of the certificate's QR code, checked as if typed; a photo that cannot be read
    comes back with what went wrong."""
    form = QrPhotoForm(request.POST, request.FILES) if request.method == "POST" else QrPhotoForm()
    if request.method == "POST" and form.is_valid():
        if form.foreign_host:
            messages.warning(request, _(
                "The QR code leads to another site (%(host)s), not to this register: the certificate number it names "
                "was looked up here.") % {"host": form.foreign_host})
        return redirect("verify", number=form.number)
    return render(request, "certificates/verify.html", {"number": "", "certificates": None, "qr_form": form},
                  status=400 if form.is_bound else 200)
