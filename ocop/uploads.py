"""Upload checks every app uses: the file's content decides its type, not its name, and an Office file is
accepted only once opened within bounds (ocop/workbooks.py), not for the names of its ZIP members."""
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .workbooks import office_file_check

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = ("pdf", "jpeg", "png", "docx", "xlsx")
IMAGE_TYPES = ("jpeg", "png")
OFFICE_TYPES = ("docx", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}


def sniff_type(uploaded) -> str | None:
    """The type an uploaded file claims by its first bytes (and, for Office files, its zip members); an Office
    file's claim is then checked by opening it (`validate_upload`)."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def validate_upload(uploaded, allowed=DOCUMENT_TYPES, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Return the file's real type, or raise a ValidationError a user can act on."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)},
        )
    kind = sniff_type(uploaded)
    if kind not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted file. Accepted: %(types)s."),
            code="bad_type",
            params={"name": uploaded.name, "types": ", ".join(t.upper() for t in allowed)},
        )
    if kind in OFFICE_TYPES:
        try:
            office_file_check(uploaded, kind)
        except ValidationError as exc:
            raise ValidationError(_("“%(name)s” was refused. %(reason)s"), code="refused", params={
                "name": uploaded.name, "reason": " ".join(exc.messages)}) from exc
        finally:
            uploaded.seek(0)
    return kind


def uploads_validate(files: Iterable, allowed=DOCUMENT_TYPES,
                     max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[list[tuple[object, str]], list[str]]:
    """Check several uploaded files at once: the (file, real type) pairs that passed, and the messages of those
    refused, each in the order given. The caller decides whether a refusal stops the others."""
    good, refused = [], []
    for uploaded in files or ():
        try:
            good.append((uploaded, validate_upload(uploaded, allowed, max_bytes)))
        except ValidationError as exc:
            refused.extend(exc.messages)
    return good, refused


def uploads_accepted(files: Iterable, allowed=DOCUMENT_TYPES, *, field: str = "files") -> list[tuple[object, str]]:
    """Every file with its real type when all pass; else a ValidationError on `field` naming each refused file
    (for a service that stores all the files or none)."""
    good, refused = uploads_validate(files, allowed)
    if refused:
        raise ValidationError({field: refused})
    return good


@contextmanager
def stored_files_removed_on_failure() -> Iterator[list]:
    """Collect the files of the records a block stores (`stored.append(record.file)` before saving it): if the
    block fails, its rows roll back and these files are deleted, so that none stays behind in the storage."""
    stored = []
    try:
        yield stored
    except Exception:
        for file in stored:
            if file.name:
                file.storage.delete(file.name)
        raise
