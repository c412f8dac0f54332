"""Certificate pages: the list (officials' area, or a cooperative's own), a certificate, its PDF, revocation,
renewal, the expiry calendar, and issuing a decision's certificates with the rendering's progress."""
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation.models import Decision
from evaluation.selectors.results import decisions_visible_to
from ocop.downloads import xlsx_response
from ocop.formflow import acted_by
from ocop.listing import list_context, querystring_without, sort_queryset
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for
from ocop.validators import record_key

from .. import services
from ..enums import CertificateStatus, InspectionVerdict
from ..forms import ENDING_6_MONTHS, IN_FORCE, CertificateFilterForm, RenewalForm, RevokeForm
from ..models import Certificate
from ..rendering import certificate_pdf, certificates_for_rendering
from ..selectors import (
    certificate_history,
    certificate_inspections,
    certificate_list_filtered,
    certificate_pages_of,
    certificate_renewals,
    certificates_ending,
    certificates_expired_count,
    certificates_visible_to,
    expiry_by_month,
    render_jobs_with_decision,
)
from ..tasks import render_job_progress
from ..validity import add_months

LIST_SORTS = {"number": "number", "product": "product__name", "subject": "subject__name", "star": "star",
              "issued": "issued_on", "until": "valid_until"}


def _filtered(request):
    """The list's filters; statuses as they stood on the form's date (`on`, today when empty)."""
    form = CertificateFilterForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    form.on_date = on
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or ""
    in_force = status in (IN_FORCE, ENDING_6_MONTHS)
    qs = certificate_list_filtered(
        user=request.user, on=on, query=data.get("q") or "", in_force=in_force,
        ending_by=add_months(on, 6) if status == ENDING_6_MONTHS else None, status="" if in_force else status,
        unit_code=data.get("unit") or "", kind=data.get("kind") or "", product_set=data.get("set"),
        first=data.get("first"), star=data.get("star"), year=data.get("year"), month=data.get("month"))
    return form, qs


@permission_required("certificates.view_certificate_list")
def certificate_list_view(request):
    form, qs = _filtered(request)
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "until")
    return render(request, "certificates/list.html", list_context(
        request, qs, sort=sort, form=form,
        # The date the list is read on is not a filter: choosing another day narrows nothing.
        filtered=bool(request.GET.get("q") or any(
            request.GET.get(k) for k in ("status", "star", "year", "month", "unit", "kind", "set", "first"))),
        qs_today=querystring_without(request, "page", "on"),
        is_rep=request.user.role == "subject_rep",
        today=timezone.localdate(), on=form.on_date,
    ))


@permission_required("certificates.view_certificate_list")
def certificate_export(request):
    _form, qs = _filtered(request)
    qs, _sort = sort_queryset(request, qs.select_related("regulation"), LIST_SORTS, "until")
    headers = [_("Certificate number"), _("Product"), _("Product set"), _("Subject"), _("Commune"), _("District"),
               _("Star"), _("Decision"), _("Decision date"), _("Issued on"), _("Valid until"), _("Status"),
               _("Days left"), _("Criteria version")]
    labels = dict(CertificateStatus.choices)

    def rows():
        for c in qs:
            commune = c.subject.commune
            yield [c.number, c.product.name, c.product.product_set.name, c.subject.name, commune.name,
                   commune.parent.name if commune.parent_id else "", c.star, c.decision_number, c.decision_date,
                   c.issued_on, c.valid_until, str(labels[c.status]), max(c.time_left.days, 0),
                   c.regulation.code if c.regulation_id else ""]

    filename = f"giay-chung-nhan-ocop-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename=filename, sheet_title=_("Certificates"), headers=headers, rows=rows())


def _visible(request, pk) -> Certificate:
    return get_object_or_404(certificate_pages_of(user=request.user), pk=pk)


@permission_required("certificates.view_certificate_list")
def certificate_detail(request, pk):
    certificate = _visible(request, pk)
    user = request.user
    today = timezone.localdate()
    kinds = services.renewal_kinds_open(certificate, today)
    can_renew = bool(kinds) and user.has_perm("certificates.renew_certificate", certificate)
    can_revoke = user.has_perm("certificates.revoke_certificate", certificate) and not certificate.revoked_on
    # Opened from an inspection proposing the revocation: the form carries its ground, findings and the inspection.
    basis = None
    inspection_key = record_key(request.GET.get("inspection", ""))  # a plain number within the key column
    if can_revoke and inspection_key is not None:
        basis = certificate.inspections.filter(pk=inspection_key, verdict=InspectionVerdict.REVOCATION).first()
    revoke_initial = ({"ground": basis.proposed_ground, "reason": basis.findings, "inspection": basis.pk}
                      if basis else {})
    return render(request, "certificates/detail.html", {
        "c": certificate,
        # The product's chain, oldest first: what each one superseded and when (derived from issue dates).
        "history": certificate_history(certificate=certificate, on=today),
        "renewals": certificate_renewals(certificate=certificate),
        "can_revoke": can_revoke,
        # The decision's page is the councils' and officials' of its area (a representative, or the officer of a
        # former district reading a certificate Thái Nguyên issued to a subject of his, reads its number and date).
        "can_open_decision": certificate.decision_id is not None and user.has_perm("evaluation.view_decision_list")
        and decisions_visible_to(user).filter(pk=certificate.decision_id).exists(),
        "revoke_form": RevokeForm(certificate=certificate, initial=revoke_initial),
        "revoke_basis": basis,
        "inspections": certificate_inspections(user=user, certificate=certificate),
        "can_inspect": certificate.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)
        and user.has_perm("certificates.inspect_certificate", certificate),
        "can_renew": can_renew,
        "renew_form": RenewalForm(certificate=certificate, kinds=kinds) if can_renew else None,
        "audit": audit_trail_for(certificate)[:50] if user.has_perm("ocop.view_audit") else None,
    })


