"""Forms of the certificate pages."""
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.star_rules import RECOGNISED_STARS
from ocop.uploads import validate_upload
from products.services.dossiers import dossier_cycles_for

from .enums import CertificateStatus, RevocationGround
from .models import Renewal

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
