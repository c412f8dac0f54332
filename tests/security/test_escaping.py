"""Text that users type is shown as text: script payloads in names, notes and reasons come out escaped in every
page, fragment and PDF that shows them, and text that starts like a formula stays text in the Excel exports."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{IMG}"
FORMULA = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


def assert_escaped(html: str, where: str) -> None:
    """The payloads are absent as markup and present as text."""
    assert "<script>alert" not in html and "<img src=x" not in html, where
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, where
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html, where


def page(world, username, url) -> str:
    response = world.client(username).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def rename(records, *, subject: dict, product: str, description: str = "", tracing: str = "") -> None:
    """Change the area's subject (`subject`: its fields) and product (name, description, tracing method)."""
    from products.services.catalog import product_update
    from subjects.services import subject_update

    subject_update(subject=records.subject, data=subject, by=None)
    product_update(product=records.product, by=None, data={
        "name": product, "product_set": records.product.product_set, "description": description,
        "commune": records.product.commune, "has_traceability": bool(tracing), "traceability_method": tracing})


@pytest.fixture
def named(world):
    """Bạch Thông's HTX Dền Vang and its gạo nếp renamed with the payloads (the subject's address and
    representative, the product's description too)."""
    records = world.areas["bachthong"]
    rename(records, subject={"name": f"HTX {PAYLOAD}", "address": f"Thôn {PAYLOAD}",
                             "legal_representative": f"Ông {PAYLOAD}"},
           product=f"Gạo {PAYLOAD}", description=f"Mô tả {PAYLOAD}", tracing=f"Tem {PAYLOAD}")
    return records


@pytest.fixture
def formula_named(world):
    """Bạch Thông's HTX Dền Vang and its gạo nếp named like an Excel formula."""
    records = world.areas["bachthong"]
    rename(records, subject={"name": FORMULA}, product=FORMULA)
    return records


PAGES_WITH_NAMES = {
    "subject list": ("huyen.bachthong", lambda r: reverse("subjects:list")),
    "subject page and its audit trail": ("huyen.bachthong", lambda r: r.subject.get_absolute_url()),
    "subject search fragment": ("huyen.bachthong", lambda r: reverse("subjects:search") + "?q=alert"),
    "idea form's subject search": ("huyen.bachthong", lambda r: reverse("products:idea-subject-search")
                                   + "?subject_search=alert"),
    "product list": ("huyen.bachthong", lambda r: reverse("products:list")),
    "product page": ("huyen.bachthong", lambda r: r.product.get_absolute_url()),
    "dossier list": ("huyen.bachthong", lambda r: reverse("products:dossier-list")),
    "dossier page": ("huyen.bachthong", lambda r: r.dossier.get_absolute_url()),
    "certificate list": ("huyen.bachthong", lambda r: reverse("certificates:list")),
    "certificate page": ("huyen.bachthong", lambda r: r.certificate.get_absolute_url()),
    "public verification page": (None, lambda r: reverse("verify", args=[r.certificate.number])),
    "session agenda": ("huyen.bachthong", lambda r: r.session.get_absolute_url()),
    "session results": ("huyen.bachthong", lambda r: reverse("evaluation:session-results", args=[r.session.pk])),
    "member's scoring page": ("hoidong.2", lambda r: r.scorecard.get_absolute_url()),
    "decision page": ("huyen.bachthong", lambda r: r.decision.get_absolute_url()),
    "cooperative's product list": ("daidien.denvang", lambda r: reverse("products:list")),
    "fair's booths": ("huyen.bachthong", lambda r: r.event.get_absolute_url()),
    "fair's booths, as the invited representative sees them": ("daidien.denvang", lambda r: r.event.get_absolute_url()),
    "booth's results form": ("huyen.bachthong", lambda r: reverse("promotion:booth-results", args=[r.booth.pk])),
    "sales point page": ("huyen.bachthong", lambda r: r.sales_point.get_absolute_url()),
    "products' e-commerce listings": ("huyen.bachthong", lambda r: reverse("promotion:listing-products")),
    "product's listings": ("huyen.bachthong", lambda r: reverse("promotion:product-listings", args=[r.product.pk])),
}


@pytest.mark.parametrize("where", list(PAGES_WITH_NAMES))
def test_subject_and_product_names_are_escaped(world, named, where):
    username, url = PAGES_WITH_NAMES[where]
    assert_escaped(page(world, username, url(named)), where)


def test_certificate_pdf_html_escapes_the_names(world, named):
    from certificates.models import Certificate
    from certificates.rendering import _html, certificate_context

    certificate = Certificate.objects.get(pk=named.certificate.pk)
    assert_escaped(_html([certificate_context(certificate)]), "certificate PDF")


