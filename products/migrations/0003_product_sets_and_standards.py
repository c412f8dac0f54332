"""Ship the 26 product sets (products/data/product_sets.csv) and the common standards as data."""
import csv
from pathlib import Path

from django.db import migrations

STANDARDS = [
    ("vietgap", "VietGAP"), ("globalgap", "GlobalGAP"), ("organic", "Hữu cơ (Organic)"),
    ("iso22000", "ISO 22000"), ("haccp", "HACCP"), ("gmp", "GMP"), ("gacp-who", "GACP-WHO"),
    ("iso9001", "ISO 9001"),
]


def load(apps, schema_editor):
    ProductSet = apps.get_model("products", "ProductSet")
    Standard = apps.get_model("products", "Standard")
    path = Path(__file__).resolve().parent.parent / "data" / "product_sets.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ProductSet.objects.update_or_create(
                number=int(row["number"]),
                defaults={"sector": row["sector"], "group": row["group"], "name": row["product_set"]},
            )
    for code, name in STANDARDS:
        Standard.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("products", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
