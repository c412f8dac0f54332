"""The commune's pre-assessment of a dossier: an answer and a note for each criterion it pre-assesses."""
from django import forms
from django.utils.translation import gettext_lazy as _


class PreAssessmentForm(forms.Form):
    """One answer (optional: left empty, it is cleared) and one note per criterion; `criteria` carry their options
    (prefetched) and `current` maps a criterion's id to its recorded row."""

    def __init__(self, *args, criteria, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            row = current.get(criterion.pk)
            self.fields[f"option_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.code} {criterion.title}", required=False, coerce=int, empty_value=None,
                choices=[("", _("Not assessed")), *((option.pk, f"{option.label} ({option.points:g})")
                                                    for option in criterion.options.all())],
                initial=row.option_id if row else None)
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000, initial=row.note if row else "",
                widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self):
        """The form's fields, criterion by criterion, for the template."""
        return [(criterion, self[f"option_{criterion.pk}"], self[f"note_{criterion.pk}"])
                for criterion in self.criteria]

    def answers(self) -> dict:
        """What `dossier_preassess` takes: the chosen option (or None) and the note, by criterion id."""
        options = {option.pk: option for criterion in self.criteria for option in criterion.options.all()}
        return {criterion.pk: (options.get(self.cleaned_data[f"option_{criterion.pk}"]),
                               self.cleaned_data[f"note_{criterion.pk}"]) for criterion in self.criteria}