def test_minutes_pdf_html_escapes_names_and_reasons(world, named, monkeypatch):
    from django.template.loader import render_to_string

    from evaluation.services.councils import adviser_add, conflict_declare

    adviser_add(council=named.council, name=f"Chuyên gia {PAYLOAD}", agency=f"Sở {PAYLOAD}", by=None)
    evaluation = named.scorecard.evaluation
    conflict_declare(evaluation=evaluation, member=evaluation.session.council.members.get(user__username="hoidong.3"),
                     reason=f"Họ hàng {PAYLOAD}", by=world.users["hoidong.3"])
    rendered = {}

    def fake_pdf(template_name, context):
        rendered["html"] = render_to_string(template_name, context)
        return b"%PDF-1.4"

    monkeypatch.setattr("evaluation.documents.render_pdf", fake_pdf)
    url = reverse("evaluation:session-minutes-pdf", args=[named.session.pk])
    assert world.client("huyen.bachthong").get(url).status_code == 200
    assert_escaped(rendered["html"], "minutes PDF")
    assert rendered["html"].count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # product, subject, adviser


def test_idea_texts_and_return_reason_are_escaped(world):
    from products.services.ideas import idea_return, idea_submit

    from .conftest import new_idea

    records = world.areas["bachthong"]
    officer = world.users["huyen.bachthong"]
    idea = new_idea(cycle=records.cycle, subject=records.subject, name=f"Bánh {PAYLOAD}",
                    commune=records.subject.commune, by=officer)
    idea.raw_material_source = f"Nguyên liệu {PAYLOAD}"
    idea.support_needed = f"Hỗ trợ {PAYLOAD}"
    idea.save(update_fields=["raw_material_source", "support_needed"])
    idea = idea_return(idea=idea_submit(idea=idea, by=officer), reason=f"Bổ sung {PAYLOAD}", by=officer)
    for url in (reverse("products:idea-list"), idea.get_absolute_url(), reverse("products:idea-edit", args=[idea.pk])):
        html = page(world, "huyen.bachthong", url)
        assert_escaped(html, url)
    detail = page(world, "huyen.bachthong", idea.get_absolute_url())
    assert "Bổ sung &lt;script&gt;alert(1)&lt;/script&gt;" in detail  # the reason, not only the name


def test_member_note_conflict_reason_and_adviser_are_escaped(world):
    from evaluation.services.councils import adviser_add, conflict_declare
    from evaluation.services.scoring import score_note_set, score_set

    records = world.areas["bachthong"]
    card = records.scorecard
    criterion = card.evaluation.sheet.criteria.order_by("position", "pk").first()
    score_set(scorecard=card, criterion_id=criterion.pk, option_id=criterion.options.first().pk,
              by=world.users["hoidong.2"])
    score_note_set(scorecard=card, criterion_id=criterion.pk, note=f"Ghi chú {PAYLOAD}", by=world.users["hoidong.2"])
    assert_escaped(page(world, "hoidong.2", card.get_absolute_url()), "scoring page: the member's note")

    member = card.evaluation.session.council.members.get(user__username="hoidong.3")
    conflict_declare(evaluation=card.evaluation, member=member, reason=f"Họ hàng {PAYLOAD}",
                     by=world.users["hoidong.3"])
    results = page(world, "huyen.bachthong", reverse("evaluation:session-results", args=[records.session.pk]))
    assert_escaped(results, "results: the conflict's reason in the cell's title")
    assert_escaped(page(world, "huyen.bachthong", records.session.get_absolute_url()), "agenda: the conflict")

    adviser_add(council=records.council, name=f"Chuyên gia {PAYLOAD}", agency=f"Sở {PAYLOAD}",
                task=f"Tư vấn {PAYLOAD}", by=None)
    assert_escaped(page(world, "huyen.bachthong", records.council.get_absolute_url()), "council page: adviser")


def test_revocation_reason_and_decision_number_are_escaped(world):
    from certificates.services import certificate_revoke

    certificate = world.areas["bachthong"].certificate
    certificate_revoke(certificate=certificate, ground="food_safety", reason=f"Vi phạm {PAYLOAD}",
                       decision_number=f"99/{PAYLOAD}", revoked_on=datetime.date(2026, 9, 12),
                       by=world.users["huyen.bachthong"])
    assert_escaped(page(world, "huyen.bachthong", certificate.get_absolute_url()), "certificate page")
    assert_escaped(page(world, None, reverse("verify", args=[certificate.number])), "public verification page")


