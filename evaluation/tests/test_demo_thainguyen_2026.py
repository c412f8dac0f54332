"""The demo's Thái Nguyên of 2026 (issue 16, item 6): the communes' pre-assessment, a provincial session of the
second round on the dossiers they sent, scored and finalised, a product recognised 4★ and nominated to the central
level, and the province's decision with its certificates; nothing dated after today."""
import datetime
from decimal import Decimal

from django.utils import timezone

from certificates.models import Certificate
from products.enums import DossierStatus
from products.models import Dossier

from ..enums import EvaluationLevel, ScorecardStatus, SessionStatus
from ..models import Decision, DossierPreAssessment, Evaluation, Session
from ..results_table import nomination_label


def _session():
    return Session.objects.select_related("round").get(
        council__cycle__province__code="19", council__cycle__year=2026, status=SessionStatus.FINALISED)


def test_demo_round_two_session_recognises_4_stars_and_nominates_the_bun_dong_to_the_central_level(demo_full):
    session = _session()
    today = timezone.localdate()
    assert session.round.number == 2
    assert session.round.starts_on <= session.held_on <= min(today, session.round.ends_on)
    results = {e.product.name: (e.final_score, e.recognised_star, e.nominated_to, e.dossier.status)
               for e in session.evaluations.select_related("product", "dossier")}
    assert results == {
        "Bún dong riềng Tài Hoan": (Decimal("92.67"), 4, EvaluationLevel.CENTRAL, DossierStatus.SENT),
        "Trà xanh Bản Dao": (Decimal("77.67"), 4, "", DossierStatus.SENT),
        "Măng vầu sấy Phiêng An": (Decimal("63.00"), 3, "", DossierStatus.SENT),
        "Túi thổ cẩm Thiên An": (Decimal("83.67"), 4, "", DossierStatus.SENT),  # HTX Thiên An's, 3★ in 2023
    }
    # Every member scored at the sitting, not before it.
    cards = list(Evaluation.objects.filter(session=session).values_list("scorecards__status",
                                                                        "scorecards__submitted_at"))
    assert len(cards) == 12
    assert all(status == ScorecardStatus.SUBMITTED and timezone.localtime(at).date() >= session.held_on
               for status, at in cards)


def test_demo_nominated_product_is_on_the_provinces_nomination_list(demo_full, client_for):
    """Nominated by Thái Nguyên, and taken up by the ministry's council of today (the demo's central sitting)."""
    page = client_for("tinh.thainguyen").get("/evaluation/nominations/?state=evaluated").content.decode()
    rows = page.split('data-testid="nomination-row"')[1:]
    assert [row.split('data-product="')[1].split('"')[0] for row in rows] == ["Bún dong riềng Tài Hoan"]
    assert "92,67" in rows[0] and nomination_label(EvaluationLevel.CENTRAL) in rows[0]


def test_demo_ministry_office_finds_the_nominated_product_on_its_council_agenda(demo_full, client_for):
    client = client_for("bo.nnmt")
    home = client.get("/").content.decode()
    assert "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp trung ương năm 2026" in home.split(
        'data-testid="panel-sessions"')[1]
    central = Session.objects.get(council__level=EvaluationLevel.CENTRAL)
    assert "Bún dong riềng Tài Hoan" in client.get(central.get_absolute_url()).content.decode()
    # It holds the province's 4★ certificate: the ministry rates it for a star upgrade.
    assert central.evaluations.get().kind == "upgrade"
    products = client.get("/products/").content.decode()
    assert "Bún dong riềng Tài Hoan" in products and "Trà xanh Bản Dao" not in products


def test_demo_thai_nguyen_decision_issues_certificates_in_the_provinces_name(demo_full):
    session = _session()
    decision = Decision.objects.get(session=session)
    assert (decision.number, decision.issuing_unit.code, decision.signed_on) == (
        "3162/QĐ-UBND", "19", session.held_on)
    certificates = {c.product.name: (c.star, c.issuing_unit.code, c.issued_on)
                    for c in Certificate.objects.filter(decision=decision).select_related("product", "issuing_unit")}
    assert certificates == {
        "Bún dong riềng Tài Hoan": (4, "19", session.held_on),
        "Trà xanh Bản Dao": (4, "19", session.held_on),
        "Măng vầu sấy Phiêng An": (3, "19", session.held_on),
        "Túi thổ cẩm Thiên An": (4, "19", session.held_on),
    }


def test_demo_commune_pre_assessed_the_dossiers_it_checked_and_sent(demo_full):
    rows = DossierPreAssessment.objects.filter(dossier__cycle__year=2026, dossier__cycle__province__code="19")
    by_product = {}
    for row in rows.select_related("dossier__product", "criterion", "assessed_by"):
        by_product.setdefault(row.dossier.product.name, set()).add((row.criterion.code, row.assessed_by.username))
    assert by_product == {
        "Măng ớt Phủ Thông": {("1.1", "xa.bachthong"), ("3.2", "xa.bachthong")},
        "Trà xanh Bản Dao": {("1.1", "xa.bachthong"), ("3.2", "xa.bachthong")},
        "Măng vầu sấy Phiêng An": {("1.1", "xa.bachthong"), ("3.2", "xa.bachthong")},
        "Túi thổ cẩm Thiên An": {("1.1", "xa.bachthong"), ("3.2", "xa.bachthong")},
        "Bún dong riềng Tài Hoan": {("1.1", "xa.conminh"), ("3.2", "xa.conminh")},
    }
    checked = Dossier.objects.get(cycle__year=2026, product__name="Măng ớt Phủ Thông")
    assert checked.status == DossierStatus.CHECKED


def test_demo_of_thai_nguyen_2026_dates_nothing_after_today(demo_full):
    today = timezone.localdate()
    finalised = Session.objects.filter(council__cycle__province__code="19", status=SessionStatus.FINALISED)
    assert all(day <= today for day in finalised.values_list("held_on", flat=True))
    assert all(day <= today for day in Decision.objects.filter(issuing_unit__code="19").values_list(
        "signed_on", flat=True))
    assert all(day <= today for day in Certificate.objects.filter(issuing_unit__code="19").values_list(
        "issued_on", flat=True))
    # The planned session of 08/12/2026 stays planned.
    assert Session.objects.get(council__cycle__province__code="19",
                               held_on=datetime.date(2026, 12, 8)).status == SessionStatus.PLANNED
