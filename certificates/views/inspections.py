"""Inspection pages: the plans of a unit and year, the list of inspections, an inspection with its findings and
corrective action, scheduling and recording one (from a plan or from the certificate's page), the subject's
evidence, the officer's closing, and the inspection's files."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ocop.downloads import private_file_response
from ocop.formflow import saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.rules import is_subject_rep
from ocop.selectors import audit_trail_for

from .. import inspections as services
from ..enums import CertificateStatus, CorrectiveStatus, InspectionFileKind, InspectionVerdict
from ..forms import (
    OVERDUE_ONLY,
    CorrectiveCloseForm,
    CorrectiveEvidenceForm,
    InspectionFilterForm,
    InspectionPlanFilterForm,
    InspectionPlanForm,
    InspectionRecordForm,
    InspectionScheduleForm,
)
from ..models import Certificate, Inspection, InspectionPlan
from ..selectors import (
    certificate_pages_of,
    certificates_inspectable,
    inspection_files,
    inspection_files_visible_to,
    inspection_list,
    inspection_pages_of,
    plan_list,
    plans_covering,
    plans_visible_to,
)

LIST_SORTS = {"day": ["day", "pk"], "product": "certificate__product__name", "deadline": "corrective_deadline"}
PLAN_SORTS = {"year": "year", "title": "title", "unit": "unit__path", "inspections": "inspections_total"}


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


@permission_required("certificates.view_inspection_list")
def inspection_list_view(request):
    form = InspectionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    qs = inspection_list(user=request.user, today=today, verdict=data.get("verdict") or "",
                         status=data.get("status") or "", overdue=data.get("overdue") == OVERDUE_ONLY,
                         year=data.get("year"), unit_code=data.get("unit") or "", query=data.get("q") or "")
    qs, sort = sort_queryset(request, qs, LIST_SORTS, "-day")
    return render(request, "certificates/inspections/list.html", list_context(
        request, qs, sort=sort, form=form, today=today, is_rep=is_subject_rep(request.user),
        can_plan=request.user.has_perm("certificates.view_inspection_plan_list")))


@permission_required("certificates.view_inspection_plan_list")
def plan_list_view(request):
    form = InspectionPlanFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs, sort = sort_queryset(request, plan_list(user=request.user, year=data.get("year"), query=data.get("q") or ""),
                             PLAN_SORTS, "-year")
    return render(request, "certificates/inspections/plan_list.html", list_context(
        request, qs, sort=sort, form=form, can_add=request.user.has_perm("certificates.add_inspection_plan")))


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def _visible_plan(request, pk) -> InspectionPlan:
    plan = get_object_or_404(plans_visible_to(request.user).select_related("unit__parent"), pk=pk)
    if not request.user.has_perm("certificates.view_inspection_plan", plan):
        raise Http404
    return plan


def _plan_form(request, plan=None):
    form = InspectionPlanForm(request.POST or None, user=request.user, plan=plan)
    saved = saved_by(request, form, lambda: services.inspection_plan_save(
        plan=plan, by=request.user, **{name: form.cleaned_data[name] for name in ("unit", "year", "title", "notes")}),
        _("The inspection plan was saved."))
    if saved is not None:
        return redirect(saved)
    return render(request, "certificates/inspections/plan_form.html", {
        "form": form, "plan": plan, "audit": audit_trail_for(plan)[:50] if plan else None})


@permission_required("certificates.add_inspection_plan")
def plan_create(request):
    return _plan_form(request)


@permission_required("certificates.view_inspection_plan_list")
def plan_edit(request, pk):
    plan = _visible_plan(request, pk)
    if not request.user.has_perm("certificates.change_inspection_plan", plan):
        raise PermissionDenied
    return _plan_form(request, plan)


@permission_required("certificates.view_inspection_plan_list")
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    today = timezone.localdate()
    qs, sort = sort_queryset(request, inspection_list(user=request.user, today=today, plan=plan), LIST_SORTS, "-day")
    return render(request, "certificates/inspections/plan_detail.html", list_context(
        request, qs, sort=sort, plan=plan, today=today,
        can_change=request.user.has_perm("certificates.change_inspection_plan", plan),
        audit=audit_trail_for(plan)[:50]))


@permission_required("certificates.view_inspection_plan_list")
def plan_inspection_record(request, pk):
    """Record an inspection of the plan: the form chooses among the certificates in force the plan covers."""
    plan = _visible_plan(request, pk)
    if not request.user.has_perm("certificates.change_inspection_plan", plan):
        raise PermissionDenied
    certificates = certificates_inspectable(user=request.user, plan=plan, on=timezone.localdate())
    form = InspectionRecordForm(request.POST or None, request.FILES or None, certificates=certificates)
    return _record(request, form, lambda: form.cleaned_data["certificate"], plan=lambda: plan, context={"plan": plan})


@permission_required("certificates.view_inspection_plan_list")
def plan_inspection_schedule(request, pk):
    plan = _visible_plan(request, pk)
    if not request.user.has_perm("certificates.change_inspection_plan", plan):
        raise PermissionDenied
    certificates = certificates_inspectable(user=request.user, plan=plan, on=timezone.localdate())
    form = InspectionScheduleForm(request.POST or None, certificates=certificates)
    return _schedule(request, form, lambda: form.cleaned_data["certificate"], plan=lambda: plan,
                     context={"plan": plan})


# ---------------------------------------------------------------------------------------------
# Recording and scheduling (from a plan, from a certificate, the result of a scheduled inspection)
# ---------------------------------------------------------------------------------------------


def _record(request, form, certificate, *, plan, inspection=None, context):
    """Post the record form to `inspection_record`; `certificate()` and `plan()` read the form once it is valid."""
    saved = saved_by(request, form, lambda: services.inspection_record(
        certificate=certificate() if inspection is None else None, inspection=inspection, plan=plan(),
        by=request.user, **form.result()),
        lambda inspection: _("The inspection of %(date)s was recorded: %(verdict)s.") % {
            "date": inspection.inspected_on.strftime("%d/%m/%Y"), "verdict": inspection.get_verdict_display()})
    if saved is not None:
        return redirect(saved)
    return render(request, "certificates/inspections/record_form.html", {"form": form, **context})


def _schedule(request, form, certificate, *, plan, context):
    saved = saved_by(request, form, lambda: services.inspection_schedule(
        certificate=certificate(), plan=plan(), planned_on=form.cleaned_data["planned_on"],
        inspectors=form.cleaned_data["inspectors"], by=request.user),
        lambda inspection: _("The inspection was scheduled for %(date)s; the subject's representatives were "
                             "told.") % {"date": inspection.planned_on.strftime("%d/%m/%Y")})
    if saved is not None:
        return redirect(saved)
    return render(request, "certificates/inspections/schedule_form.html", {"form": form, **context})


def _inspectable_certificate(request, pk) -> Certificate:
    certificate = get_object_or_404(certificate_pages_of(user=request.user), pk=pk)
    if not request.user.has_perm("certificates.inspect_certificate", certificate):
        raise PermissionDenied
    return certificate


@permission_required("certificates.view_certificate_list")
def certificate_inspection_record(request, pk):
    """Record an inspection from the certificate's page, in one of the user's plans covering it (or none)."""
    certificate = _inspectable_certificate(request, pk)
    plans = plans_covering(user=request.user, certificate=certificate)
    form = InspectionRecordForm(request.POST or None, request.FILES or None, plans=plans,
                                initial={"plan": request.GET.get("plan")})
    return _record(request, form, lambda: certificate, plan=lambda: form.cleaned_data["plan"],
                   context={"certificate": certificate})


@permission_required("certificates.view_certificate_list")
def certificate_inspection_schedule(request, pk):
    certificate = _inspectable_certificate(request, pk)
    plans = plans_covering(user=request.user, certificate=certificate)
    form = InspectionScheduleForm(request.POST or None, plans=plans, initial={"plan": request.GET.get("plan")})
    return _schedule(request, form, lambda: certificate, plan=lambda: form.cleaned_data["plan"],
                     context={"certificate": certificate})


def _visible_inspection(request, pk) -> Inspection:
    inspection = get_object_or_404(inspection_pages_of(user=request.user), pk=pk)
    if not request.user.has_perm("certificates.view_inspection", inspection):
        raise Http404
    return inspection


@permission_required("certificates.view_inspection_list")
def inspection_result(request, pk):
    """Record the result of a scheduled inspection (its plan kept unless changed)."""
    inspection = _visible_inspection(request, pk)
    if not request.user.has_perm("certificates.record_inspection", inspection):
        raise PermissionDenied
    if inspection.is_recorded:
        return redirect(inspection)
    certificate = inspection.certificate
    plans = plans_covering(user=request.user, certificate=certificate)
    form = InspectionRecordForm(request.POST or None, request.FILES or None, plans=plans, initial={
        "plan": inspection.plan_id, "inspectors": inspection.inspectors,
        "inspected_on": min(inspection.planned_on, timezone.localdate())})
    return _record(request, form, lambda: certificate, plan=lambda: form.cleaned_data["plan"], inspection=inspection,
                   context={"certificate": certificate, "scheduled": inspection})


# ---------------------------------------------------------------------------------------------
# An inspection: its page, the subject's evidence, the officer's closing, its files
# ---------------------------------------------------------------------------------------------


def _inspection_page(request, inspection, *, evidence_form=None, close_form=None, status=200):
    user = request.user
    certificate = inspection.certificate
    files = list(inspection_files(inspection=inspection))
    pending = inspection.corrective_status in CorrectiveStatus.pending()
    revocation = inspection.verdict == InspectionVerdict.REVOCATION
    state = Certificate.objects.with_status(on=timezone.localdate()).filter(pk=certificate.pk).values(
        "status", "revoked_on", "revoke_decision_number", "revoke_inspection_id").first()
    can_record = user.has_perm("certificates.record_inspection", inspection)
    return render(request, "certificates/inspections/detail.html", {
        "inspection": inspection, "certificate": certificate, "today": timezone.localdate(),
        "certificate_state": state, "certificate_status": CertificateStatus(state["status"]).label,
        "finding_files": [f for f in files if f.kind == InspectionFileKind.FINDING],
        "evidence_files": [f for f in files if f.kind == InspectionFileKind.CORRECTIVE],
        "can_record_result": can_record and not inspection.is_recorded,
        "can_send_evidence": pending and user.has_perm("certificates.send_corrective_evidence", inspection),
        "can_close": pending and user.has_perm("certificates.close_corrective_action", inspection),
        "evidence_form": evidence_form or CorrectiveEvidenceForm(),
        "close_form": close_form or CorrectiveCloseForm(),
        "can_open_revocation": revocation and not state["revoked_on"]
        and user.has_perm("certificates.revoke_certificate", certificate),
        "revoked_on_this_basis": revocation and state["revoke_inspection_id"] == inspection.pk,
        "can_open_certificate": user.has_perm("certificates.view_certificate", certificate),
        # A commune's officer reads the inspections of his commune made under the province's plan, not the plan.
        "can_open_plan": inspection.plan is not None and user.has_perm("certificates.view_inspection_plan",
                                                                      inspection.plan),
        "audit": audit_trail_for(inspection)[:50] if user.has_perm("ocop.view_audit") else None,
    }, status=status)


@permission_required("certificates.view_inspection_list")
def inspection_detail(request, pk):
    return _inspection_page(request, _visible_inspection(request, pk))


@require_POST
@permission_required("certificates.view_inspection_list")
def inspection_evidence(request, pk):
    inspection = _visible_inspection(request, pk)
    if not request.user.has_perm("certificates.send_corrective_evidence", inspection):
        raise PermissionDenied
    form = CorrectiveEvidenceForm(request.POST, request.FILES)
    sent = saved_by(request, form, lambda: services.corrective_evidence_add(
        inspection=inspection, files=form.cleaned_data["files"], note=form.cleaned_data["note"], by=request.user),
        lambda files: ngettext("%(count)s file of evidence was sent; an officer will review it.",
                               "%(count)s files of evidence were sent; an officer will review them.",
                               len(files)) % {"count": len(files)})
    if sent is not None:
        return redirect(inspection)
    return _inspection_page(request, inspection, evidence_form=form)


@require_POST
@permission_required("certificates.view_inspection_list")
def inspection_close(request, pk):
    inspection = _visible_inspection(request, pk)
    if not request.user.has_perm("certificates.close_corrective_action", inspection):
        raise PermissionDenied
    form = CorrectiveCloseForm(request.POST)
    closed = saved_by(request, form, lambda: services.corrective_close(
        inspection=inspection, closed_on=form.cleaned_data["closed_on"], note=form.cleaned_data["note"],
        by=request.user), _("The corrective action was closed."))
    if closed is not None:
        return redirect(inspection)
    return _inspection_page(request, inspection, close_form=form)


@permission_required("certificates.view_inspection_list")
def inspection_file(request, pk):
    record = get_object_or_404(inspection_files_visible_to(request.user), pk=pk)
    if not request.user.has_perm("certificates.view_inspection", record.inspection):
        raise Http404
    return private_file_response(record.file, download_name=record.original_name, file_type=record.file_type)
