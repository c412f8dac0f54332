"""Reference data that migrations ship (the ministries, product sets, standards, regulations) reloaded on demand.

A live-server test flushes every table after it runs, migration data included; the demo loaders call
`reference_data_ensure` first so that the next test (and `seed_demo` on a flushed database) finds it again.
The migrations' own idempotent `load(apps, schema_editor)` functions do the work, so there is one source.
"""
import importlib

from django.apps import apps

# (app label, model whose rows (matching the filter) prove the data is there, migration modules holding `load`,
# run in order)
REFERENCE_MIGRATIONS = [
    ("ocop", "AdministrativeUnit", {"kind": "ministry"}, ["ocop.migrations.0007_ministry"]),
    ("products", "ProductSet", {}, ["products.migrations.0003_product_sets_and_standards"]),
    ("evaluation", "Regulation", {}, ["evaluation.migrations.0002_regulations",
                                      "evaluation.migrations.0007_regulation_commune_intake"]),
]


def reference_data_ensure(log=None) -> None:
    for app_label, model_name, proof, modules in REFERENCE_MIGRATIONS:
        if apps.get_model(app_label, model_name).objects.filter(**proof).exists():
            continue
        for module in modules:
            importlib.import_module(module).load(apps, None)
        if log:
            log(f"reference data of {app_label} reloaded")
