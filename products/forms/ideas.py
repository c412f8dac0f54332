"""Forms of step 2: the product idea registration form, the list filters, screening reasons, sending lists."""
import uuid
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ocop.enums import UnitKind, UnitLevel
from ocop.forms.units import offer_units_in_force
from ocop.models import AdministrativeUnit, Cycle
from ocop.rules import is_subject_rep
from ocop.selectors import cycle_list, unit_scope_q, units_in_scope
from ocop.text import search_q
from subjects.enums import SubjectKind
from subjects.models import Subject
from subjects.selectors import subjects_visible_to
from subjects.services import TAX_CODE_TAKEN, subject_tax_code_taken
from subjects.validators import normalize_tax_code

from ..enums import IdeaStatus, MarketScope, StarChoice
from ..models import Product, ProductIdea, ProductSet, Standard
from ..selectors import subject_products

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
# The subject registered with the idea: its fields on the registration form, the subject's field names prefixed
# (they are the `new_subject_*` arguments of `idea_register`).
NEW_SUBJECT_PREFIX = "new_subject_"
NEW_SUBJECT_FIELDS = ["name", "kind", "tax_code", "legal_representative"]


def _label(name: str):
    return capfirst(ProductIdea._meta.get_field(name).verbose_name)


# ---------------------------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each file's content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class GroupedModelChoiceIterator(ModelChoiceIterator):
    """Options in <optgroup>s by the value of `group_by` (the queryset must be ordered by it)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.iterator()
        for group, objects in groupby(queryset, key=lambda obj: getattr(obj, self.field.group_by)):
            yield (group, [self.choice(obj) for obj in objects])


class GroupedModelChoiceField(forms.ModelChoiceField):
    iterator = GroupedModelChoiceIterator

    def __init__(self, *args, group_by: str, **kwargs):
        self.group_by = group_by
        super().__init__(*args, **kwargs)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {obj.parent}" if obj.parent_id else str(obj)


class ProductSetChoiceField(GroupedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.name}"


# ---------------------------------------------------------------------------------------------
# What a user may choose
# ---------------------------------------------------------------------------------------------


def _represented_provinces(user) -> list[AdministrativeUnit]:
    """The provinces of the subjects a representative acts for."""
    provinces = []
    for subject in subjects_visible_to(user).select_related("commune__parent__parent"):
        unit = subject.commune
        while unit is not None and unit.level != UnitLevel.PROVINCE:
            unit = unit.parent
        if unit is not None and unit not in provinces:
            provinces.append(unit)
    return provinces


def cycles_for(user):
    """The cycles an idea may be registered in: the user's province's (the latest first)."""
    if is_subject_rep(user):
        return Cycle.objects.filter(province__in=_represented_provinces(user)).select_related("province").order_by(
            "-year", "province__name")
    return cycle_list(user=user).order_by("-year", "province__name")


def communes_for(user):
    """The communes an idea may be registered in: those of the officer's area, or of the province of the
    representative's subjects."""
    if is_subject_rep(user):
        q = Q(pk__in=[])
        for province in _represented_provinces(user):
            q |= Q(path__startswith=province.path)
        units = AdministrativeUnit.objects.filter(q)
    else:
        units = units_in_scope(user)
    return units.communes().select_related("parent").order_by("parent__name", "name")


# ---------------------------------------------------------------------------------------------
# The registration form (phiếu đăng ký ý tưởng sản phẩm)
# ---------------------------------------------------------------------------------------------


