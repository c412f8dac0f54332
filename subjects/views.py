"""Subjects: the list with its filters and Excel export, a subject's page, registering and changing
subjects, the accounts that act for them, and the search-as-you-type fragment other pages use."""
import copy
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.downloads import xlsx_response
from ocop.enums import UnitLevel
from ocop.formflow import saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for

from . import services
from .enums import SubjectKind
from .forms import RepresentativeAddForm, SubjectForm
from .models import Subject
from .selectors import (
    representative_links_of,
    subject_address,
    subject_filter_commune,
    subject_filter_communes,
    subject_filter_districts,
    subject_list_rows,
    subject_pages_of,
    subject_products_in_order,
    subject_search_results,
)

LIST_SORTS = {"name": "name", "kind": "kind", "commune": "commune__name", "products": "product_count"}
# Above this many communes in scope the commune filter waits for a district to be chosen first.
MAX_COMMUNE_CHOICES = 300
SEARCH_LIMIT = 10


# ---------------------------------------------------------------------------------------------
# The list, its filters and its export
# ---------------------------------------------------------------------------------------------


def _filtered_subjects(request):
    """The user's subjects narrowed by the list's search and filters, and what the filter form shows."""
    user = request.user
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in SubjectKind.values:
        kind = ""

    districts = subject_filter_districts(user=user)
    district = next((d for d in districts if d.code == request.GET.get("district")), None)
    communes = subject_filter_communes(user=user, district=district, limit=MAX_COMMUNE_CHOICES)
    if len(communes) > MAX_COMMUNE_CHOICES:
        communes = []
    commune_code = request.GET.get("commune", "")
    commune = next((c for c in communes if c.code == commune_code), None)
    if commune is None and commune_code and not communes:
        commune = subject_filter_commune(user=user, district=district, code=commune_code)

    qs = subject_list_rows(user=user, query=q, kind=kind, commune=commune, district=district)
    several_provinces = len({d.parent_id for d in districts}) > 1
    filters = {
        "q": q, "kind": kind, "kinds": SubjectKind.choices,
        "districts": [(d.code, f"{d} – {d.parent}" if several_provinces else str(d)) for d in districts]
        if len(districts) > 1 else [],
        "district": district.code if district else "",
        # Within a chosen district a commune's name is enough; otherwise the unit above tells twins apart.
        "communes": [(c.code, str(c) if district or not c.parent_id else f"{c} – {c.parent}") for c in communes],
        "commune": commune.code if commune else "",
    }
    return qs, filters


@permission_required("subjects.view_subject_list")
def subject_list_view(request):
    qs, filters = _filtered_subjects(request)
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "name")
    return render(request, "subjects/list.html", list_context(
        request, qs, sort=sort, **filters, can_add=request.user.has_perm("subjects.add_subject")))


def district_and_province(commune) -> tuple[str, str]:
    """The district and province a commune lies in ("" for the district under the two-tier rules)."""
    parent = commune.parent
    if parent is None:
        return "", ""
    if parent.level == UnitLevel.DISTRICT:
        return str(parent), str(parent.parent) if parent.parent_id else ""
    return "", str(parent)


@permission_required("subjects.view_subject_list")
def subject_export(request):
    """The filtered list (every page of it, in the list's order) as an Excel workbook."""
    qs, _filters = _filtered_subjects(request)
    qs, _sort = sort_queryset(request, qs, LIST_SORTS, "name")
    headers = [
        _("Name"), _("Kind"), _("Tax code"), _("Legal representative"), _("Commune"), _("District"),
        _("Province"), _("Phone"), _("Email"), _("Founding year"), _("Members or workers"), _("Products"),
    ]

    def rows():
        for s in qs:
            district, province = district_and_province(s.commune)
            yield [s.name, s.get_kind_display(), s.tax_code, s.legal_representative, str(s.commune), district,
                   province, s.phone, s.email, s.founded_year, s.members_count, s.product_count]

    filename = f"chu-the-{datetime.date.today():%Y%m%d}.xlsx"
    return xlsx_response(filename=filename, sheet_title=_("Subjects"), headers=headers, rows=rows())


# ---------------------------------------------------------------------------------------------
# Search as you type (an HTML fragment for htmx)
# ---------------------------------------------------------------------------------------------


@permission_required("subjects.view_subject_list")
def subject_search(request):
    """Up to ten of the user's subjects matching `q` without diacritics, as buttons to pick from."""
    q = request.GET.get("q", "").strip()
    results = subject_search_results(user=request.user, query=q, limit=SEARCH_LIMIT) if q else []
    # Rendered without the request: a fragment needs none of the page's context (navigation, messages).
    return HttpResponse(render_to_string("subjects/_search_results.html", {"q": q, "results": results}))


