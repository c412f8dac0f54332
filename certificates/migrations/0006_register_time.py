"""The register's model of time: supersession dates derived from the certificates' own dates, the criteria
version of each certificate, grounds of revocation, and numbering per authority code (the central level too).

Existing registers are repaired where the repair can be derived: every product's chain is recomputed from
issue dates (an older certificate recorded late no longer supersedes a newer one), each certificate gets the
regulation of its evaluation or the one in force on its issue date, and each sequence row its authority code.
What cannot be derived (duplicate numbers, for instance) is listed by `manage.py register_check`.
"""
import django.db.models.deletion
from django.db import migrations, models

from certificates.chain import Link, supersessions


def sequences_by_code(apps, schema_editor):
    Sequence = apps.get_model("certificates", "CertificateSequence")
    for sequence in Sequence.objects.select_related("issuing_unit"):
        sequence.authority = sequence.issuing_unit.code
        sequence.save(update_fields=["authority"])


def forwards(apps, schema_editor):
    """The derivable repairs (also run by the tests on data written the old way)."""
    Certificate = apps.get_model("certificates", "Certificate")
    Regulation = apps.get_model("evaluation", "Regulation")
    # A revocation dated before the issue is impossible: the earliest consistent date is the issue itself.
    Certificate.objects.filter(revoked_on__lt=models.F("issued_on")).update(revoked_on=models.F("issued_on"))
    rows = Certificate.objects.values_list("pk", "product_id", "issued_on", "valid_until", "star", "number",
                                           "superseded_by_id", "superseded_on")
    current = {row[0]: (row[6], row[7]) for row in rows}
    wanted = supersessions(Link(*row[:6]) for row in rows)
    changed = [Certificate(pk=pk, superseded_by_id=by, superseded_on=on)
               for pk, (by, on) in wanted.items() if current[pk] != (by, on)]
    Certificate.objects.bulk_update(changed, ["superseded_by", "superseded_on"], batch_size=2000)
    rated = Certificate.objects.filter(pk=models.OuterRef("pk")).values("recognition__evaluation__regulation_id")
    Certificate.objects.filter(recognition__isnull=False).update(regulation_id=models.Subquery(rated[:1]))
    until = None
    for regulation in Regulation.objects.order_by("-effective_from"):  # each in force until the next one
        period = Certificate.objects.filter(regulation__isnull=True, issued_on__gte=regulation.effective_from)
        if until is not None:
            period = period.filter(issued_on__lt=until)
        period.update(regulation=regulation)
        until = regulation.effective_from

class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0005_notice_not_emailed'),
        ('evaluation', '0002_regulations'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificatesequence',
            name='authority',
            field=models.CharField(default='', max_length=20),
        ),
        migrations.AddField(
            model_name='certificate',
            name='regulation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='evaluation.regulation', verbose_name='criteria version'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='revoke_ground',
            field=models.CharField(blank=True, choices=[('quality', 'The product no longer keeps the quality or process it was recognised for'), ('food_safety', 'A food-safety violation'), ('mark_misuse', 'Misuse of the OCOP mark or certificate'), ('ceased', 'The subject ceased producing the product'), ('no_reevaluation', 'No re-evaluation within 36 months'), ('other', 'Another ground stated in the decision')], max_length=20, verbose_name='ground for revocation'),
        ),
        migrations.AddField(
            model_name='certificate',
            name='superseded_on',
            field=models.DateField(blank=True, null=True, verbose_name='superseded on'),
        ),
        migrations.RunPython(sequences_by_code, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name='certificatesequence',
            name='certificate_sequence_unique',
        ),
        migrations.RemoveField(
            model_name='certificatesequence',
            name='issuing_unit',
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(('revoked_on__isnull', True), ('revoked_on__gte', models.F('issued_on')), _connector='OR'), name='certificate_revoked_after_issue'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('superseded_by__isnull', True), ('superseded_on__isnull', True)), models.Q(('superseded_by__isnull', False), ('superseded_on__gte', models.F('issued_on')), ('superseded_on__lte', models.F('valid_until'))), _connector='OR'), name='certificate_superseded_in_validity'),
        ),
        migrations.AddConstraint(
            model_name='certificatesequence',
            constraint=models.UniqueConstraint(fields=('authority', 'year'), name='certificate_sequence_unique'),
        ),
    ]
