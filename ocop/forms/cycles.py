"""Forms for cycles and their steps."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CycleStep
from ..models import AdministrativeUnit, Cycle, CycleStepPlan
from ..selectors import units_in_scope
from .units import offer_units_in_force
from .widgets import DATE_WIDGET


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["province", "year", "name", "plan_reference"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = units_in_scope(user).provinces()
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


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    parent = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.none(), required=False, label=_("In"))
