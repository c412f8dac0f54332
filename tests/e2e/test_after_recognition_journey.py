"""After recognition in the browser (issue 17): HTX Thiên An's representative opens its 4★ product, reads its results
(the official mean, the star, the group totals, the council's remarks; no member's own scores) and its roadmap to 5★
with the criteria ranked, and prints it; a provincial officer inspects the product's certificate and asks for a
corrective action, the representative uploads the evidence, the officer closes it; a second inspection proposes
revocation, and the revocation carries the ground and the inspection."""
import datetime
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import Certificate, Inspection
from evaluation.models import Evaluation
from ocop.tests.utils import pdf_text

PRODUCT = "Túi thổ cẩm Thiên An"
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
LABEL_FINDING = "Nhãn sản phẩm chưa ghi định lượng và hướng dẫn bảo quản."
MARK_FINDING = "Chủ thể in biểu trưng OCOP 4 sao lên sản phẩm khăn dải bàn chưa được công nhận."


def nav_click(page, label: str) -> None:
    page.locator("#mainnav").get_by_role("link", name=label, exact=True).click()


def success(page):
    return page.locator(".alert-success.alert-dismissible")


def decimal_text(value) -> str:
    return f"{value:.2f}".replace(".", ",")


def read_results_and_roadmap(page, evaluation) -> None:
    """The representative's home page names the result; the product's page shows it; the roadmap ranks the criteria
    and prints."""
    panel = page.locator("[data-testid=panel-results]")
    expect(panel).to_contain_text(PRODUCT)
    expect(panel).to_contain_text(decimal_text(evaluation.final_score))
    nav_click(page, "Sản phẩm")
    page.click(f"main a:has-text('{PRODUCT}')")
    expect(page.locator("h1")).to_have_text(PRODUCT)
    result = page.locator(f"[data-testid=product-result][data-evaluation='{evaluation.pk}']")
    expect(result.locator("[data-testid=result-mean]")).to_have_text(decimal_text(evaluation.final_score))
    expect(result.locator("[data-testid=result-star]")).to_have_text("★★★★")
    expect(result.locator("[data-testid=result-parts] tbody tr")).to_have_count(3)  # groups A, B, C
    expect(result.locator("[data-testid=result-remarks]")).to_contain_text("phụ nữ Dao thôn Bản Cảu")
    expect(result).to_contain_text("26/2026/QĐ-TTg")

    result.get_by_role("link", name="Kết quả theo tiêu chí").click()
    expect(page.locator("h1")).to_contain_text(f"Kết quả đánh giá {PRODUCT}")
    expect(page.locator("[data-testid=criterion-means] tbody tr").first).to_be_visible()
    for member in evaluation.session.council.members.select_related("user"):  # nobody's own scores, nobody's name
        expect(page.locator("main")).not_to_contain_text(member.user.get_full_name())
    page.get_by_role("link", name="Lộ trình nâng hạng sao").first.click()

    expect(page.locator("h1")).to_have_text(f"Lộ trình nâng hạng {PRODUCT} lên 5★")
    lacking = decimal_text(90 - evaluation.final_score)
    expect(page.locator("[data-testid=roadmap-summary]")).to_contain_text(f"còn thiếu {lacking} điểm để đạt 5★")
    expect(page.locator("[data-testid=roadmap-summary]")).to_contain_text("Hội đồng cấp trên")
    ranked = page.locator("[data-testid=roadmap-ranked] tbody tr")
    expect(ranked.first).to_be_visible()
    gains = [float(text.replace(",", ".")) for text in ranked.locator("td:nth-child(5)").all_inner_texts()]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0  # the most points to gain first
    expect(page.locator("main")).to_contain_text("đủ để lên hạng")
    with page.expect_download(timeout=90000) as download_info:
        page.get_by_role("link", name="Tải PDF").click()
    text = pdf_text(Path(download_info.value.path()).read_bytes())
    assert "LỘ TRÌNH NÂNG HẠNG SAO" in text and PRODUCT in text and lacking in text


