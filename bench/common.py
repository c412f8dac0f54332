"""What every benchmark shares: a fresh database to build its data in."""
import os
import tempfile
import warnings


def setup_django():
    """A fresh database: a temporary SQLite file, or a test database beside DATABASE_URL's."""
    tmpdir = None
    if not os.environ.get("DATABASE_URL"):
        tmpdir = tempfile.TemporaryDirectory(prefix="ocop-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)

        def teardown():
            connection.close()
            tmpdir.cleanup()
    else:
        from django.test.utils import setup_databases, teardown_databases

        config = setup_databases(verbosity=0, interactive=False)

        def teardown():
            teardown_databases(config, verbosity=0)
    return teardown
