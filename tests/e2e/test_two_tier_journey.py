"""The two-tier country of 2026 in the browser (issue 16, item 7): the officer of Bạch Thông commune receives HTX
Thiên An's dossier, returns it once for a missing document, receives it again, pre-assesses the local criteria and
sends it to the province; Thái Nguyên's council scores it in the second round and recognises 4★ with a nomination
to the central level; the ministry's council recognises 5★ and the ministry issues the certificate, whose PDF
prints the commune and province of today (Bạch Thông, Thái Nguyên), not those of before 01/07/2025 (Vi Hương,
Bắc Kạn); Thái Nguyên's dashboard counts the product."""
import re

from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import Criterion, Scorecard
from evaluation.selectors.preassessment import commune_criteria
from evaluation.services.preassessment import dossier_sheet
from evaluation.services.scoring import scorecard_submit, scores_set
from ocop.tests.utils import pdf_text
from products.models import Dossier

PRODUCT = "Trà giảo cổ lam Thiên An"
PROVINCIAL_COUNCIL = "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên năm 2026"
CENTRAL_COUNCIL = "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp trung ương năm 2026"
MINISTRY = "Bộ Nông nghiệp và Môi trường"
RETURN_REASON = ("Hồ sơ còn thiếu tài liệu truy xuất nguồn gốc sản phẩm (mã QR, nhật ký sản xuất); đề nghị hợp tác xã "
                 "bổ sung.")
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def nav_click(page, label: str) -> None:
    page.locator("#mainnav").get_by_role("link", name=label, exact=True).click()


def open_dossier_from_list(page) -> None:
    """Products in the menu, the Dossiers tab, the product's dossier."""
    nav_click(page, "Sản phẩm")
    page.locator("[data-testid=catalog-tabs]").get_by_role("link", name="Hồ sơ").click()
    page.click(f"[data-testid=dossier-table] a:has-text('{PRODUCT}')")


def success(page):
    """The page's message of success (not the page's own green notes)."""
    return page.locator(".alert-success.alert-dismissible")


def best_options(criteria) -> dict:
    """Each criterion's highest answer (never a knock-out one), by criterion."""
    return {criterion: max((o for o in criterion.options.all() if not o.knocks_out), key=lambda o: o.points)
            for criterion in criteria}


def dashboard_figures(page) -> tuple[int, int, int]:
    """The dashboard's count of OCOP products (certificates in force, former Bắc Kạn's included), of 5★ products
    and of the products of Bạch Thông commune."""
    expect(page.locator("[data-testid=including]")).to_contain_text("Bắc Kạn")
    products = int(page.locator("[data-testid=figure-products] .display-6").inner_text())
    five = int(page.locator("[data-testid=by-star] tr", has_text="5★").locator("a").inner_text())
    commune = page.locator("[data-testid=commune-row]", has_text="Bạch Thông")
    return products, five, int(commune.locator("td").last.inner_text()) if commune.count() else 0


