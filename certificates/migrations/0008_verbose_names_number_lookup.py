# The admin's names of the numbering and rendering models, and the index of the case-insensitive number lookup.
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0007_input_hygiene'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='certificatesequence',
            options={'verbose_name': 'certificate number sequence', 'verbose_name_plural': 'certificate number sequences'},
        ),
        migrations.AlterModelOptions(
            name='renderchunk',
            options={'verbose_name': 'rendering batch', 'verbose_name_plural': 'rendering batches'},
        ),
        migrations.AlterModelOptions(
            name='renderjob',
            options={'ordering': ['-created_at'], 'verbose_name': 'certificate rendering job', 'verbose_name_plural': 'certificate rendering jobs'},
        ),
        migrations.AlterField(
            model_name='certificatesequence',
            name='authority',
            field=models.CharField(default='', max_length=20, verbose_name='authority code'),
        ),
        migrations.AlterField(
            model_name='certificatesequence',
            name='last',
            field=models.PositiveIntegerField(default=0, verbose_name='last number used'),
        ),
        migrations.AlterField(
            model_name='certificatesequence',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='year'),
        ),
        migrations.AlterField(
            model_name='renderchunk',
            name='certificate_ids',
            field=models.JSONField(verbose_name='certificate ids'),
        ),
        migrations.AlterField(
            model_name='renderchunk',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='finished at'),
        ),
        migrations.AlterField(
            model_name='renderchunk',
            name='job',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='chunks', to='certificates.renderjob', verbose_name='rendering job'),
        ),
        migrations.AlterField(
            model_name='renderchunk',
            name='size',
            field=models.PositiveIntegerField(verbose_name='certificates'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='render_jobs', to='evaluation.decision', verbose_name='decision'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='error',
            field=models.TextField(blank=True, verbose_name='error'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='finished at'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by'),
        ),
        migrations.AlterField(
            model_name='renderjob',
            name='total',
            field=models.PositiveIntegerField(default=0, verbose_name='certificates'),
        ),
        migrations.AddIndex(
            model_name='certificate',
            index=models.Index(django.db.models.functions.text.Upper('number'), name='certificate_number_upper_idx'),
        ),
    ]
