"""Fixtures every app's tests share: fast hashing, units, users of every role."""
import pytest


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks run in the test's own process, even in the CI leg that configures a Redis broker; the tests of
    tests/worker/ start a real worker on that broker instead."""
    from ocop.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test (browser, real worker) ends with a flush that empties the tables migrations fill
    (product sets, standards, regulations): put them back before the next test's own fixtures run."""
    from ocop.reference import reference_data_ensure

    reference_data_ensure()


@pytest.fixture
def demo_units(db):
    """The administrative units of the demo data (Bắc Kạn, Nam Định, Hòa Bình, Thái Nguyên)."""
    from ocop.demo import UNITS_CSV
    from ocop.models import AdministrativeUnit
    from ocop.services import units_import_csv

    result = units_import_csv(text=UNITS_CSV.read_text(encoding="utf-8"))
    assert result.ok, result.errors
    return {u.code: u for u in AdministrativeUnit.objects.all()}


@pytest.fixture
def demo(db):
    """What `seed_demo` loads, without the heavy loaders (score sheets, scored sessions, certificates)."""
    from ocop.registry import demo_loaders

    for loader in demo_loaders(heavy=False):
        loader(lambda text: None)


@pytest.fixture
def demo_full(demo):
    """Everything `seed_demo` loads, the heavy loaders too."""
    from ocop.registry import demo_loaders

    for loader in demo_loaders(heavy=True):
        loader(lambda text: None)


@pytest.fixture
def users(demo):
    from ocop.models import User

    return {u.username: u for u in User.objects.select_related("unit")}


@pytest.fixture
def client_for(client, users):
    """client_for("huyen.bachthong") is a test client logged in as that demo user."""

    def login(username):
        client.force_login(users[username])
        return client

    return login
