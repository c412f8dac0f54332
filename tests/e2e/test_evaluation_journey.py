"""Step 5 in the browser: three members of Bắc Kạn's provincial council score a product by clicking
answers (each click saved at once, even across a lost connection), one declares a conflict of interest on
another product, all submit; the chair opens the session's agenda and its results (ranking and stars),
finalises the session and downloads the minutes, whose Vietnamese text pdftotext reads back.

`evaluation_journey_setup()` builds the council, session and products through the services."""
import datetime
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from evaluation.models import Criterion, Evaluation, Scorecard, Session
from evaluation.tests.factories import ProductFactory, Scenario, option_of, scenario_build
from ocop.models import AdministrativeUnit, Cycle, User
from ocop.tests.utils import pdf_text
from products.models import ProductSet
from subjects.tests.factories import SubjectFactory

SCORED = "Miến dong Côn Minh"
CONFLICTED = "Mộc nhĩ Vi Hương"
# Each member's answers on the scored product (criterion code → points) and the total they make.
ANSWERS = {
    "hoidong.1": ({"A1.1": 20, "A1.2": 10, "B2.1": 25, "C3.1": 20, "C3.2": 15}, "90"),
    "hoidong.2": ({"A1.1": 20, "A1.2": 20, "B2.1": 15, "C3.1": 20, "C3.2": 15}, "90"),
    "hoidong.3": ({"A1.1": 10, "A1.2": 20, "B2.1": 25, "C3.1": 20, "C3.2": 5}, "80"),
}
OTHER_ANSWERS = {"A1.1": 10, "A1.2": 10, "B2.1": 15, "C3.1": 10, "C3.2": 5}


@dataclass
class Journey:
    scenario: Scenario
    session: Session
    scored: Evaluation
    conflicted: Evaluation


def evaluation_journey_setup() -> Journey:
    """Bắc Kạn's 2024 provincial council: hoidong.1 chairs, hoidong.2 and hoidong.3 sit; one session on
    20/11/2024 with two products on its agenda, each scored on the test sheet (5 criteria, 100 points)."""
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=["06", "01843", "01963"])}
    products = [
        ProductFactory(subject=SubjectFactory(name="Hợp tác xã Kiểm thử Côn Minh", commune=units["01963"]),
                       name=SCORED, product_set=ProductSet.objects.get(number=7)),
        ProductFactory(subject=SubjectFactory(name="Hợp tác xã Kiểm thử Vi Hương", commune=units["01843"]),
                       name=CONFLICTED, product_set=ProductSet.objects.get(number=12)),
    ]
    scenario = scenario_build(
        cycle=Cycle.objects.get(province=units["06"], year=2024), unit=units["06"], products=products,
        users=[User.objects.get(username=u) for u in ("hoidong.1", "hoidong.2", "hoidong.3")],
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Bắc Kạn năm 2024",
        held_on=datetime.date(2024, 11, 20))
    return Journey(scenario=scenario, session=scenario.session, scored=scenario.evaluations[0],
                   conflicted=scenario.evaluations[1])


def open_card(page, product: str):
    """From the member's queue (the "Chấm điểm" entry), open his scorecard of the product."""
    page.click("#mainnav >> text=Chấm điểm")
    page.click(f"[data-testid=queue-card][data-product='{product}'] a >> nth=0")
    expect(page.locator("[data-testid=product-name]")).to_have_text(product)


def answer(page, evaluation: Evaluation, code: str, points) -> None:
    """Click the answer worth `points` on criterion `code` and wait until it is saved."""
    option = option_of(evaluation.sheet, code, points)
    page.check(f"#option-{option.pk}")
    expect(page.locator(f"#saved-{option.criterion_id}")).to_have_text(re.compile("Đã lưu"))


def submit(page):
    page.click("[data-testid=submit]")
    expect(page.locator("[data-testid=card-status]")).to_have_text("Đã nộp")


@pytest.fixture
def journey(demo):
    return evaluation_journey_setup()


