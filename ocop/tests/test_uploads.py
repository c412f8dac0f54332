"""Several uploads checked at once (ocop.uploads.uploads_validate), and that helper as the one place where a list of
uploaded files is checked file by file (issue 15: three copies of that loop stood in the products services)."""
import ast
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.uploads import (
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    stored_files_removed_on_failure,
    uploads_accepted,
    uploads_validate,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
APPS = ("ocop", "subjects", "products", "evaluation", "certificates", "promotion")
LOOPS = (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 110, 79)).save(out, format="PNG")
    return out.getvalue()


def test_uploads_validate_keeps_the_good_files_with_their_type_and_the_refusals_in_order():
    files = [SimpleUploadedFile("anh.png", png()), SimpleUploadedFile("virus.pdf", EXE),
             SimpleUploadedFile("phieu.pdf", PDF), SimpleUploadedFile("bang-tinh.xlsx", EXE)]

    good, refused = uploads_validate(files, DOCUMENT_TYPES)

    assert [(uploaded.name, kind) for uploaded, kind in good] == [("anh.png", "png"), ("phieu.pdf", "pdf")]
    assert refused == [
        "Tệp “virus.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX.",
        "Tệp “bang-tinh.xlsx” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX.",
    ]


def test_uploads_validate_applies_the_allowed_types_and_the_size_limit():
    files = [SimpleUploadedFile("anh-lon.png", png() + b"\0" * 2048), SimpleUploadedFile("phieu.pdf", PDF),
             SimpleUploadedFile("anh.png", png())]

    good, refused = uploads_validate(files, IMAGE_TYPES, max_bytes=1024)

    assert [uploaded.name for uploaded, _kind in good] == ["anh.png"]
    assert refused == ["Tệp “anh-lon.png” có dung lượng 2,1\xa0KB, vượt quá giới hạn 1,0\xa0KB.",
                       "Tệp “phieu.pdf” không thuộc loại được chấp nhận. Chấp nhận: JPEG, PNG."]


def test_uploads_validate_of_nothing_is_nothing():
    assert uploads_validate(None) == ([], [])


def test_uploads_accepted_refuses_all_the_files_when_one_is_refused_beside_the_field_named():
    files = [SimpleUploadedFile("phieu.pdf", PDF), SimpleUploadedFile("anh.png", png())]

    with pytest.raises(ValidationError) as caught:
        uploads_accepted(files, ("pdf", "docx"), field="document")

    assert caught.value.message_dict == {"document": [
        "Tệp “anh.png” không thuộc loại được chấp nhận. Chấp nhận: PDF, DOCX."]}
    assert [(uploaded.name, kind) for uploaded, kind in uploads_accepted(files[:1], ("pdf",))] == [
        ("phieu.pdf", "pdf")]


class StoredFile:
    """What a record's file field holds once saved: its name in a storage."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name


def test_stored_files_removed_on_failure_deletes_what_the_failed_block_stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)

    with pytest.raises(ValidationError), stored_files_removed_on_failure() as stored:
        stored.append(StoredFile(storage, storage.save("anh-1.png", ContentFile(png()))))
        stored.append(StoredFile(storage, None))  # its record failed before its file was written
        raise ValidationError("Ảnh thứ hai bị từ chối.")

    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_stored_files_removed_on_failure_keeps_the_files_of_a_block_that_succeeds(tmp_path):
    storage = FileSystemStorage(location=tmp_path)

    with stored_files_removed_on_failure() as stored:
        stored.append(StoredFile(storage, storage.save("anh-1.png", ContentFile(png()))))

    assert sorted(path.name for path in tmp_path.iterdir()) == ["anh-1.png"]


def test_no_app_checks_a_list_of_uploads_with_a_loop_of_its_own():
    """`validate_upload` inside a loop, outside ocop/uploads.py, is a copy of `uploads_validate`."""
    root = Path(settings.BASE_DIR)
    copies = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if path.name == "uploads.py" and path.parent.name == "ocop" or "tests" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            loops = (node for node in ast.walk(tree) if isinstance(node, LOOPS))
            for loop in loops:
                for node in ast.walk(loop):
                    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "validate_upload":
                        copies.append(f"{path.relative_to(root)}:{node.lineno}")
    assert copies == []
