"""The backup the README documents (pg_dump of the database, an archive of the media folder) restores into an
empty database with every certificate, and the PDFs come back with the media archive.

PostgreSQL only (CI's second leg): the commands are PostgreSQL's own."""
import subprocess
import tarfile
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from certificates.models import Certificate
from certificates.rendering import certificate_pdf


def pg_args(db):
    return ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres"]


@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_media_archive_restore_every_certificate(demo_full, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (CI's second leg)")
    db = settings.DATABASES["default"]
    for certificate in Certificate.objects.all():
        certificate_pdf(certificate)  # rendered and stored in MEDIA_ROOT
    expected = sorted(Certificate.objects.values_list("number", "pdf"))
    dump, media = tmp_path / "ocop.dump", tmp_path / "media.tgz"
    subprocess.run(["pg_dump", "-Fc", *pg_args(db), "-f", str(dump), db["NAME"]], check=True)
    with tarfile.open(media, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    restored_db = f"ocop_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or "postgres",
                             dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored_db}"')
        subprocess.run(["pg_restore", *pg_args(db), "-d", restored_db, "--no-owner", str(dump)], check=True)
        restored = psycopg2.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                                    user=db["USER"] or "postgres", dbname=restored_db)
        try:
            with restored.cursor() as cursor:
                cursor.execute("SELECT number, pdf FROM certificates_certificate ORDER BY number, pdf")
                assert sorted(cursor.fetchall()) == expected
        finally:
            restored.close()
        target = tmp_path / "restored"
        with tarfile.open(media) as archive:
            archive.extractall(target, filter="data")
        for _number, pdf in expected:
            assert (target / "media" / pdf).read_bytes()[:5] == b"%PDF-"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
        admin.close()