class IdeaForm(forms.Form):
    """The registration form of a product idea. `instance` is the idea being edited, if any."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none(), empty_label=None)
    # The fieldsets' legends say "Subject" and "Product": the fields under them name what they ask.
    subject_search = forms.CharField(
        label=_("Find the subject"), required=False, max_length=100,
        help_text=_("Type part of the name, tax code or representative (accents not needed) and pick the subject."),
    )
    subject = forms.ModelChoiceField(
        queryset=Subject.objects.none(), required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This subject is not in your area.")},
    )
    new_subject_name = forms.CharField(label=_("Name of the subject"), required=False, max_length=255)
    new_subject_kind = forms.ChoiceField(label=_("Kind of subject"), required=False,
                                         choices=[("", "---------"), *SubjectKind.choices])
    new_subject_tax_code = forms.CharField(
        label=_("Tax code"), required=False, max_length=20,
        help_text=_("10 digits, or 10-3 for a branch; not needed for a cooperative group."))
    new_subject_legal_representative = forms.CharField(label=_("Legal representative"), required=False,
                                                       max_length=150)
    product = forms.ModelChoiceField(
        label=_("Existing product"), queryset=Product.objects.none(), required=False,
        empty_label=_("A new product"),
        help_text=_("Choose one of the subject's products when the idea improves a product it already makes."),
    )
    product_name = forms.CharField(label=_label("product_name"), max_length=255)
    product_set = ProductSetChoiceField(label=_label("product_set"), group_by="sector",
                                        queryset=ProductSet.objects.order_by("number"))
    commune = CommuneChoiceField(label=_label("commune"), queryset=AdministrativeUnit.objects.none(),
                                 help_text=_("Where the product is made."))
    raw_material_source = forms.CharField(label=_label("raw_material_source"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))
    local_material_share = forms.IntegerField(
        label=_label("local_material_share"), required=False, min_value=0, max_value=100,
        error_messages={"min_value": _("A share is a number from 0 to 100."),
                        "max_value": _("A share is a number from 0 to 100.")},
    )
    market = forms.ChoiceField(label=_label("market"), required=False,
                               choices=[("", "---------"), *MarketScope.choices])
    market_notes = forms.CharField(label=_label("market_notes"), required=False, max_length=500)
    standards = forms.ModelMultipleChoiceField(label=_label("standards"), required=False,
                                               queryset=Standard.objects.all(), widget=forms.CheckboxSelectMultiple)
    support_needed = forms.CharField(label=_label("support_needed"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    expected_star = forms.TypedChoiceField(label=_label("expected_star"), required=False, coerce=int,
                                           empty_value=None, choices=[("", "---------"), *StarChoice.choices])
    attachments = MultipleFileField(
        label=_("Photos and documents"), required=False,
        help_text=_("PDF, JPEG, PNG, DOCX or XLSX, up to 20 MB each; you can choose several files at once."),
    )

    def __init__(self, *args, user, instance: ProductIdea | None = None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = self._initial_from(instance)
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles_for(user)
        self.fields["subject"].queryset = subjects_visible_to(user)
        self.fields["commune"].queryset = communes_for(user)
        search = self.fields["subject_search"].widget
        search.attrs.update({
            "hx-get": reverse("products:idea-subject-search"), "hx-trigger": "input changed delay:300ms, search",
            "hx-target": "#subject-results", "hx-sync": "this:replace", "autocomplete": "off",
            "data-subject-search": "", "type": "search", "role": "combobox", "aria-controls": "subject-results",
        })
        self.fields["product"].widget.attrs.update({
            "hx-get": reverse("products:idea-subject-products"), "hx-trigger": "subjectPicked from:body",
            "hx-include": "#id_subject", "hx-target": "this", "hx-swap": "innerHTML",
        })
        subject = self._chosen_subject()
        self.fields["product"].queryset = subject_products(subject)
        if subject is not None and not self.is_bound:
            self.initial.setdefault("subject_search", subject.name)
        if is_subject_rep(user):
            # A representative registers ideas for his own subject; new subjects are the officers' work.
            for name in NEW_SUBJECT_FIELDS:
                del self.fields[NEW_SUBJECT_PREFIX + name]
            subjects = list(self.fields["subject"].queryset[:2])
            if len(subjects) == 1 and not self.is_bound and instance is None:
                self.initial["subject"] = subjects[0].pk
                self.initial["subject_search"] = subjects[0].name
        if instance is None:
            self.fields.pop("version")
            self.initial.setdefault("form_token", uuid.uuid4().hex)
            latest = self.fields["cycle"].queryset.first()
            if latest is not None:
                self.initial.setdefault("cycle", latest.pk)
                offer_units_in_force(self.fields["commune"], latest.record_day())
        else:
            self.fields.pop("form_token")
            offer_units_in_force(self.fields["commune"], instance.cycle.record_day(), keep=instance.commune_id)

    @staticmethod
    def _initial_from(idea: ProductIdea) -> dict:
        return {
            "version": idea.version, "cycle": idea.cycle_id, "subject": idea.subject_id,
            "subject_search": idea.subject.name, "product": idea.product_id, "product_name": idea.product_name,
            "product_set": idea.product_set_id, "commune": idea.commune_id,
            "raw_material_source": idea.raw_material_source, "local_material_share": idea.local_material_share,
            "market": idea.market, "market_notes": idea.market_notes,
            "standards": [s.pk for s in idea.standards.all()], "support_needed": idea.support_needed,
            "expected_star": idea.expected_star,
        }

    def _chosen_subject(self) -> Subject | None:
        """The subject picked so far (from the posted hidden field, or the idea's), if the user may see it."""
        key = self.add_prefix("subject")
        raw = self.data.get(key) if self.is_bound else self.initial.get("subject")
        if self.is_bound and not raw:
            return None
        if not raw and self.instance is not None:
            raw = self.instance.subject_id
        try:
            return self.fields["subject"].queryset.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None

    @property
    def offers_new_subject(self) -> bool:
        return NEW_SUBJECT_PREFIX + "name" in self.fields

    @property
    def new_subject_fields(self):
        return [self[NEW_SUBJECT_PREFIX + name] for name in NEW_SUBJECT_FIELDS] if self.offers_new_subject else []

    @property
    def new_subject_open(self) -> bool:
        """Keep the inline subject fieldset open when something was typed in it or it has errors."""
        return any(field.value() or field.errors for field in self.new_subject_fields)

    def clean_new_subject_tax_code(self):
        return normalize_tax_code(self.cleaned_data.get("new_subject_tax_code", ""))

    def clean(self):
        cleaned = super().clean()
        subject = cleaned.get("subject")
        wants_new = self.offers_new_subject and any(
            cleaned.get(NEW_SUBJECT_PREFIX + name) for name in NEW_SUBJECT_FIELDS)
        if subject is None and not wants_new and "subject" not in self.errors:
            self.add_error("subject_search", _("Pick the subject from the search results, or register a new one."))
        elif subject is not None and wants_new:
            self.add_error("new_subject_name", _(
                "You picked an existing subject and also entered a new one: clear one of them."))
        elif wants_new:
            self._check_new_subject(cleaned)
        product = cleaned.get("product")
        if product is not None and subject is not None and product.subject_id != subject.pk:
            self.add_error("product", _("This product belongs to another subject."))
        return cleaned

    def _check_new_subject(self, cleaned):
        """Validate the inline subject as the subject form does: the model's rules, tax code unique."""
        values = {name: cleaned.get(NEW_SUBJECT_PREFIX + name) or "" for name in NEW_SUBJECT_FIELDS}
        candidate = Subject(**values, commune=cleaned.get("commune"))
        try:
            candidate.full_clean(exclude=["commune"] if cleaned.get("commune") is None else None,
                                 validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                field = NEW_SUBJECT_PREFIX + key if key in NEW_SUBJECT_FIELDS else None
                if key == "commune" and "commune" not in self.errors:
                    field = "commune"
                for message in messages:
                    self.add_error(field, message)
        field = NEW_SUBJECT_PREFIX + "tax_code"
        if field not in self.errors and subject_tax_code_taken(tax_code=values["tax_code"]):
            self.add_error(field, ValidationError(TAX_CODE_TAKEN, code="tax_code_taken"))

    def service_data(self) -> dict:
        """The cleaned values as the keyword arguments of `idea_register` (the idea edited and `submit` apart)."""
        cleaned = self.cleaned_data
        data = {name: cleaned.get(name) for name in (
            "cycle", "subject", "product", "product_name", "product_set", "commune", "raw_material_source",
            "local_material_share", "market", "market_notes", "standards", "support_needed", "expected_star")}
        data["attachments"] = cleaned.get("attachments") or []
        if "version" in self.fields:
            data["version"] = cleaned.get("version") or 0
        if self.offers_new_subject and cleaned.get("subject") is None:
            data.update({NEW_SUBJECT_PREFIX + name: cleaned.get(NEW_SUBJECT_PREFIX + name) or ""
                         for name in NEW_SUBJECT_FIELDS})
        return data


# ---------------------------------------------------------------------------------------------
# List filters, screening, sending
# ---------------------------------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {obj.parent}" if obj.parent_id and obj.level == UnitLevel.COMMUNE else str(obj)


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    cycle = forms.ModelChoiceField(label=_("Cycle"), required=False, queryset=Cycle.objects.none(),
                                   empty_label=_("All cycles"))
    unit = UnitChoiceField(label=_("District or commune"), required=False,
                           queryset=AdministrativeUnit.objects.none(), empty_label=_("Whole area"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *IdeaStatus.choices])
    product_set = ProductSetChoiceField(label=_("Product set"), required=False, group_by="sector",
                                        queryset=ProductSet.objects.order_by("number"),
                                        empty_label=_("All product sets"))
    subject_kind = forms.ChoiceField(label=_("Kind of subject"), required=False,
                                     choices=[("", _("All kinds")), *SubjectKind.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles_for(user)
        if is_subject_rep(user):
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units_in_scope(user).filter(
                kind__in=[*UnitKind.kinds_of_level(UnitLevel.DISTRICT), *UnitKind.kinds_of_level(UnitLevel.COMMUNE)],
            ).select_related("parent").order_by("path")
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select", "aria-label": field.label})

    def filter(self, qs):
        """Apply the valid filters to an idea queryset (invalid values are ignored)."""
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.filter(search_q(data["q"]))
        if data.get("cycle"):
            qs = qs.filter(cycle=data["cycle"])
        if data.get("unit"):
            qs = qs.filter(unit_scope_q(data["unit"], "commune__"))
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("product_set"):
            qs = qs.filter(product_set=data["product_set"])
        if data.get("subject_kind"):
            qs = qs.filter(subject__kind=data["subject_kind"])
        return qs


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason: the subject will read it.")},
    )


class IdeaBulkScreenForm(forms.Form):
    """The screener ticks submitted ideas in the list and selects, returns or rejects them together, with one reason
    for a return or a rejection (`ideas`: those he screens now)."""

    ideas = forms.ModelMultipleChoiceField(
        label=_("Ticked ideas"), queryset=ProductIdea.objects.none(), widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Tick at least one submitted idea."),
                        "invalid_choice": _("One of the ticked ideas can no longer be screened by you: reload the "
                                            "list.")},
    )
    action = forms.ChoiceField(choices=[(action, action) for action in IdeaStatus.SCREENING], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to return or reject: each subject will read it."))

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = ideas


class IdeaSendForm(forms.Form):
    """The screener ticks the selected ideas of his area and sends them as one list."""

    ideas = forms.ModelMultipleChoiceField(
        label=_("Selected ideas"), queryset=ProductIdea.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one selected idea."),
                        "invalid_choice": _("One of the ticked ideas can no longer be sent: reload the page.")},
    )
    note = forms.CharField(label=_("Note to the province"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = ideas