def record_inspection(page, certificate, *, verdict: str, checks: dict, findings: str, **fields) -> None:
    """From the certificate's page, the officer records an inspection of today: what each area showed, the
    findings, the verdict and what it requires."""
    page.goto(page.base_url + certificate.get_absolute_url())
    page.click("[data-testid=record-inspection]")
    form = page.locator("[data-testid=inspection-form]")
    form.locator("[name=inspected_on]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    form.locator("[name=inspectors]").fill("Đoàn kiểm tra Văn phòng Điều phối NTM tỉnh Thái Nguyên")
    for area, (ok, note) in checks.items():
        form.locator(f"select[name={area}_ok]").select_option("true" if ok else "false")
        if note:
            form.locator(f"[name={area}_notes]").fill(note)
    form.locator("[name=findings]").fill(findings)
    form.locator(f"input[name=verdict][value={verdict}]").check()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("[data-testid=record-submit]").click()
    expect(success(page)).to_contain_text("Đã ghi nhận cuộc kiểm tra ngày")


def relogin(page, login, username):
    page.context.clear_cookies()
    return login(username)


def test_producer_reads_results_and_roadmap_officer_inspects_through_to_revocation(demo_full, page, login):
    expect.set_options(timeout=30000)
    page.set_default_timeout(30000)
    page.on("dialog", lambda dialog: dialog.accept())
    evaluation = Evaluation.objects.get(product__name=PRODUCT, session__council__cycle__year=2026)
    assert evaluation.recognised_star == 4 and evaluation.session.held_on <= timezone.localdate()

    page = login("htx.thienan")
    read_results_and_roadmap(page, evaluation)

    # --- A provincial officer inspects the certificate and asks for a corrective action -----------------------
    certificate = Certificate.objects.get(product__name=PRODUCT, issued_on=evaluation.session.held_on)
    page = relogin(page, login, "tinh.thainguyen")
    conform = {area: (True, "") for area in ("quality", "traceability", "mark", "production")}
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    record_inspection(page, certificate, verdict="corrective", findings=LABEL_FINDING,
                      checks={**conform, "labelling": (False, "Thiếu định lượng")},
                      corrective_action="In lại nhãn theo Nghị định 43/2017/NĐ-CP",
                      corrective_deadline=deadline.strftime("%d/%m/%Y"))
    first = Inspection.objects.get(certificate=certificate)
    assert (first.verdict, first.corrective_status) == ("corrective", "open")

    # --- The representative sends the evidence from his home page -------------------------------------------
    page = relogin(page, login, "htx.thienan")
    panel = page.locator("[data-testid=panel-inspections]")
    expect(panel.locator("[data-testid=open-actions]")).to_be_visible()
    panel.get_by_role("link", name=PRODUCT).click()
    expect(page.locator("[data-testid=findings]")).to_have_text(LABEL_FINDING)
    evidence = page.locator("[data-testid=evidence-form]")
    evidence.locator("input[name=files]").set_input_files(
        files=[{"name": "nhan-moi.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}])
    evidence.locator("[name=note]").fill("Đã in lại nhãn có định lượng và hướng dẫn bảo quản.")
    evidence.locator("[data-testid=send-evidence]").click()
    expect(page.locator("[data-testid=evidence-files]")).to_contain_text("nhan-moi.pdf")
    expect(page.locator("[data-testid=corrective]")).to_contain_text("Đã gửi minh chứng")

    # --- The officer closes it ---------------------------------------------------------------------------------
    page = relogin(page, login, "tinh.thainguyen")
    page.goto(page.base_url + first.get_absolute_url())
    page.locator("[data-testid=close-form]").get_by_role("button", name="Xác nhận hoàn thành khắc phục").click()
    expect(success(page)).to_contain_text("Đã xác nhận hoàn thành khắc phục.")
    expect(page.locator("[data-testid=closed]")).to_be_visible()

    # --- A second inspection proposes revocation; the revocation carries its ground and the inspection ----------
    record_inspection(page, certificate, verdict="revocation", findings=MARK_FINDING,
                      checks={**conform, "labelling": (True, ""), "mark": (False, "Dùng biểu trưng sai sản phẩm")},
                      proposed_ground="mark_misuse")
    second = Inspection.objects.filter(certificate=certificate).latest("pk")
    page.goto(page.base_url + second.get_absolute_url())
    page.click("[data-testid=open-revocation]")
    revoke = page.locator("form", has=page.locator("input[name=decision_number]"))
    expect(revoke.locator("select[name=ground]")).to_have_value("mark_misuse")
    expect(page.locator("[data-testid=revoke-basis]")).to_be_visible()
    revoke.locator("input[name=decision_number]").fill("3301/QĐ-UBND")
    revoke.get_by_role("button", name="Thu hồi").click()
    expect(page.locator("[data-testid=revocation-basis]")).to_contain_text("Căn cứ cuộc kiểm tra ngày")
    certificate.refresh_from_db()
    assert (certificate.revoked_on, certificate.revoke_ground, certificate.revoke_inspection_id,
            certificate.revoke_decision_number) == (timezone.localdate(), "mark_misuse", second.pk, "3301/QĐ-UBND")
    assert re.search(r"biểu trưng|OCOP", certificate.revoke_reason)

