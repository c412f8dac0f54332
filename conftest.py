"""Fixtures every app's tests share: fast hashing, units, the demo data, users of every role."""
import shutil

import pytest

_TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "LANGUAGE_CODE": "vi",
    # WhiteNoise looks a static file up when it is asked for, instead of listing every static file each time
    # a test client builds its middleware (once per test: a quarter of the suite's time went there).
    "WHITENOISE_AUTOREFRESH": True,
}


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Fast hashing and the Vietnamese interface for the whole session (a test may still change them with
    pytest-django's `settings`; they come back after it)."""
    from django.test.utils import override_settings

    with override_settings(**_TEST_SETTINGS):
        yield


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


def _load_demo(*, heavy: bool) -> None:
    from ocop.registry import demo_loaders

    for loader in demo_loaders(heavy=heavy):
        loader(lambda text: None)


def _demo_level(item) -> int:
    """0: the test uses no demo data; 1: `demo`; 2: `demo_full`."""
    names = item.fixturenames
    return 2 if "demo_full" in names else 1 if "demo" in names else 0


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return ("transactional_db" in item.fixturenames or "live_server" in item.fixturenames
            or bool(marker and marker.kwargs.get("transaction")))


@pytest.hookimpl(tryfirst=True)  # before pytest-django's, which orders by the markers added here
def pytest_collection_modifyitems(items):
    """Within a module, the tests that use no demo data run first: the module's demo world (below) is built
    when the first test asks for it and lives until the module ends, so that no test sees data it did not
    ask for. The sort is stable: otherwise the order of the file is kept."""
    position = {}
    for index, item in enumerate(items):
        position.setdefault(item.module, index)
        if _demo_level(item) and not _transactional(item) and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)  # `demo` asks for `db` only when it runs: say it now
    items.sort(key=lambda item: (position[item.module], _demo_level(item) > 0 and not _transactional(item)))


@pytest.fixture(scope="session")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Worlds built once per session and copied into each module that asks (tests/worlds.py)."""
    from tests.worlds import Worlds

    worlds = Worlds(_TEST_SETTINGS, lambda key: tmp_path_factory.mktemp(f"world-{key}-media"))
    yield worlds
    with django_db_blocker.unblock():
        worlds.drop()


@pytest.fixture(scope="module")
def _demo_world(request, worlds, django_db_blocker):
    """The demo data for this test module: a copy of the session's demo world (tests/worlds.py), inside a
    transaction that is rolled back when the module ends; each test runs in a savepoint inside it
    (pytest-django's `db`), so a test's changes vanish after it as before. Transactional tests (browser,
    worker) cannot see an uncommitted world: `demo` writes a committed copy for each of them. The world's
    media files are copied into each test's own MEDIA_ROOT."""
    items = [item for item in request.session.items if item.module is request.module]
    if any(_transactional(item) and _demo_level(item) for item in items):
        yield None
        return
    heavy = any(_demo_level(item) == 2 for item in items)
    with django_db_blocker.unblock(), worlds.entered("demo_full" if heavy else "demo",
                                                     lambda media: _load_demo(heavy=heavy)) as world:
        yield world.media


@pytest.fixture
def demo(request, _demo_world, settings):
    """What `seed_demo` loads, without the heavy loaders (score sheets, scored sessions, certificates).

    In a module where some test asks for `demo_full`, the module's world holds the heavy data too."""
    if _demo_world is None:
        request.getfixturevalue("transactional_db")
        heavy = _demo_level(request.node) == 2
        request.getfixturevalue("worlds").load_committed(
            "demo_full" if heavy else "demo", lambda media: _load_demo(heavy=heavy), settings.MEDIA_ROOT)
        return
    request.getfixturevalue("db")
    if any(_demo_world.iterdir()):
        shutil.copytree(_demo_world, settings.MEDIA_ROOT, dirs_exist_ok=True)


@pytest.fixture
def demo_full(demo):
    """Everything `seed_demo` loads, the heavy loaders too (`demo` loads them when the test asks for this)."""


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
