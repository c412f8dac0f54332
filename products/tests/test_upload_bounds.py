"""Office attachments are accepted by opening them within bounds, not by their member names (issue 14): the
probe stored garbage XML and a 420 MB-expanding zip bomb as an idea attachment and a dossier document. Each
file a test writes by hand is refused on the page in under a second, with the reason, and nothing is stored."""
import time

from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.tests import office_files as crafted
from products.models import ProductIdea

from .test_dossiers import dossier, thienan  # noqa: F401 (fixtures)
from .test_ideas_services import png_bytes
from .test_ideas_views import cycle, form_data, thien_an  # noqa: F401 (fixtures)


def post_idea(client_for, cycle, thien_an, upload):
    data = form_data(cycle, thien_an, attachments=[SimpleUploadedFile("anh.png", png_bytes()), upload])
    started = time.monotonic()
    response = client_for("huyen.bachthong").post("/products/ideas/new/", data)
    return response, time.monotonic() - started


def post_document(client_for, dossier, upload):
    return crafted.post_timed(client_for("huyen.bachthong"), f"/products/dossiers/{dossier.pk}/documents/", {
        "kind": "product_story", "title": "Câu chuyện sản phẩm", "files": [upload]})


def test_idea_attachment_xlsx_with_garbage_xml_is_refused(client_for, cycle, thien_an):
    upload = SimpleUploadedFile("ket-qua.xlsx", crafted.xlsx(crafted.GARBAGE_XML))
    response, elapsed = post_idea(client_for, cycle, thien_an, upload)
    assert elapsed < 1
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "Tệp “ket-qua.xlsx” bị từ chối. Tệp bị hỏng: phần xl/worksheets/sheet1.xml không phải là XML hợp lệ "
        "(dòng 1)."]
    idea = ProductIdea.objects.get(product_name="Miến dong Vi Hương")
    assert list(idea.attachments.values_list("original_name", flat=True)) == ["anh.png"]


def test_idea_attachment_xlsx_zip_bomb_is_refused(client_for, cycle, thien_an):
    upload = SimpleUploadedFile("so-lieu.xlsx", crafted.xlsx_bomb(["A"], expanded_bytes=101 * crafted.MIB))
    response, elapsed = post_idea(client_for, cycle, thien_an, upload)
    assert elapsed < 1
    [message] = response.context["form"].errors["attachments"]
    assert message.startswith("Tệp “so-lieu.xlsx” bị từ chối. Khi giải nén, tệp chiếm 101,")
    assert message.endswith("; chỉ chấp nhận tối đa 100,0\xa0MB.")
    idea = ProductIdea.objects.get(product_name="Miến dong Vi Hương")
    assert list(idea.attachments.values_list("original_name", flat=True)) == ["anh.png"]


def test_dossier_docx_with_garbage_xml_is_refused(client_for, dossier):
    document = crafted.docx(b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p>\x00</w:body>')
    response, page, elapsed = post_document(client_for, dossier, SimpleUploadedFile("cau-chuyen.docx", document))
    assert elapsed < 1
    assert response.status_code == 200
    assert ("Tệp “cau-chuyen.docx” bị từ chối. Tệp bị hỏng: phần word/document.xml không phải là XML hợp lệ "
            "(dòng 1)." in page)
    assert dossier.documents.count() == 0


def test_dossier_docx_zip_bomb_is_refused(client_for, dossier):
    upload = SimpleUploadedFile("cau-chuyen.docx", crafted.docx_bomb(expanded_bytes=101 * crafted.MIB))
    response, page, elapsed = post_document(client_for, dossier, upload)
    assert elapsed < 1
    assert "Tệp “cau-chuyen.docx” bị từ chối. Khi giải nén, tệp chiếm 101," in page
    assert "; chỉ chấp nhận tối đa 100,0\xa0MB." in page
    assert dossier.documents.count() == 0


def test_dossier_docx_without_its_document_is_refused(client_for, dossier):
    """A ZIP holding [Content_Types].xml and some word/ entry passed as a Word file."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/readme.txt", "không phải văn bản")
    response, page, elapsed = post_document(client_for, dossier, SimpleUploadedFile("ho-so.docx", out.getvalue()))
    assert elapsed < 1
    assert "Tệp “ho-so.docx” bị từ chối. Tệp không phải là văn bản Word (.docx)." in page
    assert dossier.documents.count() == 0


def test_real_office_files_are_still_accepted(client_for, dossier):
    for name, content in (("cau-chuyen.docx", crafted.docx()),
                          ("so-lieu.xlsx", crafted.xlsx(crafted.sheet_xml([["Năm", "Sản lượng"], [2024, 12]])))):
        response, page, elapsed = post_document(client_for, dossier, SimpleUploadedFile(name, content))
        assert response.status_code == 302
    assert sorted(dossier.documents.values_list("original_name", "file_type")) == [
        ("cau-chuyen.docx", "docx"), ("so-lieu.xlsx", "xlsx")]



def test_idea_attachment_name_loses_the_characters_that_would_hide_its_type(client_for, cycle, thien_an):
    """U+202E reverses what follows it ("anh\u202egnp.exe" reads "anhexe.png"): Django's multipart parser drops
    every non-printable character from an uploaded file's name, so the name stored and shown is the plain one."""
    upload = SimpleUploadedFile("anh\u202egnp.exe", png_bytes())
    response, _elapsed = post_idea(client_for, cycle, thien_an, upload)
    assert response.status_code == 302
    idea = ProductIdea.objects.get(product_name="Miến dong Vi Hương")
    assert sorted(idea.attachments.values_list("original_name", flat=True)) == ["anh.png", "anhgnp.exe"]