@permission_required("certificates.view_certificate_list")
def certificate_download(request, pk):
    """The certificate's PDF (rendered first when missing or out of date), for those entitled to it."""
    certificate = get_object_or_404(certificates_for_rendering(certificates_visible_to(request.user)), pk=pk)
    pdf = certificate_pdf(certificate)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = "GCN-OCOP-" + certificate.number.replace("/", "-") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_required("certificates.view_certificate_list")
def certificate_revoke_view(request, pk):
    certificate = _visible(request, pk)
    if not request.user.has_perm("certificates.revoke_certificate", certificate):
        raise PermissionDenied
    form = RevokeForm(request.POST, certificate=certificate)
    if form.is_valid():
        acted_by(request, lambda: services.certificate_revoke(certificate=certificate, by=request.user,
                                                              **form.cleaned_data),
                 _("Certificate %(number)s was revoked.") % {"number": certificate.number})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(certificate)


@require_POST
@permission_required("certificates.view_certificate_list")
def certificate_renew_view(request, pk):
    certificate = _visible(request, pk)
    if not request.user.has_perm("certificates.renew_certificate", certificate):
        raise PermissionDenied
    form = RenewalForm(request.POST, certificate=certificate)
    if form.is_valid():
        renewal = acted_by(
            request, lambda: services.certificate_renewal_start(certificate=certificate, by=request.user,
                                                                **form.cleaned_data),
            lambda renewal: _("%(kind)s started: complete the dossier and submit it.") % {
                "kind": renewal.get_kind_display()})
        if renewal is not None:
            return redirect(renewal.dossier)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(certificate)


# ---------------------------------------------------------------------------------------------
# Officers: the expiry calendar
# ---------------------------------------------------------------------------------------------


@permission_required("certificates.view_expiry")
def expiry_view(request):
    today = timezone.localdate()
    months = expiry_by_month(user=request.user, months=12, today=today)
    expired = certificates_expired_count(user=request.user, on=today)
    return render(request, "certificates/expiry.html", {
        "months": months, "expired": expired, "top": max([m["count"] for m in months] or [0]), "today": today,
    })


@permission_required("certificates.view_expiry")
def expiry_export(request):
    today = timezone.localdate()
    end = today + datetime.timedelta(days=366)
    qs = certificates_ending(user=request.user, start=today, end=end)
    headers = [_("Month"), _("Certificate number"), _("Product"), _("Subject"), _("Commune"), _("Star"),
               _("Valid until"), _("Days left"), _("Phone"), _("Email")]

    def rows():
        for c in qs:
            yield [f"{c.valid_until:%m/%Y}", c.number, c.product.name, c.subject.name, c.subject.commune.name, c.star,
                   c.valid_until, c.time_left.days, c.subject.phone, c.subject.email]

    return xlsx_response(filename=f"giay-chung-nhan-sap-het-han-{today:%Y%m%d}.xlsx",
                         sheet_title=_("Expiring certificates"), headers=headers, rows=rows())


# ---------------------------------------------------------------------------------------------
# Issuing a decision's certificates, and the rendering's progress
# ---------------------------------------------------------------------------------------------


def _decision(request, pk) -> Decision:
    decision = get_object_or_404(decisions_visible_to(request.user).select_related("issuing_unit"), pk=pk)
    if not request.user.has_perm("certificates.issue_for_decision", decision):
        raise PermissionDenied
    return decision


@require_POST
@permission_required("certificates.view_certificate_list")
def decision_issue(request, pk):
    decision = _decision(request, pk)
    issued = services.certificates_issue_for_decision(decision=decision, by=request.user)
    if issued:
        messages.success(request, _("%(count)s certificates were issued; their PDFs are being rendered.") % {
            "count": len(issued)})
    else:
        messages.info(request, _("Every product of this decision already has its certificate."))
    return redirect(decision)


@permission_required("certificates.view_certificate_list")
def job_progress(request, pk):
    """The progress of a rendering job, as a fragment that htmx polls until the job ends."""
    job = get_object_or_404(render_jobs_with_decision(), pk=pk)
    if job.decision is None or not decisions_visible_to(request.user).filter(pk=job.decision_id).exists():
        raise Http404
    return render(request, "certificates/_job_progress.html", {
        **render_job_progress(job), "poll_url": reverse("certificates:job-progress", args=[job.pk])})
