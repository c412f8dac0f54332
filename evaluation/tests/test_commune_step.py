"""The commune's step before a council (issue 16, item 3): under 1489/QĐ-TTg (2025) and 26/2026/QĐ-TTg a council
takes a dossier only once its commune has checked it and sent it to the province; under 148/QĐ-TTg (2023) and
1048/QĐ-TTg (2019) it takes a submitted dossier directly (the district's path). A dossier on an agenda can no longer
be returned or checked."""
import datetime
import importlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from ocop.enums import Role
from ocop.models import AdministrativeUnit, Cycle
from ocop.tests.factories import UserFactory
from products.enums import DossierStatus
from products.models import Dossier, DossierList
from products.services.dossiers import dossier_check, dossier_return
from subjects.tests.factories import SubjectFactory

from ..enums import EvaluationLevel
from ..models import CycleRegulation, Evaluation, Regulation
from ..services.councils import (
    council_create,
    dossiers_by_commune_step_q,
    regulation_for,
    session_assign,
    session_create,
)
from .factories import ProductFactory, sheet_build

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_SENT = ("Theo {regulation}, xã phải kiểm tra hồ sơ và gửi lên tỉnh trước khi hội đồng đánh giá; hồ sơ này đang "
            "ở trạng thái “{status}”.")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def messages_of(page: str) -> list[str]:
    return [text_of(m) for m in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)<button', page, flags=re.S)]


def offered(page: str) -> list[str]:
    """The products whose dossiers the session page offers for the agenda."""
    form = page.split('action="/evaluation/sessions/')[1].split("</form>")[0]
    return re.findall(r'<label[^>]*for="id_dossiers_\d+"[^>]*>\s*([^<–]+?) –', form)


@pytest.fixture
def thai_nguyen_2026(users):
    """The demo's 2026 cycle of Thái Nguyên, run under 26/2026/QĐ-TTg."""
    cycle = Cycle.objects.get(province__code="19", year=2026)
    CycleRegulation.objects.update_or_create(cycle=cycle,
                                             defaults={"regulation": Regulation.objects.get(code="26/2026/QĐ-TTg")})
    return cycle


@pytest.fixture
def session_2026(thai_nguyen_2026):
    """A provincial session of Thái Nguyên on 08/12/2026 (round 2)."""
    council = council_create(cycle=thai_nguyen_2026, level=EvaluationLevel.PROVINCE, unit=thai_nguyen_2026.province,
                             name="Hội đồng tỉnh Thái Nguyên 2026 (kiểm thử)", by=None)
    return session_create(council=council, held_on=datetime.date(2026, 12, 8), by=None)


@pytest.fixture
def province_office(users):
    return UserFactory(username="kt.thainguyen", role=Role.PROVINCE_STAFF,
                       unit=AdministrativeUnit.objects.get(code="19"))


def dossier_at(cycle, name: str, status: str, submitted_at, commune: str = "19102") -> Dossier:
    """A dossier of a new product of `commune` (Bạch Thông commune, Thái Nguyên, by default) in `status`, with the
    sheet of its product set under the rules its evaluation follows."""
    product = ProductFactory(name=name, subject=SubjectFactory(commune=AdministrativeUnit.objects.get(code=commune)))
    dossier = Dossier.objects.create(product=product, cycle=cycle, status=status, submitted_at=submitted_at)
    if status == DossierStatus.SENT:
        dossier.sent_list = DossierList.objects.create(cycle=cycle, unit=product.commune,
                                                       sent_by=UserFactory(role=Role.LOCAL_OFFICER))
        dossier.save(update_fields=["sent_list"])
    sheet_build(regulation=regulation_for(cycle=cycle, session_date=datetime.date(2026, 12, 8), dossier=dossier),
                product_set=product.product_set)
    return dossier


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HANOI)


# ---------------------------------------------------------------------------------------------
# Which rules have the commune's step
# ---------------------------------------------------------------------------------------------


def test_the_commune_step_belongs_to_1489_and_the_rules_after_it(db):
    assert dict(Regulation.objects.values_list("code", "commune_intake")) == {
        "1048/QĐ-TTg": False, "148/QĐ-TTg": False, "1489/QĐ-TTg": True, "26/2026/QĐ-TTg": True}


def test_reference_data_reloaded_after_a_flush_keeps_the_commune_step(db):
    """A live-server test empties the tables; the regulations come back with their commune step."""
    from ocop.reference import reference_data_ensure

    Regulation.objects.all().delete()
    reference_data_ensure()
    assert dict(Regulation.objects.values_list("code", "commune_intake")) == {
        "1048/QĐ-TTg": False, "148/QĐ-TTg": False, "1489/QĐ-TTg": True, "26/2026/QĐ-TTg": True}


