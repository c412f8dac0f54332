"""Certificate pages as each role sees them: scope, status and days left, downloads, revocation, renewal,
issuing a decision's certificates, the expiry calendar and the public verification page."""
import datetime
import io
import re

from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook

from certificates.models import Certificate, RenderJob, Renewal
from certificates.validity import add_months
from evaluation.models import Decision
from ocop.models import AdministrativeUnit, Cycle
from ocop.tests.utils import count_queries, pdf_text


def rows(response) -> dict[str, str]:
    """Certificate number → the row's text, as the list shows it."""
    html = response.content.decode()
    found = re.findall(r'data-testid="certificate-row" data-number="([^"]+)">(.*?)</tr>', html, re.S)
    return {number: " ".join(re.sub(r"<[^>]+>", " ", row).split()) for number, row in found}


def test_cooperative_sees_its_certificates_with_status_and_days_left(certs, client_for):
    listed = rows(client_for("htx.thienan").get("/certificates/"))
    # The túi thổ cẩm's 3★ of 2023 (ended) and its 4★ of Thái Nguyên's 2026 second round.
    assert {certs[n].number for n in ("Thảo dược ngâm chân Thiên An", "Phục dưỡng hoa", "Mộc vượng xuân",
                                      "An mộc nhi", "Túi thổ cẩm Thiên An")} | {"003/2023/GCN-063"} == set(listed)
    assert "Hết hạn" in listed["003/2023/GCN-063"]
    assert "Còn hiệu lực" in listed[certs["Túi thổ cẩm Thiên An"].number]
    expiring = certs["Thảo dược ngâm chân Thiên An"]
    days = (expiring.valid_until - timezone.localdate()).days
    assert 0 < days <= 30
    assert f"Sắp hết hạn còn {days} ngày" in listed[expiring.number]
    assert "Đã thu hồi" in listed[certs["Mộc vượng xuân"].number]
    assert "Hết hạn" in listed[certs["An mộc nhi"].number]
    assert "Còn hiệu lực" in listed[certs["Phục dưỡng hoa"].number]


def test_officers_see_their_area_only(certs, client_for):
    bachthong = rows(client_for("huyen.bachthong").get("/certificates/"))
    assert certs["Gạo nếp Khẩu Nua Lương"].number in bachthong
    assert certs["Miến dong Tài Hoan"].number not in bachthong  # Na Rì
    # Certificates follow their subject's commune: HTX Tài Hoan's, its 2026 one from Thái Nguyên too.
    nari = rows(client_for("huyen.nari").get("/certificates/"))
    assert set(nari) == {certs["Miến dong Tài Hoan"].number, certs["Bún dong riềng Tài Hoan"].number}
    assert len(rows(client_for("tinh.backan").get("/certificates/?status="))) == 14


def test_list_search_without_diacritics_and_filters(certs, client_for):
    client = client_for("tinh.backan")
    assert set(rows(client.get("/certificates/?q=mien dong tai hoan"))) == {certs["Miến dong Tài Hoan"].number}
    assert set(rows(client.get("/certificates/?status=revoked"))) == {certs["Mộc vượng xuân"].number}
    assert set(rows(client.get("/certificates/?star=5"))) == {certs["Miến dong Tài Hoan"].number}
    page = client.get("/certificates/?q=khong co san pham nay").content.decode()
    assert "Không có giấy chứng nhận nào phù hợp" in page
    assert '<a class="btn btn-link" href="?" data-testid="clear-filters">Bỏ lọc</a>' in page
    assert 'data-testid="clear-filters"' not in client.get("/certificates/").content.decode()


def test_list_query_count_does_not_grow_with_rows(certs, client_for):
    client = client_for("tinh.backan")
    one = count_queries(lambda: client.get("/certificates/?star=5"))
    many = count_queries(lambda: client.get("/certificates/"))
    assert one == many


def test_council_member_and_anonymous_cannot_list(certs, client_for, client):
    assert client.get("/certificates/").status_code == 302
    assert client_for("hoidong.1").get("/certificates/").status_code == 403


