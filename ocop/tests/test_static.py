"""The deployment's static files: `collectstatic` with hashed names, as in production, finds every file a vendored
bundle refers to (a missing source map raised MissingFileError at step 2 of the README's deployment).
Production compresses too (WhiteNoise's CompressedManifestStaticFilesStorage, 40 s here): the hashing that checks
the references is Django's ManifestStaticFilesStorage, used below; CI's deployment rehearsal runs the real one."""
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    return settings.STATIC_ROOT  # Django's setting_changed signal builds staticfiles_storage again


def test_collectstatic_with_the_production_storage_hashes_every_file(manifest_storage):
    call_command("collectstatic", interactive=False, verbosity=0)
    chart = staticfiles_storage.stored_name("vendor/chartjs/chart.umd.min.js")
    assert chart != "vendor/chartjs/chart.umd.min.js"  # hashed, with its source map alongside
    assert (manifest_storage / staticfiles_storage.stored_name("vendor/chartjs/chart.umd.min.js.map")).exists()
    assert (manifest_storage / "staticfiles.json").exists()