def test_migration_marks_1489_and_every_later_regulation(db):
    later = Regulation.objects.create(code="99/2027/QĐ-TTg", title="Quy định sau (kiểm thử)",
                                      issued_on=datetime.date(2027, 1, 5), effective_from=datetime.date(2027, 2, 1))
    Regulation.objects.update(commune_intake=False)
    importlib.import_module("evaluation.migrations.0007_regulation_commune_intake").load(apps, None)
    assert set(Regulation.objects.filter(commune_intake=True).values_list("code", flat=True)) == {
        "1489/QĐ-TTg", "26/2026/QĐ-TTg", later.code}


def test_the_list_query_and_the_service_agree_on_the_day_1489_took_effect(thai_nguyen_2026):
    """30/06/2025 23:30 in Việt Nam is under 148 (no commune step), 01/07/2025 00:30 under 1489 (still 30/06 in UTC);
    a 2025 dossier entered with a day before its year follows 1 January 2025 (its procedure day, Cycle.procedure_day:
    148); a dossier without a submission day follows the regulation in force on the session's day (26/2026)."""
    cycle_2025, _created = Cycle.objects.get_or_create(province=thai_nguyen_2026.province, year=2025,
                                                       defaults={"name": "OCOP Thái Nguyên 2025"})
    made = {
        "148": dossier_at(cycle_2025, "Nộp 30/06/2025", DossierStatus.SUBMITTED, at(2025, 6, 30, 23, 30)),
        "1489": dossier_at(cycle_2025, "Nộp 01/07/2025", DossierStatus.SUBMITTED, at(2025, 7, 1, 0, 30)),
        "old": dossier_at(cycle_2025, "Nộp 2018", DossierStatus.SUBMITTED, at(2018, 1, 2, 8, 0)),
        "undated": dossier_at(cycle_2025, "Chưa ghi ngày nộp", DossierStatus.SUBMITTED, None),
    }
    assert made["1489"].procedure_on == datetime.date(2025, 7, 1)
    session_date = datetime.date(2026, 12, 8)
    through_commune = set(Dossier.objects.filter(
        dossiers_by_commune_step_q(cycle=cycle_2025, session_date=session_date, commune_intake=True),
        pk__in=[d.pk for d in made.values()]).values_list("pk", flat=True))
    direct = set(Dossier.objects.filter(
        dossiers_by_commune_step_q(cycle=cycle_2025, session_date=session_date, commune_intake=False),
        pk__in=[d.pk for d in made.values()]).values_list("pk", flat=True))

    by_service = {key: regulation_for(cycle=cycle_2025, session_date=session_date, dossier=d).commune_intake
                  for key, d in made.items()}
    assert by_service == {"148": False, "1489": True, "old": False, "undated": True}
    assert {key for key, d in made.items() if d.pk in through_commune} == {"1489", "undated"}
    assert {key for key, d in made.items() if d.pk in direct} == {"148", "old"}


# ---------------------------------------------------------------------------------------------
# Under 1489/2025 and 26/2026: only the dossiers the commune has sent
# ---------------------------------------------------------------------------------------------


def test_a_2026_session_offers_only_the_dossiers_the_commune_has_sent(client, province_office, thai_nguyen_2026,
                                                                     session_2026):
    dossier_at(thai_nguyen_2026, "Miến nộp", DossierStatus.SUBMITTED, at(2026, 9, 1, 9, 0))
    dossier_at(thai_nguyen_2026, "Miến đã kiểm tra", DossierStatus.CHECKED, at(2026, 9, 2, 9, 0))
    sent = dossier_at(thai_nguyen_2026, "Miến đã gửi tỉnh", DossierStatus.SENT, at(2026, 9, 3, 9, 0))
    client.force_login(province_office)

    page = client.get(session_2026.get_absolute_url()).content.decode()
    client.post(f"/evaluation/sessions/{session_2026.pk}/assign/", {"dossiers": [sent.pk], "kind": "first"})

    assert offered(page) == ["Miến đã gửi tỉnh"]
    assert ("Theo Quyết định 1489/QĐ-TTg và 26/2026/QĐ-TTg, hồ sơ chỉ có trong danh sách này sau khi xã đã kiểm tra "
            "và gửi lên tỉnh.") in page
    evaluation = Evaluation.objects.get(session=session_2026, dossier=sent)
    assert evaluation.regulation.code == "26/2026/QĐ-TTg"


