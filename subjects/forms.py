"""Forms for registering and changing subjects and for linking the accounts that act for them."""
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.enums import Role
from ocop.models import AdministrativeUnit, User
from ocop.selectors import units_in_scope

from .models import Subject
from .services import TAX_CODE_TAKEN, subject_likely_duplicates, subject_tax_code_taken
from .validators import normalize_tax_code, validate_tax_code


def unit_with_ancestors(unit: AdministrativeUnit) -> str:
    """"Xã Vi Hương – Huyện Bạch Thông, Tỉnh Bắc Kạn": tells same-named communes apart."""
    ancestors = []
    parent = unit.parent
    while parent is not None:
        ancestors.append(str(parent))
        parent = parent.parent
    return f"{unit} – {', '.join(ancestors)}" if ancestors else str(unit)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_with_ancestors(obj)


class SubjectForm(forms.ModelForm):
    """A subject's details. `likely_duplicates` holds the same-named subjects of the commune, if any;
    saving then needs `confirm_distinct` ticked."""

    tax_code = forms.CharField(
        label=_("Tax code"), required=False, max_length=30,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch. Spaces and dots are ignored. "
                    "A cooperative group may leave it empty."),
    )
    confirm_distinct = forms.BooleanField(
        label=_("I confirm this is a different subject"), required=False,
    )

    class Meta:
        model = Subject
        fields = [
            "name", "kind", "tax_code", "legal_representative", "commune", "address", "phone", "email",
            "founded_year", "members_count",
        ]
        field_classes = {"commune": CommuneChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.likely_duplicates: list[Subject] = []
        self.fields["commune"].queryset = (
            units_in_scope(user).communes().select_related("parent__parent").order_by("path"))
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["founded_year"].widget.attrs.update({"min": 1945, "max": 2100})

    def clean_tax_code(self):
        tax_code = normalize_tax_code(self.cleaned_data.get("tax_code", ""))
        # On the instance even when refused below, so that the model's clean() does not add "missing".
        self.instance.tax_code = tax_code
        if tax_code:
            validate_tax_code(tax_code)
            if subject_tax_code_taken(tax_code=tax_code, exclude_pk=self.instance.pk):
                raise ValidationError(TAX_CODE_TAKEN, code="tax_code_taken")
        return tax_code

    def clean(self):
        cleaned = super().clean()
        name, commune = cleaned.get("name"), cleaned.get("commune")
        renamed_or_moved = self.instance.pk is None or {"name", "commune"} & set(self.changed_data)
        if name and commune and renamed_or_moved:
            self.likely_duplicates = subject_likely_duplicates(
                name=name, commune=commune, exclude_pk=self.instance.pk)
            if self.likely_duplicates and not cleaned.get("confirm_distinct"):
                self.add_error("confirm_distinct", ValidationError(
                    _("A subject with the same name is already registered in this commune. Check it is not the "
                      "same one; if it is not, tick the box to save."), code="likely_duplicate"))
        return cleaned

    def subject_data(self) -> dict:
        """The cleaned values the subject services take."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class RepresentativeAddForm(forms.Form):
    """Link an existing account (role: subject representative) to a subject, by username or email."""

    account = forms.CharField(
        label=_("Username or email"), max_length=254,
        help_text=_("An existing account with the role “subject representative”."),
    )
    position = forms.CharField(label=_("Position"), max_length=100, required=False)

    def __init__(self, *args, subject: Subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.user: User | None = None

    def clean_account(self):
        account = self.cleaned_data["account"].strip()
        candidates = list(User.objects.filter(
            Q(username__iexact=account) | Q(email__iexact=account), role=Role.SUBJECT_REP, is_active=True)[:2])
        if not candidates:
            raise ValidationError(
                _("No active subject representative account has this username or email."), code="unknown_account")
        if len(candidates) > 1:
            raise ValidationError(
                _("Several accounts share this email: enter the username instead."), code="ambiguous_account")
        user = candidates[0]
        if self.subject.representative_links.filter(user=user).exists():
            raise ValidationError(_("This account already acts for this subject."), code="already_linked")
        self.user = user
        return account
