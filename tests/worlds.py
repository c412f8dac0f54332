"""Snapshots of the test database with the demo data loaded, built once per test session.

Loading the demo through the services takes seconds (the full demo scores two sessions criterion by criterion
and imports sixteen score sheets): several seconds on SQLite, more on PostgreSQL. Most test modules use it, so
it is built once per session (without and with the heavy loaders; the security tests' world too) and each
module starts from a copy:

- SQLite (in memory): the world is kept as a second in-memory database; a module copies it in with SQLite's
  online backup and copies the state it found back when it ends (a few milliseconds each way).
- PostgreSQL: the world is a database of its own, created from the test database as a template and loaded
  once; a module's connection points at it for the module's tests and back at the test database after.

Either way the module's tests run inside a transaction that is rolled back when the module ends (each test in
a savepoint of its own, pytest-django's `db`), so the world is never changed and no module sees another's
writes. The world's media files are kept in a directory of their own and copied into each test's MEDIA_ROOT.
"""
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.test.utils import override_settings


class World(NamedTuple):
    media: Path      # the world's stored files, to copy into (or point) a test's MEDIA_ROOT
    value: Any       # what the world's builder returned (e.g. the records a module's tests address)


class Worlds:
    """The session's worlds, each built once by its builder and named by a key ("demo", "demo_full", ...)."""

    def __init__(self, settings: dict, media_dir: Callable[[str], Path]):
        self._settings = settings
        self._media_dir = media_dir
        self._built: dict[str, tuple[object, World]] = {}   # key -> (sqlite3 copy or database name, world)
        self._committed: dict[str, tuple[object, Path]] = {}  # key -> (sqlite3 copy or dump file, media)

    # --- building -----------------------------------------------------------------------------------
    def _build(self, key: str, build: Callable[[Path], Any]) -> None:
        media = self._media_dir(key)
        with override_settings(**self._settings, MEDIA_ROOT=media):
            if connection.vendor == "sqlite":
                raw = _raw_sqlite()
                before = _sqlite_copy(raw)
                try:
                    value = build(media)
                    snapshot = _sqlite_copy(raw)
                finally:
                    before.backup(raw)
                    before.close()
            else:
                test_name = connection.settings_dict["NAME"]
                snapshot = f"{test_name}_{key}"
                connection.close()
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{snapshot}"')
                    cursor.execute(f'CREATE DATABASE "{snapshot}" TEMPLATE "{test_name}"')
                with _pointed_at(snapshot):
                    value = build(media)
        self._built[key] = (snapshot, World(media, value))

    # --- using --------------------------------------------------------------------------------------
    @contextmanager
    def entered(self, key: str, build: Callable[[Path], Any]) -> Iterator[World]:
        """The module's database holds world `key` (built by `build(media_root)` the first time) until the
        block ends, inside a transaction rolled back at its end."""
        if key not in self._built:
            self._build(key, build)
        snapshot, world = self._built[key]
        if connection.vendor == "sqlite":
            raw = _raw_sqlite()
            before = _sqlite_copy(raw)
            snapshot.backup(raw)
            _caches_cleared()
            try:
                with _rolled_back():
                    yield world
            finally:
                before.backup(raw)
                before.close()
                _caches_cleared()
        else:
            try:
                with _pointed_at(snapshot), _rolled_back():
                    _caches_cleared()
                    yield world
            finally:
                _caches_cleared()

    def load_committed(self, key: str, build: Callable[[Path], Any], media_root: Path) -> None:
        """For a transactional test (a browser journey, a real worker): world `key` written and committed in
        the test database, its files in `media_root`. The first such test builds it with `build(media_root)`
        and keeps a copy (SQLite: a second in-memory database; PostgreSQL: a data-only pg_dump); the next
        ones restore the copy, which takes a fraction of a second instead of seconds. The test's own flush
        empties the tables after it, as before."""
        saved = self._committed.get(key)
        if saved is None:
            build(media_root)
            media = self._media_dir(f"committed-{key}")
            if media_root.exists():
                shutil.copytree(media_root, media, dirs_exist_ok=True)
            if connection.vendor == "sqlite":
                copy = _sqlite_copy(_raw_sqlite())
            else:
                copy = media.parent / f"{media.name}.dump"
                _pg_tool("pg_dump", "--data-only", "--format=custom", "--exclude-table-data=django_migrations",
                         "--file", str(copy))
            self._committed[key] = (copy, media)
            return
        copy, media = saved
        if connection.vendor == "sqlite":
            copy.backup(_raw_sqlite())
        else:
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                    cursor.execute(sql)
            _pg_tool("pg_restore", "--data-only", "--disable-triggers", "--single-transaction", str(copy))
        _caches_cleared()
        shutil.copytree(media, media_root, dirs_exist_ok=True)

    def drop(self) -> None:
        """The PostgreSQL worlds are databases of their own: dropped when the session ends."""
        for snapshot, _world in self._built.values():
            if isinstance(snapshot, sqlite3.Connection):
                snapshot.close()
            else:
                connection.close()
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{snapshot}"')
        for copy, _media in self._committed.values():
            if isinstance(copy, sqlite3.Connection):
                copy.close()
        self._built.clear()
        self._committed.clear()


def _caches_cleared() -> None:
    """The content types cached in this process name rows of the database the test had before: a flush
    (a transactional test's) makes them anew with other keys, and a world brings back its own."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert not raw.in_transaction, "a world is copied only between transactions"
    return raw


def _sqlite_copy(raw: sqlite3.Connection) -> sqlite3.Connection:
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    raw.backup(copy)
    return copy


def _pg_tool(tool: str, *args: str) -> None:
    """pg_dump or pg_restore on the test database, with the connection's own settings."""
    db = connection.settings_dict
    where = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432),
             "--username", db["USER"] or "postgres", "--dbname", db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    subprocess.run([tool, "--no-owner", *where, *args], check=True, env=env, capture_output=True)


@contextmanager
def _pointed_at(name: str) -> Iterator[None]:
    """The default connection works in database `name` until the block ends."""
    test_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_name


@contextmanager
def _rolled_back() -> Iterator[None]:
    atomics = {alias: transaction.atomic(using=alias) for alias in connections}
    for atomic in atomics.values():
        atomic.__enter__()
    try:
        yield
    finally:
        for alias, atomic in reversed(atomics.items()):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)
