"""Forms of products, business plans and dossiers: list filters, edits and uploads."""
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ocop.enums import UnitKind, UnitLevel
from ocop.forms.widgets import DATE_WIDGET
from ocop.models import AdministrativeUnit, Cycle
from ocop.rules import is_system_admin
from ocop.selectors import province_of, unit_scope_q, units_in_scope
from ocop.text import search_q
from subjects.enums import SubjectKind

from ..enums import DossierStatus, EvidenceKind
from ..models import Dossier, PlanMilestone, Product, ProductSet, Standard, SupportActivity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`<input type="file" multiple>`); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(item, initial) for item in data if item]
            if not files and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return files
        return [single(data, initial)] if data else single(data, initial) or []


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.parent.name} › {unit}" if unit.level == UnitLevel.COMMUNE and unit.parent_id else str(unit)


class FilterForm(forms.Form):
    """A list's filter bar: compact Bootstrap widgets labelled for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.update({"class": css, "aria-label": field.label})
        if "q" in self.fields:
            self.fields["q"].widget.input_type = "search"


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------


class ProductFilterForm(FilterForm):
    """The filters of the product list; only valid values filter, an unknown one is ignored."""

    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product or subject name")}))
    product_set = forms.ModelChoiceField(label=_("Product set"), queryset=ProductSet.objects.all(), required=False,
                                         empty_label=_("All product sets"))
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    unit = UnitChoiceField(label=_("Area"), queryset=AdministrativeUnit.objects.none(),
                           required=False, empty_label=_("Whole area"))
    subject_kind = forms.ChoiceField(label=_("Kind of subject"), required=False,
                                     choices=[("", _("All kinds of subject")), *SubjectKind.choices])
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.all(), required=False,
                                      empty_label=_("Any standard"))
    traceability = forms.ChoiceField(label=_("Traceability"), required=False, choices=[
        ("", _("Traced or not")), ("yes", _("With traceability")), ("no", _("Without traceability"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sectors = ProductSet.objects.order_by("number").values_list("sector", flat=True)
        self.fields["sector"].choices = [("", _("All sectors")), *((s, s) for s in dict.fromkeys(sectors))]
        # Officers narrow down to a district or commune of their area; an administrator, whose area is the
        # whole country, to a province or district (thousands of communes make no usable list).
        hidden_level = UnitLevel.COMMUNE if is_system_admin(user) else UnitLevel.PROVINCE
        self.fields["unit"].queryset = units_in_scope(user).exclude(
            kind__in=UnitKind.kinds_of_level(hidden_level)).select_related("parent").order_by("path")

    def filter(self, qs):
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            # Every word in the product's name, or every word in its subject's name.
            qs = qs.filter(search_q(data["q"]) | search_q(data["q"], "subject__search_text"))
        if data.get("product_set"):
            qs = qs.filter(product_set=data["product_set"])
        if data.get("sector"):
            qs = qs.filter(product_set__sector=data["sector"])
        if data.get("unit"):
            qs = qs.filter(unit_scope_q(data["unit"], "commune__"))
        if data.get("subject_kind"):
            qs = qs.filter(subject__kind=data["subject_kind"])
        if data.get("standard"):
            qs = qs.filter(standards=data["standard"])
        if data.get("traceability"):
            qs = qs.filter(has_traceability=data["traceability"] == "yes")
        return qs


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "product_set", "description", "commune", "standards", "has_traceability",
                  "traceability_method"]
        widgets = {"standards": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"traceability_method": _("For example: QR code stamps on each package, the province's "
                                               "traceability system.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = units_in_scope(user).communes().select_related("parent").order_by("path")
        if self.instance.commune_id:
            # A product moves between communes of its province, never to another province; its own commune
            # stays a choice even when it has since left the officer's area (after a merger of units).
            province = province_of(self.instance.commune)
            if province is not None:
                communes = communes.filter(path__startswith=province.path)
            communes = (communes | AdministrativeUnit.objects.filter(pk=self.instance.commune_id)).distinct()
        self.fields["commune"] = UnitChoiceField(
            label=capfirst(Product._meta.get_field("commune").verbose_name), queryset=communes)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_traceability") and not (cleaned.get("traceability_method") or "").strip():
            self.add_error("traceability_method", _("Say how the product is traced."))
        return cleaned


class PhotoUploadForm(forms.Form):
    files = MultipleFileField(label=_("Photos (JPEG or PNG)"),
                              widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)


# ---------------------------------------------------------------------------------------------
# Business plans
# ---------------------------------------------------------------------------------------------


class BusinessPlanForm(forms.Form):
    """A business plan's summary, date received and document. `has_document`: the plan being edited has a document,
    which an empty file field keeps (a new plan has none to keep)."""

    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DATE_WIDGET)
    document = forms.FileField(
        label=_("Plan document (PDF or DOCX)"), required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,application/pdf"}))

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_document:
            self.fields["document"].help_text = _("Leave empty to keep the current document.")


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = PlanMilestone
        fields = ["title", "due_on", "done_on"]
        widgets = {"due_on": DATE_WIDGET, "done_on": DATE_WIDGET}


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportActivity
        fields = ["kind", "description", "provider", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return cleaned


class PlanFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product or subject name")}))
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none(), required=False,
                                   empty_label=_("All cycles"))
    received = forms.ChoiceField(label=_("Plan received"), required=False, choices=[
        ("", _("Received or not")), ("yes", _("Plan received")), ("no", _("Plan not received yet"))])

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles

    def filter(self, qs):
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            qs = qs.filter(search_q(data["q"], "idea__search_text"))
        if data.get("cycle"):
            qs = qs.filter(idea__cycle=data["cycle"])
        if data.get("received") == "yes":
            qs = qs.filter(received_on__isnull=False)
        elif data.get("received") == "no":
            qs = qs.filter(received_on__isnull=True)
        return qs


# ---------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------


class DossierSendForm(forms.Form):
    """The commune officer ticks the checked dossiers of his commune and sends them as one list."""

    dossiers = forms.ModelMultipleChoiceField(
        label=_("Checked dossiers"), queryset=Dossier.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one checked dossier."),
                        "invalid_choice": _("One of the ticked dossiers can no longer be sent: reload the page.")},
    )
    note = forms.CharField(label=_("Note to the province"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = dossiers


class DossierCreateForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles


class DossierUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=[("", "---------"), *EvidenceKind.choices])
    files = MultipleFileField(
        label=_("Files"), help_text=_("PDF, JPEG, PNG, DOCX or XLSX, at most 20 MB each; several may be chosen."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE_WIDGET,
                                  help_text=_("Required for a food-safety licence and for test results."))


class SamplesForm(forms.Form):
    samples_received_on = forms.DateField(label=_("Samples received on"), required=False, widget=DATE_WIDGET)


class DossierFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product or subject name")}))
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none(), required=False,
                                   empty_label=_("All cycles"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *DossierStatus.choices])

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles

    def filter(self, qs):
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            qs = qs.filter(search_q(data["q"], "product__search_text")
                           | search_q(data["q"], "product__subject__search_text"))
        if data.get("cycle"):
            qs = qs.filter(cycle=data["cycle"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        return qs
