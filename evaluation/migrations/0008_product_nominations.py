from django.db import migrations
from django.db.models import Min


def product_nominations(apps, schema_editor):
    """Each product's day of nomination to the central level, derived from the finalised evaluations
    (evaluation.services.results.product_nominations_refresh)."""
    Evaluation = apps.get_model("evaluation", "Evaluation")
    Product = apps.get_model("products", "Product")
    first = (Evaluation.objects.filter(nominated_to="central", session__status="finalised")
             .values("product_id").annotate(first=Min("session__held_on")).values_list("product_id", "first"))
    for product_id, day in first:
        Product.objects.filter(pk=product_id).update(nominated_central_on=day)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0007_regulation_commune_intake"),
        ("products", "0008_product_nominated_central"),
    ]

    operations = [
        migrations.RunPython(product_nominations, migrations.RunPython.noop),
    ]
