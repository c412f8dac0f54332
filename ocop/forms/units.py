"""Choice lists of administrative units that offer only the units existing on the day of the record."""
import datetime

from django.db.models import Q
from django.forms.models import ModelChoiceIterator


class UnitsInForceIterator(ModelChoiceIterator):
    """The field's units less those that ended before its `offered_on` day (except `offered_keep`)."""

    def __init__(self, field):
        super().__init__(field)
        in_force = Q(valid_to__isnull=True) | Q(valid_to__gte=field.offered_on)
        if field.offered_keep is not None:
            in_force |= Q(pk=field.offered_keep)
        self.queryset = self.queryset.filter(in_force)


def offer_units_in_force(field, on: datetime.date, *, keep: int | None = None) -> None:
    """Let the unit choice `field` list only the units that have not ended by `on` (and the unit `keep`, the one
    a record being changed already has).

    The field still accepts the others, so that a form opened before a merge, or a hand-made request, gets the
    service's refusal naming the unit that stands for the ended one (`ocop.services.unit_in_force_check`)
    instead of "not one of the available choices".
    """
    field.offered_on, field.offered_keep = on, keep
    field.iterator = UnitsInForceIterator
    field.widget.choices = field.choices
