"""Settings come from the environment: SQLite and eager tasks by default, a strict production mode."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
    "s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.CACHES['default']['BACKEND'], s.LANGUAGE_CODE]))"
)
VARS = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY",
        "DEBUG", "ALLOWED_HOSTS")


def run(code_or_args, **env):
    base = {k: v for k, v in os.environ.items() if k not in VARS}
    base.update(env)
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_defaults_need_nothing_installed():
    out = run(PROBE, DJANGO_SETTINGS_MODULE="ocop.settings")
    engine, name, eager, email, cache, language = __import__("json").loads(out.stdout)
    assert engine == "django.db.backends.sqlite3" and name.endswith("db.sqlite3")
    assert eager is True
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert cache.endswith("LocMemCache")
    assert language == "vi"


def test_environment_selects_postgresql_redis_and_smtp():
    out = run(PROBE, DJANGO_SETTINGS_MODULE="ocop.settings",
              DATABASE_URL="postgres://ocop:pw@db.example:5432/ocop", CELERY_BROKER_URL="redis://r:6379/0",
              REDIS_URL="redis://r:6379/1", EMAIL_URL="smtp+tls://u:p@mail.example:587")
    engine, name, eager, email, cache, _ = __import__("json").loads(out.stdout)
    assert (engine, name) == ("django.db.backends.postgresql", "ocop")
    assert eager is False
    assert email == "django.core.mail.backends.smtp.EmailBackend"
    assert cache.endswith("RedisCache")


def test_production_refuses_to_start_without_a_secret_key():
    out = run(["manage.py", "check"], DJANGO_SETTINGS_MODULE="ocop.settings.production",
              ALLOWED_HOSTS="ocop.example.vn")
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


def test_production_check_deploy_is_clean():
    out = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
              DJANGO_SETTINGS_MODULE="ocop.settings.production", ALLOWED_HOSTS="ocop.example.vn",
              SECRET_KEY="k8$Jq2!vN4@xR7#pL1^zT6&wM9*bC3(eH5)yU0-aS8_dF2+gK4=hZ7")
    assert out.returncode == 0, out.stderr
    assert "System check identified no issues (0 silenced)." in out.stdout


def test_media_is_not_routed_publicly(client, db, settings, tmp_path):
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "secret.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/media/secret.pdf").status_code == 404


def make_run_commands(*args: str, **env) -> list[str]:
    """The commands `make run` would run (make -n prints them without running any)."""
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT", "MAKEFLAGS", "MAKELEVEL"}}
    base.update(env)
    out = subprocess.run(["make", "-n", "--no-print-directory", "run", *args], cwd=ROOT, env=base,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_make_run_on_another_port_puts_that_port_in_links_and_qr_codes():
    commands = make_run_commands("PORT=8101")
    assert "SITE_URL='http://127.0.0.1:8101' .venv/bin/python manage.py seed_demo" in commands
    assert "SITE_URL='http://127.0.0.1:8101' .venv/bin/python manage.py runserver 127.0.0.1:8101" in commands


def test_make_run_keeps_a_site_url_that_is_given():
    commands = make_run_commands("PORT=8101", SITE_URL="https://ocop.thainguyen.gov.vn")
    assert ("SITE_URL='https://ocop.thainguyen.gov.vn' .venv/bin/python manage.py runserver 127.0.0.1:8101"
            in commands)
