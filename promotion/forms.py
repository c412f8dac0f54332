"""Forms of trade promotion: list filters, events, invitations, booth results, sales points, listings,
training events and targets."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation.star_rules import MIN_RECOGNISED_STAR, RECOGNISED_STARS
from ocop.enums import UnitKind, UnitLevel
from ocop.forms.widgets import DATE_WIDGET
from ocop.models import AdministrativeUnit
from ocop.rules import is_system_admin
from ocop.selectors import units_in_scope
from ocop.validators import INTEGER_MAX
from products.forms.catalog import FilterForm, UnitChoiceField
from products.models import ProductSet
from products.selectors import products_visible_to
from subjects.forms import CommuneChoiceField
from subjects.selectors import subjects_visible_to

from .enums import EventKind, TargetMetric
from .models import Booth, Listing, PromotionEvent, SalesPoint, TrainingEvent
from .services import EVENT_ENDS_BEFORE_START, check_dates_in_order

FIRST_YEAR = 2018  # the programme began in 2018 (Decision 490/QĐ-TTg)


def units_for(user):
    """The units an official may name as organiser or target holder: his area; an administrator, whose area is
    the whole country, chooses among provinces and districts (thousands of communes make no usable list)."""
    qs = units_in_scope(user)
    if is_system_admin(user):
        qs = qs.exclude(kind__in=UnitKind.kinds_of_level(UnitLevel.COMMUNE))
    return qs.select_related("parent").order_by("path")


def year_choices() -> list[tuple[int, int]]:
    return [(year, str(year)) for year in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class ServiceDataMixin:
    """The cleaned values of the form's model fields, as the services take them (which also check the values
    that depend on each other, e.g. an end before its start, and name the field they refuse)."""

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ProductsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, product):
        return f"{product.name} – {product.subject.name}"


# ---------------------------------------------------------------------------------------------
# Events, invitations and booths
# ---------------------------------------------------------------------------------------------


class EventFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, place or organiser")}))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *year_choices()]


class EventForm(ServiceDataMixin, forms.ModelForm):
    class Meta:
        model = PromotionEvent
        fields = ["name", "kind", "unit", "organiser", "place", "starts_on", "ends_on", "budget", "description"]
        field_classes = {"unit": UnitChoiceField}
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)
        if not self.instance.pk and user.unit_id:
            self.initial.setdefault("unit", user.unit_id)

    def clean(self):
        # Here rather than in the service alone: the model's check constraint would otherwise speak first.
        cleaned = super().clean()
        try:
            check_dates_in_order(cleaned.get("starts_on"), cleaned.get("ends_on"), field="ends_on",
                                 message=EVENT_ENDS_BEFORE_START)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class InvitationForm(FilterForm):
    """Which certified products to invite: star at least, area, product set."""

    min_star = forms.TypedChoiceField(label=_("Star at least"), coerce=int, initial=MIN_RECOGNISED_STAR,
                                      choices=[(star, f"{star}★") for star in RECOGNISED_STARS])
    unit = UnitChoiceField(label=_("Area"), queryset=AdministrativeUnit.objects.none(), required=False,
                           empty_label=_("Whole area"))
    product_set = forms.ModelChoiceField(label=_("Product set"), queryset=ProductSet.objects.order_by("number"),
                                         required=False, empty_label=_("All product sets"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)


class BoothResultsForm(ServiceDataMixin, forms.ModelForm):
    class Meta:
        model = Booth
        fields = ["code", "sales", "contracts", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sales"].widget.attrs.update({"min": 0, "step": 1000, "inputmode": "numeric"})


# ---------------------------------------------------------------------------------------------
# Sales points and listings
# ---------------------------------------------------------------------------------------------


class SalesPointFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, address or operator")}))
    centre = forms.ChoiceField(label=_("Kind"), required=False, choices=[
        ("", _("Sales points and centres")), ("yes", _("OCOP centres")), ("no", _("Sales points"))])


class SalesPointForm(ServiceDataMixin, forms.ModelForm):
    products = ProductsChoiceField(label=_("Products carried"), queryset=None, required=False,
                                   widget=forms.SelectMultiple(attrs={"size": 10}),
                                   help_text=_("Products of your area. Hold Ctrl (or ⌘) to choose several."))

    class Meta:
        model = SalesPoint
        fields = ["name", "is_centre", "commune", "address", "operator", "phone", "opened_on", "closed_on"]
        field_classes = {"commune": CommuneChoiceField}
        widgets = {"opened_on": DATE_WIDGET, "closed_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = (
            units_in_scope(user).communes().select_related("parent__parent").order_by("path"))
        self.fields["products"].queryset = (
            products_visible_to(user).select_related("subject").order_by("subject__name", "name"))
        # Products of other areas that the sales point carries (a provincial centre's, edited by a district
        # officer) are not his to choose: they stay as they are, and the form says so.
        self.outside_area = []
        if self.instance.pk:
            self.initial["products"] = list(self.instance.products.values_list("pk", flat=True))
            self.outside_area = list(self.instance.products.exclude(
                pk__in=self.fields["products"].queryset.values("pk")).order_by("name"))
        if self.outside_area:
            self.fields["products"].help_text = format_lazy(
                "{} {}", self.fields["products"].help_text,
                _("It also carries products of other areas, which stay as they are: %(names)s.")
                % {"names": ", ".join(p.name for p in self.outside_area)})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})

    def products_carried(self) -> list:
        """The products chosen here and those of other areas the sales point already carries."""
        return [*self.cleaned_data["products"], *self.outside_area]


class ListingFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Product or subject name")}))
    listed = forms.ChoiceField(label=_("Listings"), required=False, choices=[
        ("", _("Listed or not")), ("yes", _("Listed online")), ("no", _("Not listed online"))])


class ListingForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https",
                         validators=[URLValidator(schemes=["http", "https"])],
                         widget=forms.URLInput(attrs={"placeholder": "https://postmart.vn/..."}))

    class Meta:
        model = Listing
        fields = ["url", "platform", "listed_on"]
        widgets = {"listed_on": DATE_WIDGET, "platform": forms.TextInput(attrs={"list": "platforms"})}
        help_texts = {"platform": _("Left empty, it is recognised from the link (Postmart, Voso, Shopee...).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].required = False


# ---------------------------------------------------------------------------------------------
# Training and targets
# ---------------------------------------------------------------------------------------------


class TrainingFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Topic or place")}))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *year_choices()]


class SubjectsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, subject):
        return f"{subject.name} – {subject.commune}"


class TrainingForm(ServiceDataMixin, forms.ModelForm):
    subjects = SubjectsChoiceField(label=_("Subjects taking part"), queryset=None, required=False,
                                   widget=forms.SelectMultiple(attrs={"size": 8}))

    class Meta:
        model = TrainingEvent
        fields = ["topic", "unit", "held_on", "place", "participants_count", "participants"]
        field_classes = {"unit": UnitChoiceField}
        widgets = {"held_on": DATE_WIDGET, "participants": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)
        self.fields["subjects"].queryset = subjects_visible_to(user).select_related("commune").order_by("name")
        if self.instance.pk:
            self.initial["subjects"] = list(self.instance.subjects.values_list("pk", flat=True))
        elif user.unit_id:
            self.initial.setdefault("unit", user.unit_id)


class TargetChooseForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdministrativeUnit.objects.none(), empty_label=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user).exclude(
            kind__in=UnitKind.kinds_of_level(UnitLevel.COMMUNE))
        self.fields["year"].choices = year_choices()
        self.initial.setdefault("year", timezone.localdate().year)
        if user.unit_id:
            self.initial.setdefault("unit", user.unit_id)


class TargetForm(forms.Form):
    """One input per indicator (empty: no target) and the plan document they come from."""

    reference = forms.CharField(label=pgettext_lazy("targets", "Plan document"), max_length=255, required=False,
                                widget=forms.TextInput(attrs={"placeholder": _("e.g. 180/KH-UBND of 22/03/2024")}))

    def __init__(self, *args, targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for metric, label in TargetMetric.choices:
            self.fields[metric] = forms.IntegerField(label=label, min_value=0, max_value=INTEGER_MAX, required=False)
            if metric in targets:
                self.initial[metric] = targets[metric].planned
        references = {t.reference for t in targets.values() if t.reference}
        if len(references) == 1:
            self.initial["reference"] = references.pop()

    def metric_fields(self):
        return [self[metric] for metric in TargetMetric.values]

    def planned(self) -> dict[str, int | None]:
        return {metric: self.cleaned_data.get(metric) for metric in TargetMetric.values}


def parse_year(value, default: int | None = None) -> int | None:
    """A year from the address, when it is one the pages offer."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= datetime.date.today().year + 5 else default
