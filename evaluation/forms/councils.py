"""Forms of councils, their members and advisory teams, sessions, agendas, attendance and scoring."""
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.enums import Role, UnitLevel
from ocop.forms.units import offer_units_in_force
from ocop.models import User
from ocop.rules import is_ministry_staff, is_system_admin
from ocop.selectors import cycle_list, unit_scope_q, units_in_scope
from products.enums import DossierStatus
from products.models import Dossier
from subjects.forms import unit_with_ancestors

from ..enums import EvaluationKind, EvaluationLevel, MemberRole, SessionStatus
from ..models import AdvisoryMember, Council, CouncilMember, Session
from ..services.councils import dossiers_by_commune_step_q

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})

# The unit level a council of each level sits at (the central council at the ministry).
UNIT_LEVEL_OF = {
    EvaluationLevel.CENTRAL: UnitLevel.CENTRAL,
    EvaluationLevel.COMMUNE: UnitLevel.COMMUNE,
    EvaluationLevel.DISTRICT: UnitLevel.DISTRICT,
    EvaluationLevel.PROVINCE: UnitLevel.PROVINCE,
}
# Accounts that may sit on a council: experts, officials; never a subject's representative.
MEMBER_ROLES = [Role.COUNCIL_MEMBER, Role.MINISTRY_STAFF, Role.PROVINCE_STAFF, Role.LOCAL_OFFICER]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_with_ancestors(obj)


class MemberUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.username}) – {obj.agency}" if obj.agency else f"{name} ({obj.username})"


class CouncilForm(forms.ModelForm):
    """A new council: a cycle and a unit within the official's area, a level that fits the unit."""

    class Meta:
        model = Council
        fields = ["cycle", "level", "unit", "name", "established_by"]
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "established_by": forms.TextInput(attrs={"placeholder": _("e.g. Decision 812/QĐ-UBND of 15/08/2023")}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cycle"].queryset = cycle_list(user=user)
        self.fields["unit"].queryset = units_in_scope(user).select_related("parent__parent").order_by("path")
        latest = self.fields["cycle"].queryset.order_by("-year").first()
        if latest is not None:  # the units of the official's latest cycle: since 01/07/2025, no district
            offer_units_in_force(self.fields["unit"], latest.record_day())
        if not is_system_admin(user):  # the ministry's office forms the central council, nobody else does
            central = is_ministry_staff(user)
            self.fields["level"].choices = [(value, label) for value, label in self.fields["level"].choices
                                            if not value or (value == EvaluationLevel.CENTRAL) == central]

    def clean(self):
        cleaned = super().clean()
        cycle, level, unit = cleaned.get("cycle"), cleaned.get("level"), cleaned.get("unit")
        if unit is not None and level in UNIT_LEVEL_OF and unit.level != UNIT_LEVEL_OF[level]:
            self.add_error("unit", ValidationError(
                _("A council of the %(level)s sits at a unit of that level; choose another unit or level.") % {
                    "level": EvaluationLevel(level).label.lower()}))
        # A unit that no longer exists on the cycle's day is refused by the service, which names its successor.
        if (unit is not None and cycle is not None and unit.exists_during(*cycle.record_span())
                and not unit.path.startswith(cycle.province.path)):
            self.add_error("unit", ValidationError(_("The council's unit must lie in the cycle's province.")))
        return cleaned


class CouncilMemberForm(forms.Form):
    user = MemberUserChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    agency = forms.CharField(label=_("Agency"), max_length=255, required=False,
                             help_text=_("Left empty, the agency of the person's account is used."))

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        # People of the council's province (or attached to no unit: outside experts), not yet members.
        province = council.cycle.province
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, role__in=MEMBER_ROLES)
            .filter(Q(unit__isnull=True) | Q(unit__path__startswith=province.path))
            .exclude(council_memberships__council=council).order_by("last_name", "first_name", "username"))

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == MemberRole.CHAIR and self.council.members.filter(role=MemberRole.CHAIR).exists():
            raise ValidationError(_("This council already has a chair."))
        return role


