"""Which regulations send a dossier through the commune before a council takes it: 1489/QĐ-TTg (2025), which
replaced the district's step by the commune's, and every regulation in force after it (26/2026/QĐ-TTg).

`load` is idempotent and also runs when the reference data is reloaded (ocop/reference.py).
"""
from django.db import migrations, models

# The first regulation of the two-tier procedure; it and those in force from its day on have the commune's step.
FIRST_COMMUNE_INTAKE_CODE = "1489"


def load(apps, schema_editor):
    Regulation = apps.get_model("evaluation", "Regulation")
    first = Regulation.objects.filter(code__startswith=FIRST_COMMUNE_INTAKE_CODE).order_by("effective_from").first()
    if first is not None:
        Regulation.objects.filter(effective_from__gte=first.effective_from).update(commune_intake=True)


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0006_commune_preassessment'),
    ]

    operations = [
        migrations.AddField(
            model_name='regulation',
            name='commune_intake',
            field=models.BooleanField(default=False, help_text='Under these rules a council takes a dossier only once its commune has checked it and sent it to the province.', verbose_name='the commune checks and sends the dossiers'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