def test_download_is_the_certificate_for_those_entitled(certs, client_for):
    certificate = certs["Thảo dược ngâm chân Thiên An"]
    response = client_for("htx.thienan").get(f"/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Thảo dược ngâm chân Thiên An" in pdf_text(response.content)
    # Another subject's certificate by its URL, another district's officer: not found.
    assert client_for("htx.thienan").get(f"/certificates/{certs['Miến dong Tài Hoan'].pk}/pdf/").status_code == 404
    assert client_for("huyen.nari").get(f"/certificates/{certificate.pk}/pdf/").status_code == 404
    assert client_for("hoidong.1").get(f"/certificates/{certificate.pk}/pdf/").status_code == 403


def test_revocation_by_the_issuing_level_with_reason(certs, client_for):
    certificate = certs["Phục dưỡng hoa"]  # issued by the province
    url = f"/certificates/{certificate.pk}/revoke/"
    # The district officer sees the certificate but is not its issuing level.
    assert client_for("huyen.bachthong").post(url, {"reason": "x", "decision_number": "1"}).status_code == 403
    client = client_for("tinh.backan")
    page = client.post(url, {"reason": "  ", "decision_number": ""}, follow=True).content.decode()
    assert "Hãy nêu lý do thu hồi." in page and "Hãy nhập số quyết định thu hồi." in page
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    client.post(url, {"ground": "quality", "reason": "Mẫu kiểm tra không đạt chỉ tiêu công bố",
                      "decision_number": "2001/QĐ-UBND"})
    certificate.refresh_from_db()
    assert certificate.revoked_on == timezone.localdate() and certificate.revoke_decision_number == "2001/QĐ-UBND"
    # Published as officials publish it: date, deciding decision, ground and note.
    verify = client.get(f"/verify/{certificate.number}/").content.decode()
    assert "Đã thu hồi" in verify and "2001/QĐ-UBND" in verify
    assert f"ngày {timezone.localdate():%d/%m/%Y}" in verify
    assert "Sản phẩm không duy trì chất lượng, quy trình như khi được công nhận" in verify
    assert "Mẫu kiểm tra không đạt chỉ tiêu công bố" in verify


def test_renewal_from_an_expiring_certificate_opens_a_prefilled_dossier(certs, client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from products.services.dossiers import dossier_create, dossier_documents_add

    certificate = certs["Thảo dược ngâm chân Thiên An"]
    rep = client_for("htx.thienan")
    cycle_2024 = Cycle.objects.get(province__code="06", year=2024)
    cycle_2023 = Cycle.objects.get(province__code="06", year=2023)
    last = dossier_create(product=certificate.product, cycle=cycle_2023, by=None)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    dossier_documents_add(dossier=last, kind="test_results", by=None, issued_on=datetime.date(2023, 5, 4),
                          valid_until=datetime.date(2024, 5, 4),
                          files=[SimpleUploadedFile("ket-qua-kiem-nghiem.pdf", pdf, content_type="application/pdf")])
    response = rep.post(f"/certificates/{certificate.pk}/renew/", {"kind": "renewal", "cycle": cycle_2024.pk})
    renewal = Renewal.objects.get(certificate=certificate)
    assert response.status_code == 302 and response["Location"] == renewal.dossier.get_absolute_url()
    copied = renewal.dossier.documents.get()
    assert (copied.kind, copied.original_name) == ("test_results", "ket-qua-kiem-nghiem.pdf")
    assert copied.file.name != last.documents.get().file.name and copied.file.read() == pdf
    # A second renewal while the first is under way, or a renewal of a certificate far from its end: refused.
    page = rep.post(f"/certificates/{certificate.pk}/renew/", {"kind": "renewal", "cycle": cycle_2024.pk},
                    follow=True).content.decode()
    assert "đang được thực hiện" in page
    valid = certs["Phục dưỡng hoa"]
    page = rep.post(f"/certificates/{valid.pk}/renew/", {"kind": "renewal", "cycle": cycle_2024.pk},
                    follow=True).content.decode()
    assert "Chỉ gia hạn khi giấy chứng nhận sắp hết hạn" in page
    assert not Renewal.objects.filter(certificate=valid).exists()


def test_upgrade_starts_from_a_valid_certificate_and_the_new_one_supersedes_it(certs, client_for):
    from certificates.services import certificate_register

    valid = certs["Phục dưỡng hoa"]
    cycle = Cycle.objects.get(province__code="06", year=2024)
    client_for("htx.thienan").post(f"/certificates/{valid.pk}/renew/", {"kind": "upgrade", "cycle": cycle.pk})
    assert Renewal.objects.get(certificate=valid).kind == "upgrade"
    # Bắc Kạn, which issued the 2025 certificate, was merged into Thái Nguyên: the 2026 upgrade is Thái Nguyên's.
    new = certificate_register(product=valid.product, star=4, number="101/2026/GCN-19", decision_number="9/QĐ-UBND",
                               decision_date=datetime.date(2026, 11, 20), signer="Chủ tịch UBND tỉnh Thái Nguyên",
                               level="province", issued_on=datetime.date(2026, 11, 20),
                               issuing_unit=AdministrativeUnit.objects.get(code="19"), by=None, render=False)
    valid.refresh_from_db()
    assert valid.superseded_by == new and new.valid_until == datetime.date(2029, 11, 20)


def test_issuing_a_decision_renders_every_pdf_as_a_job_with_progress(certs, client_for,
                                                                    django_capture_on_commit_callbacks):
    decision = Decision.objects.get(number="1568/QĐ-UBND")
    Certificate.objects.filter(decision=decision).delete()
    client = client_for("huyen.bachthong")
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Cấp 4 giấy chứng nhận" in page
    with django_capture_on_commit_callbacks(execute=True):  # eager tasks run when the transaction commits
        response = client.post(f"/certificates/decisions/{decision.pk}/issue/", follow=True)
    assert "Đã cấp 4 giấy chứng nhận" in response.content.decode()
    issued = list(decision.certificates.order_by("number"))
    assert issued[0].number == "005/2023/GCN-063"  # the authority's sequence never gives a number twice
    job = RenderJob.objects.get(decision=decision)
    assert (job.total, job.status) == (4, RenderJob.Status.DONE)
    assert all(c.pdf for c in decision.certificates.all())
    fragment = client.get(f"/certificates/jobs/{job.pk}/").content.decode()
    assert "Đã kết xuất PDF: 4 / 4." in fragment and "hx-get" not in fragment  # finished: polling stops
    # Others cannot issue.
    assert client_for("huyen.nari").post(f"/certificates/decisions/{decision.pk}/issue/").status_code == 404
    assert client_for("htx.thienan").post(f"/certificates/decisions/{decision.pk}/issue/").status_code == 404


def test_render_job_finishes_and_counts_each_chunk_once(demo_full, django_capture_on_commit_callbacks):
    from certificates.tasks import render_chunk, render_job_progress, render_job_start

    ids = list(Certificate.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):  # eager: every chunk runs on commit
        job = render_job_start(certificate_ids=ids, by=None)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE
    assert render_job_progress(job)["done"] == len(ids) == job.total
    for chunk in job.chunks.all():  # a chunk delivered again after a worker died: counted once
        render_chunk(chunk.pk)
    assert render_job_progress(job)["done"] == len(ids)
    assert all(Certificate.objects.get(pk=pk).pdf for pk in ids)


def test_expiry_calendar_counts_by_month_in_the_database(certs, client_for):
    client = client_for("tinh.backan")
    page = client.get("/certificates/expiry/").content.decode()
    expiring = certs["Thảo dược ngâm chân Thiên An"]
    month = expiring.valid_until.strftime("%Y-%m")
    assert f'href="/certificates/?month={month}"' in page
    listed = rows(client.get(f"/certificates/?month={month}"))
    assert expiring.number in listed
    assert "Năm: 2023" not in page
    workbook = load_workbook(io.BytesIO(client.get("/certificates/expiry/export/").content))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Tháng", "Số giấy chứng nhận", "Sản phẩm"]
    assert [v[1] for v in values[1:]][0] == expiring.number
    assert client_for("htx.thienan").get("/certificates/expiry/").status_code == 403


def test_export_of_the_filtered_list(certs, client_for):
    content = client_for("tinh.backan").get("/certificates/export/?star=5").content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert (values[1][0], values[1][1], values[1][3], values[1][6]) == (
        "015/2024/GCN-TW", "Miến dong Tài Hoan", "Hợp tác xã Tài Hoan", 5)


# ---------------------------------------------------------------------------------------------
# Public verification
# ---------------------------------------------------------------------------------------------


def test_public_verification_shows_the_certificate_and_nothing_private(certs, client):
    certificate = certs["Miến dong Tài Hoan"]
    response = client.get(f"/verify/{certificate.number}/")
    page = response.content.decode()
    assert response.status_code == 200
    for expected in ("Miến dong Tài Hoan", "Hợp tác xã Tài Hoan", "Còn hiệu lực", "18/06/2024", "18/06/2027",
                     "Bộ Nông nghiệp và Phát triển nông thôn"):
        assert expected in page, expected
    subject = certificate.subject
    assert subject.tax_code not in page and subject.legal_representative not in page
    assert "/pdf/" not in page


def test_made_up_number_is_not_found_with_a_clear_message(certs, client):
    response = client.get("/verify/999/2099/GCN-06/")
    assert response.status_code == 404
    assert "Không có giấy chứng nhận nào mang số" in response.content.decode()
    assert client.get("/verify/?number=015/2024/GCN-TW")["Location"] == "/verify/015/2024/GCN-TW/"


def test_verification_is_throttled_against_enumeration(certs, client, settings):
    settings.OCOP_VERIFY_RATE = 3
    cache.clear()
    statuses = [client.get(f"/verify/{n:03d}/2023/GCN-063/").status_code for n in range(1, 6)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    assert "Quá nhiều yêu cầu" in client.get("/verify/001/2023/GCN-063/").content.decode()
    cache.clear()


def test_status_window_follows_the_expiry_setting(certs, settings):
    today = timezone.localdate()
    certificate = certs["Phục dưỡng hoa"]
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=add_months(today, -30),
                                                         valid_until=add_months(today, 6))
    settings.OCOP_CERTIFICATE_NOTICE_DAYS = [365, 90]
    assert Certificate.objects.with_status(on=timezone.localdate()).get(pk=certificate.pk).status == "expiring"
    settings.OCOP_CERTIFICATE_NOTICE_DAYS = [90, 30]
    assert Certificate.objects.with_status(on=timezone.localdate()).get(pk=certificate.pk).status == "valid"