def test_notification_text_is_escaped(world):
    from ocop.services import notify

    notify([world.users["huyen.bachthong"]], kind="security.test", title=f"Tiêu đề {PAYLOAD}",
           body=f"Nội dung {PAYLOAD}")
    html = page(world, "huyen.bachthong", reverse("notification-list"))
    assert_escaped(html, "notifications")
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # title and text


def test_uploaded_file_name_is_escaped(world):
    from products.enums import EvidenceKind
    from products.services.dossiers import dossier_documents_add

    from .conftest import pdf_upload

    records = world.areas["bachthong"]
    name = f"<b onmouseover=alert(1)>{IMG}.pdf"  # no "/": an upload's name keeps only what follows the last one
    document = dossier_documents_add(dossier=records.dossier, kind=EvidenceKind.TEST_RESULTS, files=[pdf_upload(name)],
                                     issued_on=datetime.date(2024, 1, 2), valid_until=datetime.date(2099, 12, 31),
                                     by=world.users["huyen.bachthong"])[0]
    assert document.original_name == name
    html = page(world, "huyen.bachthong", records.dossier.get_absolute_url())
    assert "<b onmouseover" not in html and "<img src=x" not in html
    assert "&lt;b onmouseover=alert(1)&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf" in html


# ---------------------------------------------------------------------------------------------
# Excel exports: text that starts with "=" stays text
# ---------------------------------------------------------------------------------------------


def _cells(response) -> list:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("export", ["subjects:export", "products:export", "certificates:export"])
def test_list_export_keeps_a_formula_like_name_as_text(world, formula_named, export):
    cells = [c for c in _cells(world.client("huyen.bachthong").get(reverse(export))) if c.value == FORMULA]
    assert cells and {c.data_type for c in cells} == {"s"}


def test_results_export_keeps_formula_like_names_as_text(world, formula_named):
    url = reverse("evaluation:session-results-xlsx", args=[formula_named.session.pk])
    cells = [c for c in _cells(world.client("huyen.bachthong").get(url)) if c.value == FORMULA]
    assert [(c.column_letter, c.data_type) for c in cells] == [("D", "s"), ("E", "s")]  # product, subject


def test_paper_template_keeps_a_formula_like_product_name_as_text(world, formula_named):
    url = reverse("evaluation:session-paper-template", args=[formula_named.session.pk])
    cells = [c for c in _cells(world.client("huyen.bachthong").get(url)) if c.value == FORMULA]
    assert cells and {c.data_type for c in cells} == {"s"}


def test_programme_report_keeps_a_formula_like_unit_name_as_text(world):
    """The report's title line starts with the unit's name (promotion/reports.py wrote it with openpyxl's
    plain assignment, outside the shared helper)."""
    from ocop.models import AdministrativeUnit

    AdministrativeUnit.objects.filter(code="063").update(name=FORMULA)
    url = reverse("dashboard:report") + "?unit=063&year=2024"
    cells = [c for c in _cells(world.client("huyen.bachthong").get(url)) if str(c.value).startswith(FORMULA)]
    title = [c for c in cells if c.coordinate == "A2" and c.parent is c.parent.parent.worksheets[0]]
    assert len(title) == 1 and title[0].value.startswith(f"{FORMULA}, năm 2024, số liệu đến ngày ")
    assert {c.data_type for c in cells} == {"s"}  # the title, and the district column of the products sheet


def test_score_sheet_export_keeps_formula_like_text_as_text(world):
    """A sheet's title and an answer imported as "=HYPERLINK(...)": the .xlsx every council member may
    download holds them as text, and reads back the same."""
    from evaluation.models import CriterionOption
    from evaluation.services.sheets import sheet_parse_xlsx

    sheet = world.sheet
    option = CriterionOption.objects.filter(criterion__sheet=sheet).order_by("pk").first()
    CriterionOption.objects.filter(pk=option.pk).update(label=FORMULA)
    type(sheet).objects.filter(pk=sheet.pk).update(title=FORMULA)
    response = world.client("hoidong.1").get(reverse("evaluation:sheet-download", args=[sheet.pk, "xlsx"]))
    cells = [c for c in _cells(response) if c.value == FORMULA]
    assert [(c.parent.title, c.data_type) for c in cells] == [("Phiếu", "s"), ("Tiêu chí", "s")]
    data, errors = sheet_parse_xlsx(io.BytesIO(response.content))
    assert errors == [] and data.title == FORMULA
    assert FORMULA in [o.label for criterion in data.criteria() for o in criterion.options]