def test_members_score_declare_a_conflict_and_the_chair_finalises_and_prints_the_minutes(journey, page, login):
    scored = journey.scored
    page.set_default_timeout(60000)  # a busy machine (parallel test runs) must not fail the journey
    expect.set_options(timeout=30000)
    page = login("hoidong.1")
    page.on("dialog", lambda dialog: dialog.accept())

    # The chair scores the product: every click is saved, the running total follows.
    open_card(page, SCORED)
    choices, total = ANSWERS["hoidong.1"]
    for code, points in list(choices.items())[:4]:
        answer(page, scored, code, points)
    expect(page.locator("#total-overall")).to_have_text("75")
    expect(page.locator("#part-total-a")).to_have_text("30")

    # The connection drops: the click is kept and sent again once it is back.
    page.context.set_offline(True)
    last = option_of(scored.sheet, "C3.2", choices["C3.2"])
    page.check(f"#option-{last.pk}")
    expect(page.locator(f"#saved-{last.criterion_id}")).to_have_text("Chưa lưu – sẽ thử lại")
    expect(page.locator("[data-testid=pending]")).to_be_visible()
    page.context.set_offline(False)
    expect(page.locator(f"#saved-{last.criterion_id}")).to_have_text(re.compile("Đã lưu"), timeout=20000)
    expect(page.locator("[data-testid=pending]")).to_be_hidden()
    expect(page.locator("#total-overall")).to_have_text(total)
    assert Scorecard.objects.get(evaluation=scored, member__user__username="hoidong.1").scores.count() == 5
    submit(page)
    assert page.locator("#scoring input[type=radio]:not([disabled])").count() == 0

    # The other product: the chair scores it too.
    open_card(page, CONFLICTED)
    for code, points in OTHER_ANSWERS.items():
        answer(page, journey.conflicted, code, points)
    submit(page)

    # hoidong.2 scores the first product and declares a conflict on the second.
    page = login("hoidong.2")
    open_card(page, SCORED)
    choices, total = ANSWERS["hoidong.2"]
    for code, points in choices.items():
        answer(page, scored, code, points)
    expect(page.locator("#total-overall")).to_have_text(total)
    submit(page)
    open_card(page, CONFLICTED)
    page.click("[data-testid=conflict] summary")
    page.fill("textarea[name=reason]", "Có người nhà là thành viên hợp tác xã")
    page.click("[data-testid=conflict] button[type=submit]")
    page.wait_for_url(page.base_url + "/evaluation/")
    assert ("Đã ghi nhận xung đột lợi ích của bạn với sản phẩm Mộc nhĩ Vi Hương"
            in page.locator(".alert-success").inner_text())
    assert page.locator(f"[data-testid=queue-card][data-product='{CONFLICTED}']").count() == 0

    # hoidong.3 scores both and submits.
    page = login("hoidong.3")
    open_card(page, SCORED)
    choices, total = ANSWERS["hoidong.3"]
    for code, points in choices.items():
        answer(page, scored, code, points)
    submit(page)
    open_card(page, CONFLICTED)
    for code, points in OTHER_ANSWERS.items():
        answer(page, journey.conflicted, code, points)
    submit(page)

    # The chair opens the session: every scorecard is in, the conflict shows, so do the totals.
    page = login("hoidong.1")
    page.goto(page.base_url + journey.session.get_absolute_url())
    scored_row = page.locator(f"[data-testid=agenda-row][data-product='{SCORED}']")
    conflicted_row = page.locator(f"[data-testid=agenda-row][data-product='{CONFLICTED}']")
    assert scored_row.locator("[data-testid=submitted]").count() == 3
    assert scored_row.locator("[data-testid=card-total]").all_inner_texts() == ["90", "90", "80"]
    assert "3/3 đã nộp" in scored_row.inner_text()
    assert conflicted_row.locator("[data-testid=progress][data-member='hoidong.2']").inner_text() == "Xung đột lợi ích"
    assert "2/2 đã nộp" in conflicted_row.inner_text()
    assert page.locator("[data-testid=results-link] a").get_attribute("href") == (
        f"/evaluation/sessions/{journey.session.pk}/results/")
    assert Criterion.objects.filter(sheet=scored.sheet).count() == 5

    # The chair opens the results: means computed without the conflicted member, stars within the
    # provincial ceiling, each product ranked within its product set. He finalises and prints the minutes.
    page.click("[data-testid=results-link] a")
    rows = page.locator("[data-testid=result-row]")
    shown = [(rows.nth(i).get_attribute("data-product"),
              rows.nth(i).locator("[data-testid=rank]").inner_text().strip(),
              rows.nth(i).locator("[data-testid=mean]").inner_text().strip(),
              " ".join(rows.nth(i).locator("[data-testid=star]").inner_text().split()))
             for i in range(rows.count())]
    assert shown == [(SCORED, "1", "86,67", "★★★★ 4★"), (CONFLICTED, "1", "50,00", "★★★ 3★")]
    assert "Đủ số thành viên: có mặt 3/3 thành viên." in page.locator("[data-testid=finalise-panel]").inner_text()
    page.click("[data-testid=finalise]")
    assert page.locator(".alert-success").inner_text().strip().startswith("Đã kết thúc phiên họp")
    with page.expect_download(timeout=90000) as download_info:
        page.click("[data-testid=minutes]", timeout=90000)
    with open(download_info.value.path(), "rb") as handle:
        pdf = handle.read()
    text = pdf_text(pdf, layout=True)
    for expected in ("BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP", "Nguyễn Văn An", "Hoàng Thị Bình",
                     "Lý Văn Cường", f"{SCORED} – Hợp tác xã Kiểm thử Côn Minh", "Điểm trung bình: 86,67",
                     "Hạng sao công nhận: 4 sao"):
        assert expected in text, expected
    # A cell's text may wrap in the minutes' official layout: read as one line.
    assert "Không chấm điểm (xung đột lợi ích: Có người nhà là thành viên hợp tác xã)" in pdf_text(pdf)
