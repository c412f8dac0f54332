"""Forms for cycles and their steps."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CycleStep
from ..models import AdministrativeUnit, Cycle, CycleStepPlan, Round
from ..rounds import round_default_dates
from ..selectors import cycle_rounds, units_in_scope
from ..validators import validate_name
from .units import offer_units_in_force
from .widgets import DATE_WIDGET


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["province", "year", "name", "plan_reference"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = units_in_scope(user).cycle_holders()
        if self.instance.pk:
            self.fields["province"].disabled = True
            self.fields["year"].disabled = True
        else:  # a new cycle is usually this year's: the provinces of the two-tier country since 01/07/2025
            offer_units_in_force(self.fields["province"], timezone.localdate())


class CurrentStepForm(forms.Form):
    current_step = forms.TypedChoiceField(label=_("Current step"), choices=CycleStep.choices, coerce=int)


class StepPlanForm(forms.ModelForm):
    class Meta:
        model = CycleStepPlan
        fields = ["planned_start", "planned_end", "note"]
        widgets = {"planned_start": DATE_WIDGET, "planned_end": DATE_WIDGET}


class RoundForm(forms.Form):
    """A round's number, name and days; the service checks them against the cycle and its other rounds."""

    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=32767)
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_name])
    starts_on = forms.DateField(label=_("Opens on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Closes on"), widget=DATE_WIDGET,
                              help_text=_("Under 26/2026/QĐ-TTg a province holds at least two rounds a year, "
                                          "closing on 30/06 and 30/12. The days offered cover 01/01 – 30/06, then "
                                          "01/07 – 30/12: a session held on 31/12 falls in no round unless the last "
                                          "round closes on 31/12."))

    @staticmethod
    def initial_for(cycle: Cycle) -> dict:
        """What a new round of the cycle is offered: the next number, and the days after the last round's
        (`ocop.rounds.round_default_dates`: 01/01 – 30/06, then 01/07 – 30/12)."""
        last = cycle_rounds(cycle=cycle).last()
        number = (last.number + 1) if last is not None else 1
        starts_on, ends_on = round_default_dates(year=cycle.year, previous_ends_on=last.ends_on if last else None)
        return {"number": number, "name": _("Round %(number)s of %(year)s") % {"number": number, "year": cycle.year},
                "starts_on": starts_on, "ends_on": ends_on}

    @staticmethod
    def initial_of(round_: Round) -> dict:
        return {name: getattr(round_, name) for name in ("number", "name", "starts_on", "ends_on")}


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    parent = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.none(), required=False, label=_("In"))