def test_a_dossier_the_commune_has_not_sent_is_refused_naming_the_step(thai_nguyen_2026, session_2026):
    for status, label in [(DossierStatus.SUBMITTED, "Đã nộp để đánh giá"),
                          (DossierStatus.CHECKED, "Đã được xã kiểm tra")]:
        dossier = dossier_at(thai_nguyen_2026, f"Sản phẩm {status}", status, at(2026, 9, 1, 9, 0))
        with pytest.raises(ValidationError) as error:
            session_assign(session=session_2026, product=dossier.product, dossier=dossier, by=None)
        assert error.value.messages == [NOT_SENT.format(regulation="26/2026/QĐ-TTg", status=label)]
    # Submitted in March 2026, before 26/2026 took effect (22/05/2026): the dossier follows 1489.
    march = dossier_at(thai_nguyen_2026, "Nộp tháng 3", DossierStatus.SUBMITTED, at(2026, 3, 10, 9, 0))
    with pytest.raises(ValidationError) as error:
        session_assign(session=session_2026, product=march.product, dossier=march, by=None)
    assert error.value.messages == [NOT_SENT.format(regulation="1489/QĐ-TTg", status="Đã nộp để đánh giá")]
    assert not Evaluation.objects.filter(session=session_2026, dossier__isnull=False).exists()


def test_the_product_found_by_search_is_refused_while_its_dossier_is_with_the_commune(
        client, province_office, thai_nguyen_2026, session_2026):
    dossier = dossier_at(thai_nguyen_2026, "Chè chờ xã", DossierStatus.CHECKED, at(2026, 9, 1, 9, 0))
    client.force_login(province_office)

    response = client.post(f"/evaluation/sessions/{session_2026.pk}/assign/",
                           {"product": dossier.product.pk, "kind": "first"}, follow=True)

    assert messages_of(response.content.decode()) == [
        "Chè chờ xã: Hồ sơ của sản phẩm trong chu trình này đang ở xã (“Đã được xã kiểm tra”): theo 26/2026/QĐ-TTg, "
        "xã phải kiểm tra hồ sơ và gửi lên tỉnh trước khi hội đồng đánh giá sản phẩm."]
    assert not Evaluation.objects.filter(product=dossier.product).exists()


# ---------------------------------------------------------------------------------------------
# Under 148/2023: the district's path, unchanged
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def backan_2024_session(users):
    """A provincial session of Bắc Kạn in 2024, its cycle run under 148/QĐ-TTg."""
    cycle = Cycle.objects.get(province__code="06", year=2024)
    CycleRegulation.objects.update_or_create(cycle=cycle,
                                             defaults={"regulation": Regulation.objects.get(code="148/QĐ-TTg")})
    council = council_create(cycle=cycle, level=EvaluationLevel.PROVINCE, unit=cycle.province,
                             name="Hội đồng tỉnh Bắc Kạn 2024 (kiểm thử)", by=None)
    return session_create(council=council, held_on=datetime.date(2024, 10, 15), by=None)


def test_under_148_a_submitted_dossier_goes_to_the_council_directly(client_for, backan_2024_session):
    cycle = backan_2024_session.council.cycle
    dossier = dossier_at(cycle, "Chè Bạch Thông 2024", DossierStatus.SUBMITTED, at(2024, 9, 10, 9, 0),
                         commune="01843")
    client = client_for("tinh.backan")

    page = client.get(backan_2024_session.get_absolute_url()).content.decode()
    client.post(f"/evaluation/sessions/{backan_2024_session.pk}/assign/", {"dossiers": [dossier.pk], "kind": "first"})

    assert "Chè Bạch Thông 2024" in offered(page)
    assert Evaluation.objects.get(session=backan_2024_session, dossier=dossier).regulation.code == "148/QĐ-TTg"


# ---------------------------------------------------------------------------------------------
# A dossier on an agenda is no longer the commune's (or, under 148, the district's) to return or check
# ---------------------------------------------------------------------------------------------


def test_a_dossier_on_an_agenda_can_no_longer_be_returned_or_checked(client_for, users, backan_2024_session):
    cycle = backan_2024_session.council.cycle
    dossier = dossier_at(cycle, "Mộc nhĩ trong phiên", DossierStatus.SUBMITTED, at(2024, 9, 10, 9, 0),
                         commune="01843")
    session_assign(session=backan_2024_session, product=dossier.product, dossier=dossier, by=None)
    officer = users["huyen.bachthong"]  # receives Bạch Thông's dossiers under 148
    message = ("Hồ sơ này đã có trong chương trình của Hội đồng tỉnh Bắc Kạn 2024 (kiểm thử), phiên 1: hồ sơ đang "
               "được đánh giá, không thể trả lại hoặc kiểm tra nữa.")

    with pytest.raises(ValidationError) as returned:
        dossier_return(dossier=dossier, reason="Thiếu phiếu kiểm nghiệm", by=officer)
    with pytest.raises(ValidationError) as checked:
        dossier_check(dossier=dossier, by=officer)
    response = client_for("huyen.bachthong").post(f"/products/dossiers/{dossier.pk}/return/",
                                                  {"return-reason": "Thiếu phiếu kiểm nghiệm"}, follow=True)

    assert returned.value.messages == [message] and checked.value.messages == [message]
    assert message in messages_of(response.content.decode())
    dossier.refresh_from_db()
    assert (dossier.status, dossier.status_reason) == (DossierStatus.SUBMITTED, "")
