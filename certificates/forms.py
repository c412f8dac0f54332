"""Forms of the certificate pages and of the inspections after recognition."""
import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation.star_rules import RECOGNISED_STARS
from ocop.enums import UnitKind, UnitLevel
from ocop.forms.widgets import DATE_WIDGET
from ocop.rules import is_system_admin
from ocop.selectors import units_in_scope
from ocop.uploads import validate_upload
from products.forms.catalog import FilterForm, MultipleFileField, MultipleFileInput, UnitChoiceField
from products.services.dossiers import dossier_cycles_for

from .enums import CertificateStatus, CorrectiveStatus, InspectionVerdict, RevocationGround
from .models import CHECK_AREAS, FIRST_PLAN_YEAR, Inspection, Renewal
from .selectors import INSPECTION_SCHEDULED

IN_FORCE, ENDING_6_MONTHS = "in_force", "expiring6"


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), (IN_FORCE, _("In force (valid or expiring soon)")),
                                        (ENDING_6_MONTHS, _("In force, ending within 6 months"))]
                               + list(CertificateStatus.choices),
                               widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Status")}))
    star = forms.TypedChoiceField(label=_("Star"), required=False, coerce=int, empty_value=None,
                                  choices=[("", _("All stars"))] + [(star, f"{star}★") for star in RECOGNISED_STARS],
                                  widget=forms.Select(attrs={"class": "form-select", "aria-label": _("Star")}))
    year = forms.IntegerField(label=_("Year issued"), required=False, min_value=2018, max_value=2100)
    month = forms.CharField(label=_("Ending in month"), required=False)
    # Drill-down from the dashboard (not shown as inputs): unit code, subject kind, product set, first or not.
    unit = forms.CharField(required=False)
    kind = forms.CharField(required=False)
    set = forms.IntegerField(required=False)
    first = forms.TypedChoiceField(required=False, choices=[("", ""), ("1", "1"), ("0", "0")],
                                   coerce=lambda v: v == "1", empty_value=None)
    # The date the statuses are taken on (a past year's dashboard links here with its 31/12); today if empty.
    on = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_on(self):
        value = self.cleaned_data["on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Statuses can be shown on today or an earlier date, not a future one."))
        return value

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return int(match.group(1)), int(match.group(2))


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground for revocation"), choices=[("", "---------")] + RevocationGround.choices,
                               error_messages={"required": _("Choose the ground for the revocation.")})
    reason = forms.CharField(label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason for the revocation.")})
    decision_number = forms.CharField(label=_("Revocation decision number"), max_length=100,
                                      error_messages={"required": _("Give the number of the revocation decision.")})
    revoked_on = forms.DateField(label=_("Revoked on"), required=False, help_text=_("Today when empty."),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    # The inspection that proposed the revocation (the certificate page's form, opened from that inspection).
    inspection = forms.ModelChoiceField(queryset=Inspection.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, certificate=None, **kwargs):
        super().__init__(*args, **kwargs)
        if certificate is not None:
            self.fields["inspection"].queryset = certificate.inspections.filter(verdict=InspectionVerdict.REVOCATION)


class RenewalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Renewal.Kind.choices)
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=None, empty_label=None)

    def __init__(self, *args, certificate, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only the kinds the certificate offers today
            self.fields["kind"].choices = [(k, label) for k, label in Renewal.Kind.choices if k in kinds]
        self.fields["cycle"].queryset = dossier_cycles_for(certificate.product).order_by("-year")


class RegisterUploadForm(forms.Form):
    """The province's Excel register, checked (type, size, bounds) before its rows are read."""
    # An empty file is left to the upload check, which names what is wrong with it.
    file = forms.FileField(allow_empty_file=True, error_messages={"required": _("Choose the register's Excel file.")})

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_upload(uploaded, allowed=("xlsx",))
        return uploaded


# ---------------------------------------------------------------------------------------------
# Inspections after recognition
# ---------------------------------------------------------------------------------------------


def plan_units_for(user):
    """The units an official may plan inspections for: those of his area that exist today, and his own unit (an
    officer of a former district keeps his); an administrator, whose area is the whole country, chooses among
    provinces and districts (thousands of communes make no usable list)."""
    today = timezone.localdate()
    qs = units_in_scope(user).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today) | Q(pk=user.unit_id))
    if is_system_admin(user):
        qs = qs.exclude(kind__in=UnitKind.kinds_of_level(UnitLevel.COMMUNE))
    return qs.select_related("parent").order_by("path")


def inspection_years() -> list[tuple[int, str]]:
    return [(year, str(year)) for year in range(timezone.localdate().year + 1, FIRST_PLAN_YEAR - 1, -1)]


class InspectionPlanForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. Plan 45/KH-UBND on inspections after "
                                                                           "recognition")}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = plan_units_for(user)
        self.fields["year"].choices = inspection_years()
        if plan is not None:
            self.initial.update({"unit": plan.unit_id, "year": plan.year, "title": plan.title, "notes": plan.notes})
        else:
            self.initial.setdefault("year", timezone.localdate().year)
            if user.unit_id:
                self.initial.setdefault("unit", user.unit_id)


class InspectionPlanFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Plan title or unit")}))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *inspection_years()]


OVERDUE_ONLY = "1"


class InspectionFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product, subject or certificate number")}))
    verdict = forms.ChoiceField(label=_("Verdict"), required=False, choices=[
        ("", _("All verdicts")), (INSPECTION_SCHEDULED, _("Scheduled, no result yet")), *InspectionVerdict.choices])
    status = forms.ChoiceField(label=_("Corrective action"), required=False,
                               choices=[("", _("Any corrective action")), *CorrectiveStatus.choices])
    overdue = forms.ChoiceField(label=_("Deadline"), required=False,
                                choices=[("", _("Any deadline")), (OVERDUE_ONLY, _("Overdue only"))])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    # Drill-down from the dashboard (kept as a hidden input): the unit whose products are counted.
    unit = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *inspection_years()]


CHECK_CHOICES = [("", _("Not checked")), ("true", _("Conforms")), ("false", _("Does not conform"))]


class InspectionScheduleForm(forms.Form):
    """Schedule an inspection: of a certificate the plan covers (from a plan), or in one of the plans covering the
    certificate (from the certificate's page)."""

    certificate = forms.ModelChoiceField(label=_("Certified product"), queryset=None)
    plan = forms.ModelChoiceField(label=_("Inspection plan"), queryset=None, required=False,
                                  empty_label=_("No plan"))
    planned_on = forms.DateField(label=_("Planned on"), widget=DATE_WIDGET)
    inspectors = forms.CharField(label=_("Inspectors"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, certificates=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choose_certificate_or_plan(self, certificates, plans)


def _choose_certificate_or_plan(form, certificates, plans) -> None:
    """From a plan the form chooses the certificate (`certificates`); from a certificate, its plan (`plans`)."""
    if certificates is None:
        del form.fields["certificate"]
    else:
        form.fields["certificate"].queryset = certificates
        form.fields["certificate"].label_from_instance = lambda c: f"{c.product.name} – {c.subject.name} ({c.number})"
    if plans is None:
        del form.fields["plan"]
    else:
        form.fields["plan"].queryset = plans


class InspectionRecordForm(forms.Form):
    """What an inspection found: the day, the inspectors, each area checked, the findings with their files, and
    the verdict with what it requires."""

    certificate = forms.ModelChoiceField(label=_("Certified product"), queryset=None)
    plan = forms.ModelChoiceField(label=_("Inspection plan"), queryset=None, required=False,
                                  empty_label=_("No plan"))
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE_WIDGET)
    inspectors = forms.CharField(label=_("Inspectors"), widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Names and agencies of the inspection team."))
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("Required unless the product is compliant."))
    files = MultipleFileField(
        label=_("Evidence of the findings"), required=False,
        help_text=_("Photos, minutes, test reports: PDF, JPEG, PNG, DOCX or XLSX, at most 20 MB each."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
    verdict = forms.ChoiceField(label=_("Verdict"), choices=InspectionVerdict.choices, widget=forms.RadioSelect)
    corrective_action = forms.CharField(label=_("Corrective action required"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}),
                                        help_text=_("For a corrective action: what the subject must correct."))
    corrective_deadline = forms.DateField(label=_("Corrective action deadline"), required=False, widget=DATE_WIDGET,
                                          help_text=_("For a corrective action: after the inspection day."))
    proposed_ground = forms.ChoiceField(label=_("Proposed ground for revocation"), required=False,
                                        choices=[("", "---------"), *RevocationGround.choices],
                                        help_text=_("For a proposed revocation."))

    def __init__(self, *args, certificates=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choose_certificate_or_plan(self, certificates, plans)
        # Each area checked, after the inspectors: conforms, does not conform, or not checked, with notes.
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == "inspectors":
                for area, label in CHECK_AREAS:
                    fields[f"{area}_ok"] = forms.NullBooleanField(
                        label=label, required=False, widget=forms.Select(choices=CHECK_CHOICES))
                    fields[f"{area}_notes"] = forms.CharField(
                        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
        self.fields = fields

    def check_pairs(self) -> list:
        """Each area's bound fields (finding, notes), for the template to lay them out side by side."""
        return [(self[f"{area}_ok"], self[f"{area}_notes"]) for area, _label in CHECK_AREAS]

    def checks(self) -> dict:
        return {area: (self.cleaned_data[f"{area}_ok"], self.cleaned_data[f"{area}_notes"])
                for area, _label in CHECK_AREAS}

    def result(self) -> dict:
        """The cleaned values as `inspections.inspection_record` takes them."""
        names = ("inspected_on", "inspectors", "findings", "files", "verdict", "corrective_action",
                 "corrective_deadline", "proposed_ground")
        return {"checks": self.checks(), **{name: self.cleaned_data[name] for name in names}}


class CorrectiveEvidenceForm(forms.Form):
    files = MultipleFileField(
        label=_("Evidence of the corrective action"),
        help_text=_("PDF, JPEG, PNG, DOCX or XLSX, at most 20 MB each; several may be chosen."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
        error_messages={"required": _("Choose at least one file.")})
    note = forms.CharField(label=_("What was corrected"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CorrectiveCloseForm(forms.Form):
    closed_on = forms.DateField(label=pgettext_lazy("corrective action", "Closed on"), required=False,
                                widget=DATE_WIDGET,
                                help_text=_("Today when empty."))
    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when the subject sent no evidence: how the correction was "
                                       "verified."))
