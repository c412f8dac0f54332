"""Forms of a session's close: finalisation, the recognition decision, list filters, the paper import."""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.forms.widgets import DATE_WIDGET
from ocop.official import COMMITTEE_TITLES, MINISTRY_TITLES
from ocop.text import search_q
from ocop.uploads import validate_upload

from ..enums import EvaluationLevel


class FinaliseForm(forms.Form):
    spread_reason = forms.CharField(
        label=_("Why the council accepts these differences"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Written in the minutes beside each product concerned, for example: the council discussed "
                    "the evidence of criterion 3.1 and kept each member's assessment."))


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=100,
                             help_text=_("For example: 1234/QĐ-UBND"))
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET, help_text=_("dd/mm/yyyy"))
    signer = forms.CharField(label=_("Signed by"), max_length=255,
                             help_text=_("The signer's full name, as printed under the signature: Nguyễn Văn A"))
    signer_title = forms.ChoiceField(label=_("Signer's position"), help_text=_(
        "A vice-chair or a deputy minister signs on the head's behalf: the documents print “KT. CHỦ TỊCH” above "
        "his position."))

    def __init__(self, *args, central: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        titles = MINISTRY_TITLES if central else COMMITTEE_TITLES
        self.fields["signer_title"].choices = [(t.value, t.label) for t in titles]


class FilterForm(forms.Form):
    """A list's filter bar: compact Bootstrap widgets labelled for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.update({"class": css, "aria-label": field.label})
        if "q" in self.fields:
            self.fields["q"].widget.input_type = "search"

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class DecisionFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Decision number or product")}))
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("All levels")), *EvaluationLevel.choices])
    year = forms.IntegerField(label=_("Year signed"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"placeholder": _("Year signed")}))

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            ids = qs.filter(search_q(data["q"], "items__product__search_text")).values("pk")
            qs = qs.filter(Q(number__icontains=data["q"].strip()) | Q(pk__in=ids))
        if data["level"]:
            qs = qs.filter(level=data["level"])
        if data["year"]:
            qs = qs.filter(signed_on__year=data["year"])
        return qs


class NominationFilterForm(FilterForm):
    AWAITING, EVALUATED, ALL = "awaiting", "evaluated", "all"

    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product or subject name")}))
    nominated_to = forms.ChoiceField(label=_("Nominated to"), required=False,
                                     choices=[("", _("Any level")), (EvaluationLevel.PROVINCE, _("Province level")),
                                              (EvaluationLevel.CENTRAL, _("Central level"))])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        (AWAITING, _("Awaiting the next level")), (EVALUATED, _("Evaluated by the next level")),
        (ALL, _("All nominations"))])

    def filter(self, qs):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            qs = qs.filter(search_q(data["q"], "product__search_text")
                           | search_q(data["q"], "product__subject__search_text"))
        if data.get("nominated_to"):
            qs = qs.filter(nominated_to=data["nominated_to"])
        state = data.get("state") or self.AWAITING
        if state == self.AWAITING:
            qs = qs.filter(evaluated_at_next_level=False)
        elif state == self.EVALUATED:
            qs = qs.filter(evaluated_at_next_level=True)
        return qs


class PaperImportForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.xlsx)"))
    submit_complete = forms.BooleanField(
        label=_("Submit the imported scorecards (they are then locked)"), required=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_upload(uploaded, allowed=("xlsx",))
        return uploaded


class PaperConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    submit_complete = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label=_("Council's remarks"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("What the council says of the product: its strengths, what to improve. The subject reads it "
                    "beside its results once the session is finalised."))


class UpgradeFilterForm(FilterForm):
    """The area's products closest to their next star: within how many points (5 unless chosen; an empty box
    shows every gap), at which star."""

    DEFAULT_WITHIN = 5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound or "within" not in self.data:
            self.initial.setdefault("within", self.DEFAULT_WITHIN)

    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product or subject name")}))
    star = forms.TypedChoiceField(label=_("Star held"), required=False, coerce=int, empty_value=None, choices=[
        ("", _("Any star")), (0, _("Not recognised")), (3, _("3★")), (4, _("4★"))])
    within = forms.DecimalField(label=_("Within (points)"), required=False, min_value=0, max_value=100,
                                decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.5"}),
                                help_text=_("Points the product lacks for its next star"))

    def filter_values(self) -> dict:
        """The filters in force: `within` 5 points unless the user chose otherwise (an empty box: any gap)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        within = data.get("within") if self.is_bound and "within" in self.data else self.DEFAULT_WITHIN
        return {"within": within, "star": data.get("star"), "q": data.get("q") or ""}

    def filter(self, qs):
        q = self.filter_values()["q"]
        if q:
            qs = qs.filter(search_q(q, "product__search_text") | search_q(q, "product__subject__search_text"))
        return qs