# ---------------------------------------------------------------------------------------------
# One subject
# ---------------------------------------------------------------------------------------------


def _visible_subject(request, pk) -> Subject:
    """The subject if the user may see it; another area's subject is a 404, never its data."""
    return get_object_or_404(subject_pages_of(user=request.user), pk=pk)


def _changeable_subject(request, pk) -> Subject:
    subject = _visible_subject(request, pk)
    if not request.user.has_perm("subjects.change_subject", subject):
        raise PermissionDenied
    return subject


def _url_or_empty(obj) -> str:
    # Products link to their page once the products app routes it; until then their names show alone.
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _readable_audit(entries) -> list:
    """Audit entries with field names as the form labels them and kinds by their label (display only)."""
    labels = {f.name: capfirst(f.verbose_name) for f in Subject._meta.fields}
    labels["commune_id"] = labels["commune"]
    labels["representatives"] = capfirst(Subject._meta.get_field("representatives").verbose_name)
    kinds = dict(SubjectKind.choices)
    entries = list(entries)
    for entry in entries:
        entry.changes = {
            str(labels.get(field, field)): [kinds.get(v, v) if field == "kind" and isinstance(v, str) else v
                                             for v in values]
            for field, values in entry.changes.items()
        }
    return entries


@permission_required("subjects.view_subject_list")
def subject_detail(request, pk):
    subject = _visible_subject(request, pk)
    products = subject_products_in_order(subject=subject)
    address, registered_address = subject_address(subject)
    return render(request, "subjects/detail.html", {
        "subject": subject,
        "address": address,
        "registered_address": registered_address,
        # A product registered in another commune than its subject's (a product of 2026 in the commune that took the
        # subject's over) may lie outside the reader's area: its name shows without a link (products' rules decide).
        "products": [(product, _url_or_empty(product) if request.user.has_perm("products.view_product", product)
                      else "") for product in products],
        "representatives": representative_links_of(subject=subject),
        "audit": _readable_audit(audit_trail_for(subject)[:50]),
        "can_change": request.user.has_perm("subjects.change_subject", subject),
    })


@permission_required("subjects.add_subject")
def subject_create(request):
    form = SubjectForm(request.POST or None, user=request.user)
    subject = saved_by(request, form, lambda: services.subject_create(data=form.subject_data(), by=request.user),
                       _("The subject was registered."))
    if subject is not None:
        return redirect(subject)
    return render(request, "subjects/form.html", {"form": form})


@permission_required("subjects.view_subject_list")
def subject_edit(request, pk):
    subject = _changeable_subject(request, pk)
    # The form fills its own copy: the service compares the saved values with the new ones for the audit.
    form = SubjectForm(request.POST or None, instance=copy.copy(subject), user=request.user)
    # The service changes another copy too: a refusal leaves the page's subject as it is saved.
    if saved_by(request, form, lambda: services.subject_update(subject=copy.copy(subject), data=form.subject_data(),
                                                               by=request.user),
                _("The subject was saved.")) is not None:
        return redirect(subject)
    return render(request, "subjects/form.html", {"form": form, "subject": subject})


# ---------------------------------------------------------------------------------------------
# The accounts that act for a subject
# ---------------------------------------------------------------------------------------------


@permission_required("subjects.view_subject_list")
def subject_representatives(request, pk):
    subject = _changeable_subject(request, pk)
    form = RepresentativeAddForm(request.POST or None, subject=subject)
    if saved_by(request, form, lambda: services.subject_representative_add(
            subject=subject, user=form.user, position=form.cleaned_data["position"], by=request.user),
            lambda link: _("%(user)s can now act for this subject.") % {"user": form.user},
            fields={"user": "account"}) is not None:
        return redirect("subjects:representatives", pk=subject.pk)
    return render(request, "subjects/representatives.html", {
        "subject": subject,
        "links": representative_links_of(subject=subject),
        "form": form,
    })


@require_POST
@permission_required("subjects.view_subject_list")
def subject_representative_remove(request, pk, link_pk):
    subject = _changeable_subject(request, pk)
    link = get_object_or_404(subject.representative_links.select_related("user", "subject"), pk=link_pk)
    services.subject_representative_remove(link=link, by=request.user)
    messages.success(request, _("%(user)s no longer acts for this subject.") % {"user": link.user})
    return redirect("subjects:representatives", pk=subject.pk)