def plan_session_today(page, council_name: str) -> None:
    """From the list of councils, open the council and plan a session held today."""
    nav_click(page, "Hội đồng")
    page.click(f"main a:has-text('{council_name}')")
    expect(page.locator("h1")).to_contain_text(council_name)
    page.click("[data-testid=session-form] summary")
    page.fill("input[name=held_on]", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("input[name=place]", "Phòng họp số 2")
    page.click("[data-testid=session-form] button[type=submit]")
    expect(success(page)).to_contain_text(re.compile(r"Đã lên lịch phiên \d+"))


def put_on_agenda(page, kind: str = "first") -> None:
    """On the session's page, tick the dossier of the product and put it on the agenda for the kind of evaluation."""
    form = page.locator("[data-testid=assign-dossiers]")
    form.get_by_label(re.compile(PRODUCT)).check()
    form.locator("select[name=kind]").select_option(kind)
    form.locator("button[type=submit]").click()
    expect(success(page)).to_contain_text(f"Đã đưa vào chương trình phiên: {PRODUCT}.")
    expect(page.locator(f"[data-testid=agenda-row][data-product='{PRODUCT}']")).to_have_count(1)


def score_by_service(session_pk: int, usernames) -> None:
    """The members' scorecards answered and submitted through the service the paper path and the demo use: the
    browser's clicks are covered once (one member's at the province); clicking every card would only make the
    journey slow."""
    for card in Scorecard.objects.filter(evaluation__session_id=session_pk, evaluation__product__name=PRODUCT,
                                         member__user__username__in=usernames).select_related("member__user"):
        criteria = Criterion.objects.filter(sheet_id=card.evaluation.sheet_id).prefetch_related("options")
        answers = {criterion.pk: option.pk for criterion, option in best_options(criteria).items()}
        scores_set(scorecard=card, answers=answers, by=card.member.user)
        scorecard_submit(scorecard=card, by=card.member.user)


def finalise(page, session_pk: int, star: str, nomination: str) -> None:
    """The chair opens the session's results, reads the product's star (its score's band is 5★: what the level
    may recognise caps it) and nomination, and finalises."""
    page.goto(f"{page.base_url}/evaluation/sessions/{session_pk}/results/")
    row = page.locator(f"[data-testid=result-row][data-product='{PRODUCT}']")
    expect(row.locator("[data-testid=mean]")).to_have_text("100,00")
    expect(row.locator("[data-testid=band]")).to_have_text("5★")
    expect(row.locator("[data-testid=star]")).to_contain_text(star)
    expect(row.locator("[data-testid=nomination]")).to_have_text(nomination)
    page.click("[data-testid=finalise]")
    expect(success(page)).to_contain_text("Đã kết thúc phiên họp")
    expect(page.locator("[data-testid=finalise-panel]")).to_have_count(0)


def issue_decision_and_certificate(page, session_pk: int, number: str, signer: str, star: str, series: str) -> None:
    """The office records the session's recognition decision, then issues its certificates from the decision (their
    numbers in the issuer's series: GCN-19 for Thái Nguyên, GCN-TW for the ministry)."""
    page.goto(f"{page.base_url}/evaluation/sessions/{session_pk}/results/")
    page.click("[data-testid=issue-decision]")
    expect(page.locator("[data-testid=to-recognise]")).to_contain_text(PRODUCT)
    page.fill("input[name=number]", number)
    page.fill("input[name=signed_on]", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("input[name=signer]", signer)
    page.click("[data-testid=decision-form] button[type=submit]")
    expect(success(page)).to_contain_text(f"Đã ghi nhận quyết định công nhận số {number}.")
    row = page.locator(f"[data-testid=recognised-row][data-product='{PRODUCT}']")
    expect(row.locator("[data-testid=star]")).to_contain_text(star)
    panel = page.locator("[data-testid=decision-certificates]")
    panel.locator("[data-testid=issue]").click()
    certificate = panel.locator("li", has_text=PRODUCT)
    expect(certificate).to_contain_text(star)
    expect(certificate.locator("a")).to_have_text(re.compile(rf"^\d+/{timezone.localdate().year}/{series}$"))


def test_commune_receives_province_nominates_ministry_recognises_five_stars(demo_full, page, login):
    page.set_default_timeout(60000)  # a busy machine (parallel test runs) must not fail the journey
    expect.set_options(timeout=30000)
    page.on("dialog", lambda dialog: dialog.accept())  # the pages confirm before sending, finalising, issuing
    dossier = Dossier.objects.get(product__name=PRODUCT, cycle__year=2026)

    # --- Before: Thái Nguyên's dashboard of 2026 -------------------------------------------------------------------
    page = login("tinh.thainguyen")
    page.click("#mainnav >> text=Tổng hợp")
    expect(page.locator("h1")).to_contain_text("Thái Nguyên")
    products_before, five_before, commune_before = dashboard_figures(page)

    # --- 1. The commune officer receives the dossier and returns it for a missing document -------------------------
    page = login("xa.bachthong")
    open_dossier_from_list(page)
    expect(page.locator("[data-testid=dossier-status]")).to_have_text("Đã nộp để đánh giá")
    intake = page.locator("[data-testid=dossier-intake]")
    intake.locator("textarea[name='return-reason']").fill(RETURN_REASON)
    intake.locator("button:has-text('Trả lại để hoàn thiện')").click()
    expect(success(page)).to_contain_text("Hồ sơ đã được trả lại cho chủ thể để hoàn thiện.")
    expect(page.locator("[data-testid=dossier-status]")).to_have_text("Trả lại để hoàn thiện")
    expect(page.locator("[data-testid=dossier-returned]")).to_contain_text(RETURN_REASON)

    # The cooperative reads the reason, adds the traceability evidence and submits the dossier again.
    page = login("htx.thienan")
    open_dossier_from_list(page)
    expect(page.locator("[data-testid=dossier-returned]")).to_contain_text(RETURN_REASON)
    upload = page.locator("[data-testid=upload-form]")
    upload.locator("select[name=kind]").select_option("traceability")
    upload.locator("input[name=files]").set_input_files(
        files=[{"name": "truy-xuat-nguon-goc.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}])
    upload.locator("input[name=title]").fill("Nhật ký sản xuất và mã QR truy xuất nguồn gốc")
    upload.locator("button[type=submit]").click()
    expect(success(page)).to_contain_text("Đã thêm 1 tệp.")
    expect(page.locator("[data-testid=document-groups] [data-kind=traceability]")).to_contain_text(
        "truy-xuat-nguon-goc.pdf")
    page.click("button:has-text('Nộp để đánh giá')")
    expect(success(page)).to_contain_text("Đã nộp hồ sơ để đánh giá.")
    expect(page.locator("[data-testid=dossier-status]")).to_have_text("Đã nộp để đánh giá")

    # The officer receives it again: complete, he marks it checked.
    page = login("xa.bachthong")
    page.goto(page.base_url + dossier.get_absolute_url())
    expect(page.locator("[data-testid=dossier-status]")).to_have_text("Đã nộp để đánh giá")
    page.click("[data-testid=dossier-intake] button:has-text('Đủ: đánh dấu đã kiểm tra')")
    expect(success(page)).to_contain_text("Hồ sơ đã được kiểm tra: đầy đủ, có thể gửi lên tỉnh.")
    expect(page.locator("[data-testid=dossier-status]")).to_have_text("Đã được xã kiểm tra")

    # He pre-assesses the criteria the sheet leaves to the commune (local raw materials, local labour...).
    page.click("[data-testid=preassessment] a:has-text('Đánh giá sơ bộ')")
    expect(page).to_have_url(re.compile(rf"/evaluation/dossiers/{dossier.pk}/pre-assessment/$"))
    proposed = best_options(commune_criteria(dossier_sheet(dossier)))
    assert proposed, "the dossier's sheet has criteria the commune pre-assesses"
    form = page.locator("[data-testid=preassessment-form]")
    for criterion, option in proposed.items():
        form.locator(f"select[name=option_{criterion.pk}]").select_option(str(option.pk))
        form.locator(f"textarea[name=note_{criterion.pk}]").fill("Đã kiểm tra thực tế tại hợp tác xã.")
    form.locator("button[type=submit]").click()
    expect(success(page)).to_contain_text("Đã lưu đánh giá sơ bộ.")
    panel = page.locator("[data-testid=preassessment]")
    for criterion, option in proposed.items():
        expect(panel.locator(f"[data-criterion='{criterion.code}']")).to_contain_text(option.label)

    # He sends it to the province in a list (only this dossier: his other checked one waits).
    page.click(".breadcrumb >> text=Hồ sơ")
    page.click("text=Danh sách hồ sơ đã kiểm tra")
    page.click("main >> text=Gửi hồ sơ đã kiểm tra")
    send = page.locator("[data-testid=send-form]")
    for box in send.locator("input[name=dossiers]").all():
        box.set_checked(box.get_attribute("value") == str(dossier.pk))
    send.locator("textarea[name=note]").fill("Hồ sơ đề nghị tỉnh đánh giá, phân hạng đợt 2 năm 2026")
    send.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/products/dossiers/lists/"))
    expect(success(page)).to_contain_text("Danh sách 1 hồ sơ đã kiểm tra đã được gửi lên tỉnh.")
    page.goto(page.base_url + dossier.get_absolute_url())
    expect(page.locator("[data-testid=dossier-status]")).to_have_text("Đã gửi lên tỉnh")

    # --- 2. The province: the lists by commune, a session of the second round, scoring, 4★ and a nomination -------
    page = login("tinh.thainguyen")
    nav_click(page, "Sản phẩm")
    page.locator("[data-testid=catalog-tabs]").get_by_role("link", name="Hồ sơ").click()
    page.click("text=Danh sách hồ sơ đã kiểm tra")
    bach_thong = page.locator("[data-testid=lists-of-unit][data-unit='19102']")
    expect(bach_thong.locator("h2")).to_contain_text("Bạch Thông")
    expect(bach_thong).to_contain_text(PRODUCT)

    plan_session_today(page, PROVINCIAL_COUNCIL)
    expect(page.locator("[data-testid=session-round]")).to_contain_text("Đợt 2 năm 2026")
    province_session = int(re.search(r"/sessions/(\d+)/", page.url).group(1))
    put_on_agenda(page)

    # hoidong.2 scores in the browser: the highest answer of every criterion, each click saved.
    page = login("hoidong.2")
    page.goto(f"{page.base_url}/evaluation/sessions/{province_session}/")
    page.click(f"[data-testid=agenda-row][data-product='{PRODUCT}'] [data-testid=my-card]")
    expect(page.locator("[data-testid=product-name]")).to_have_text(PRODUCT)
    card = Scorecard.objects.get(evaluation__session_id=province_session, member__user__username="hoidong.2")
    criteria = Criterion.objects.filter(sheet_id=card.evaluation.sheet_id).prefetch_related("options")
    for criterion, option in best_options(criteria).items():
        page.check(f"#option-{option.pk}")
        expect(page.locator(f"#saved-{criterion.pk}")).to_have_text(re.compile("Đã lưu"))
    expect(page.locator("#total-overall")).to_have_text("100")
    page.click("[data-testid=submit]")
    expect(page.locator("[data-testid=card-status]")).to_have_text("Đã nộp")
    score_by_service(province_session, ["hoidong.1", "hoidong.3"])

    # The chair finalises: 4★, the provincial ceiling, and nominated to the central level.
    page = login("hoidong.1")
    finalise(page, province_session, "4★", "Đề cử cấp trung ương")

    # The office records the decision and issues the 4★ certificate.
    page = login("tinh.thainguyen")
    issue_decision_and_certificate(page, province_session, "3170/QĐ-UBND", "Chủ tịch UBND tỉnh Thái Nguyên", "4★",
                                   "GCN-19")

    # --- 3. The ministry: the nomination, a central session, 5★, the certificate in the ministry's name --------------
    page = login("bo.nnmt")
    # Its home page shows what the provinces nominated; the panel leads to the whole list.
    expect(page.locator("[data-testid=panel-nominations]")).to_contain_text(PRODUCT)
    page.locator("[data-testid=panel-nominations]").get_by_role("link", name="Tất cả sản phẩm được đề cử").click()
    nomination = page.locator(f"[data-testid=nomination-row][data-product='{PRODUCT}']")
    expect(nomination).to_contain_text("Đề cử cấp trung ương")
    expect(nomination).to_contain_text(PROVINCIAL_COUNCIL)
    expect(nomination).to_contain_text("Chờ cấp trên đánh giá")

    plan_session_today(page, CENTRAL_COUNCIL)
    central_session = int(re.search(r"/sessions/(\d+)/", page.url).group(1))
    # The product holds the province's 4★ certificate: the ministry rates it for a star upgrade (a first rating is
    # refused, the page says so).
    put_on_agenda(page, kind="upgrade")
    score_by_service(central_session, ["hoidong.1", "hoidong.2", "hoidong.3"])

    page = login("hoidong.1")
    finalise(page, central_session, "5★", "")

    page = login("bo.nnmt")
    issue_decision_and_certificate(page, central_session, "125/QĐ-BNNMT", "Bộ trưởng Bộ Nông nghiệp và Môi trường",
                                   "5★", "GCN-TW")
    page.locator("[data-testid=decision-certificates] li", has_text=PRODUCT).locator("a").click()
    expect(page.locator("[data-testid=product-name]")).to_have_text(PRODUCT)
    with page.expect_download(timeout=90000) as download_info:
        page.click("[data-testid=download]", timeout=90000)
    with open(download_info.value.path(), "rb") as handle:
        text = pdf_text(handle.read())
    for expected in (PRODUCT, "Hợp tác xã Thiên An", "Hạng 5 sao", "Bạch Thông, Thái Nguyên", MINISTRY, "GCN-TW"):
        assert expected in text, expected
    for former in ("Vi Hương", "Bắc Kạn"):
        assert former not in text, former

    # --- 4. Thái Nguyên's dashboard counts the product, with its 5★ ------------------------------------------------
    page = login("tinh.thainguyen")
    page.click("#mainnav >> text=Tổng hợp")
    assert dashboard_figures(page) == (products_before + 1, five_before + 1, commune_before + 1)
