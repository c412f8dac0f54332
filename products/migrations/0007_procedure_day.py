import datetime

from django.db import migrations, models
from django.utils import timezone


def set_procedure_days(apps, schema_editor):
    """The procedure day of every record already submitted: its submission day within its cycle's year and its
    province's existence (ocop.Cycle.procedure_day)."""
    for name in ("ProductIdea", "Dossier"):
        Model = apps.get_model("products", name)
        changed = []
        for record in Model.objects.filter(submitted_at__isnull=False).select_related("cycle__province"):
            year, province = record.cycle.year, record.cycle.province
            first = max(datetime.date(year, 1, 1), province.valid_from or datetime.date.min)
            last = min(datetime.date(year, 12, 31), province.valid_to or datetime.date.max)
            day = timezone.localdate(record.submitted_at)
            record.procedure_on = min(max(day, first), last) if first <= last else day
            changed.append(record)
        Model.objects.bulk_update(changed, ["procedure_on"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("products", "0006_dossier_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="procedure_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="procedure day"),
        ),
        migrations.AddField(
            model_name="productidea",
            name="procedure_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="procedure day"),
        ),
        migrations.RunPython(set_procedure_days, migrations.RunPython.noop),
    ]