class AdviserForm(forms.ModelForm):
    class Meta:
        model = AdvisoryMember
        fields = ["name", "agency", "task"]


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["held_on", "place"]
        widgets = {"held_on": DATE_WIDGET}
        help_texts = {"held_on": _("The session goes to the evaluation round of the cycle whose days hold this "
                                   "date.")}


class PresenceForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members present"), queryset=CouncilMember.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = session.council.members.select_related("user")
        self.fields["members"].label_from_instance = lambda m: f"{m.user} – {m.get_role_display()}"


def candidate_dossiers(session: Session):
    """Submitted dossiers of the council's cycle and area whose product is not yet on the agenda; under rules with
    the commune's step (1489/QĐ-TTg, 26/2026/QĐ-TTg: `Regulation.commune_intake`), only those the commune has sent
    to the province (the service refuses the others: `commune_step_check`). At the central council, the dossiers
    of the products the provinces nominated to it (`nominated_dossiers`)."""
    council = session.council
    if council.level == EvaluationLevel.CENTRAL:
        return nominated_dossiers(session)
    direct = dossiers_by_commune_step_q(cycle=council.cycle, session_date=session.held_on, commune_intake=False)
    return (Dossier.objects.filter(unit_scope_q(council.unit, "product__commune__"),
                                   status__in=DossierStatus.LODGED, cycle=council.cycle)
            .filter(Q(status=DossierStatus.SENT) | direct)
            .exclude(product__evaluations__session=session)
            .select_related("product__subject", "product__product_set", "product__commune")
            .order_by("product__product_set__number", "product__name"))


def nominated_dossiers(session: Session):
    """The dossiers on which a finalised provincial session nominated a product to the central level, on or before
    the central session's day, whose product is not yet on its agenda: what the ministry's council may rate."""
    return (Dossier.objects.filter(evaluations__nominated_to=EvaluationLevel.CENTRAL,
                                   evaluations__session__status=SessionStatus.FINALISED,
                                   product__nominated_central_on__lte=session.held_on)
            .exclude(product__evaluations__session=session).distinct()
            .select_related("product__subject", "product__product_set", "product__commune")
            .order_by("product__product_set__number", "product__name"))


class DossierChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        product = obj.product
        return f"{product.name} – {product.subject} ({product.product_set})"


class AssignDossiersForm(forms.Form):
    dossiers = DossierChoiceField(label=_("Submitted dossiers"), queryset=Dossier.objects.none(),
                                  help_text=_("Under 1489/QĐ-TTg and 26/2026/QĐ-TTg a dossier is listed once its "
                                              "commune has checked it and sent it to the province."),
                                  widget=forms.CheckboxSelectMultiple,
                                  error_messages={"required": _("Tick at least one dossier.")})
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=EvaluationKind.choices,
                             initial=EvaluationKind.FIRST)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = candidate_dossiers(session)
        if session.council.level == EvaluationLevel.CENTRAL:
            # A nominated product usually holds its province's 4★ certificate: the ministry rates it for 5★.
            self.fields["kind"].initial = EvaluationKind.UPGRADE
            self.fields["dossiers"].help_text = _("The dossiers of the products the provinces nominated to the "
                                                  "central level.")


class AssignProductForm(forms.Form):
    """A product of the council's area assigned without a dossier (a renewal, or a dossier kept on paper)."""

    product = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=EvaluationKind.choices,
                             initial=EvaluationKind.FIRST)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        if session.council.level == EvaluationLevel.CENTRAL:  # as AssignDossiersForm
            self.fields["kind"].initial = EvaluationKind.UPGRADE


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason.")})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason."))
        return reason


class ScoreForm(forms.Form):
    """One click on the sheet: which criterion and which of its answers."""

    criterion = forms.IntegerField(min_value=1)
    option = forms.IntegerField(min_value=1)


class NoteForm(forms.Form):
    criterion = forms.IntegerField(min_value=1)
    note = forms.CharField(max_length=1000, required=False, strip=True)
