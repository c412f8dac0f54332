"""Invitations: booths for certified products matching the filter, one per subject; the representative's
answer from his home page or the event page; the results officers record per booth."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates.services import certificate_revoke
from ocop.enums import AuditAction
from ocop.selectors import audit_trail_for
from ocop.tests.utils import count_queries
from promotion.models import Booth
from promotion.services import booths_invite

from .conftest import texts
from .factories import BoothFactory, EventFactory, certify, unit


@pytest.fixture
def certified(products):
    """Certificates of the demo products: in force at 3★ and 4★, expired, revoked; none for Chè Bản Dao."""
    today = timezone.localdate()
    certify(products["An mộc nhi"], 3)
    certify(products["Phục dưỡng hoa"], 4)
    certify(products["Mộc vượng xuân"], 3, issued_on=today - datetime.timedelta(days=4 * 365))
    revoked = certify(products["Túi thổ cẩm Thiên An"], 3)
    certificate_revoke(certificate=revoked, ground="food_safety", reason="Vi phạm an toàn thực phẩm",
                       decision_number="9/QĐ-UBND", revoked_on=today, by=None)
    certify(products["Gạo nếp Khẩu Nua Lương"], 3)
    certify(products["Miến dong Tài Hoan"], 5)
    certify(products["Tinh dầu sả chanh Hương Ngàn"], 3)
    return products


def booths_of(event) -> dict[str, list[str]]:
    """Subject name → the names of the products its booth shows, and every booth invited."""
    booths = {}
    for booth in event.booths.select_related("subject").prefetch_related("products"):
        assert booth.status == Booth.Status.INVITED
        booths[booth.subject.name] = sorted(p.name for p in booth.products.all())
    return booths


# ---------------------------------------------------------------------------------------------
# Inviting
# ---------------------------------------------------------------------------------------------


def test_invitation_creates_one_booth_per_subject_for_certified_products_of_the_area(client_for, certified):
    event = EventFactory()
    response = client_for("huyen.bachthong").post(f"/promotion/events/{event.pk}/invite/", {"min_star": 3})
    assert response["Location"] == event.get_absolute_url()
    # Not Chè Bản Dao (no certificate), Mộc vượng xuân (expired), Túi thổ cẩm (revoked), Na Rì's products.
    assert booths_of(event) == {"Hợp tác xã Thiên An": ["An mộc nhi", "Phục dưỡng hoa"],
                                "Hợp tác xã Dền Vang": ["Gạo nếp Khẩu Nua Lương"]}
    entry = audit_trail_for(event).get(action=AuditAction.UPDATE)
    assert entry.changes == {"booths": [None, "Hợp tác xã Dền Vang, Hợp tác xã Thiên An"]}


def test_invitation_filters_by_star_unit_and_product_set(client_for, certified):
    client = client_for("tinh.backan")
    four_star = EventFactory(unit=unit("06"))
    client.post(f"/promotion/events/{four_star.pk}/invite/", {"min_star": 4})
    assert booths_of(four_star) == {"Hợp tác xã Thiên An": ["Phục dưỡng hoa"],
                                    "Hợp tác xã Tài Hoan": ["Miến dong Tài Hoan"]}
    essential_oils_of_nari = EventFactory(unit=unit("06"))
    client.post(f"/promotion/events/{essential_oils_of_nari.pk}/invite/", {
        "min_star": 3, "unit": unit("066").pk, "product_set": certified["Tinh dầu sả chanh Hương Ngàn"].product_set_id})
    assert booths_of(essential_oils_of_nari) == {"Hợp tác xã Hương Ngàn": ["Tinh dầu sả chanh Hương Ngàn"]}


def test_invitation_preview_lists_the_subjects_without_inviting_them(client_for, certified):
    event = EventFactory()
    page = client_for("huyen.bachthong").get(f"/promotion/events/{event.pk}/invite/?min_star=3").content.decode()
    assert texts(page, "invite-subject") == [
        "Hợp tác xã Dền Vang Xã Lục Bình Gạo nếp Khẩu Nua Lương ★★★",
        "Hợp tác xã Thiên An Xã Vi Hương An mộc nhi ★★★ Phục dưỡng hoa ★★★★"]
    assert "Mời 2 chủ thể" in page
    assert not Booth.objects.exists()


def test_invitation_leaves_out_subjects_already_invited(client_for, certified):
    event = EventFactory()
    BoothFactory(event=event, subject=certified["An mộc nhi"].subject, status=Booth.Status.DECLINED)
    client_for("huyen.bachthong").post(f"/promotion/events/{event.pk}/invite/", {"min_star": 3})
    statuses = dict(event.booths.values_list("subject__name", "status"))
    assert statuses == {"Hợp tác xã Thiên An": "declined", "Hợp tác xã Dền Vang": "invited"}


def test_invitation_service_refuses_a_product_without_a_certificate_in_force(certified):
    event = EventFactory()
    with pytest.raises(ValidationError, match="Mộc vượng xuân"):
        booths_invite(event=event, products=[certified["An mộc nhi"], certified["Mộc vượng xuân"]], by=None)
    assert not Booth.objects.exists()


def test_invitation_page_of_another_districts_event_is_not_found(client_for, certified):
    event = EventFactory(unit=unit("066"))
    assert client_for("huyen.bachthong").post(f"/promotion/events/{event.pk}/invite/",
                                              {"min_star": 3}).status_code == 404
    assert not Booth.objects.exists()


# ---------------------------------------------------------------------------------------------
# The representative's answer
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def invited(certified):
    """HTX Thiên An and Dền Vang invited to a Bạch Thông fair a month from now."""
    event = EventFactory(name="Phiên chợ OCOP Bạch Thông")
    booths_invite(event=event, products=[certified["An mộc nhi"], certified["Gạo nếp Khẩu Nua Lương"]], by=None)
    return event


def test_representative_sees_the_invitation_on_his_home_page_and_registers(client_for, invited, users):
    client = client_for("htx.thienan")
    panel = texts(client.get("/").content.decode(), "home-invitation")
    assert len(panel) == 1 and panel[0].startswith("Phiên chợ OCOP Bạch Thông")
    assert "Được mời" in panel[0]
    booth = invited.booths.get(subject__name="Hợp tác xã Thiên An")
    response = client.post(f"/promotion/booths/{booth.pk}/answer/", {"answer": "register", "next": "/"})
    assert response["Location"] == "/"
    booth.refresh_from_db()
    assert booth.status == Booth.Status.REGISTERED
    entry = audit_trail_for(booth).get()
    assert (entry.actor, entry.changes) == (users["htx.thienan"], {"status": ["Được mời", "Đã đăng ký"]})
    assert "Đã đăng ký" in texts(client.get("/").content.decode(), "home-invitation")[0]


def test_representative_declines_from_the_event_page(client_for, invited):
    client = client_for("htx.thienan")
    page = client.get(invited.get_absolute_url()).content.decode()
    # He sees his own booth only, not Dền Vang's.
    assert [r.split(" Xã")[0] for r in texts(page, "booth-row")] == ["Hợp tác xã Thiên An"]
    booth = invited.booths.get(subject__name="Hợp tác xã Thiên An")
    response = client.post(f"/promotion/booths/{booth.pk}/answer/", {"answer": "decline"})
    assert response["Location"] == invited.get_absolute_url()
    booth.refresh_from_db()
    assert booth.status == Booth.Status.DECLINED


def test_an_answer_other_than_register_or_decline_is_refused(client_for, invited):
    booth = invited.booths.get(subject__name="Hợp tác xã Thiên An")
    response = client_for("htx.thienan").post(f"/promotion/booths/{booth.pk}/answer/", {"answer": "maybe"})
    assert response.status_code == 400
    booth.refresh_from_db()
    assert booth.status == Booth.Status.INVITED


def test_representative_cannot_answer_for_another_subject(client_for, invited):
    other = invited.booths.get(subject__name="Hợp tác xã Dền Vang")
    assert client_for("htx.thienan").post(f"/promotion/booths/{other.pk}/answer/",
                                          {"answer": "decline"}).status_code == 404
    other.refresh_from_db()
    assert other.status == Booth.Status.INVITED


def test_representative_gets_404_on_an_event_he_is_not_invited_to(client_for, invited):
    assert client_for("htx.thienan").get(EventFactory().get_absolute_url()).status_code == 404


def test_answer_is_refused_once_the_event_has_ended(client_for, certified):
    event = EventFactory(starts_on=datetime.date(2024, 5, 1), ends_on=datetime.date(2024, 5, 2))
    booth = BoothFactory(event=event, subject=certified["An mộc nhi"].subject)
    client = client_for("htx.thienan")
    assert texts(client.get("/").content.decode(), "home-invitation") == []
    page = client.post(f"/promotion/booths/{booth.pk}/answer/", {"answer": "register"}, follow=True).content.decode()
    assert "Sự kiện đã kết thúc" in page
    booth.refresh_from_db()
    assert booth.status == Booth.Status.INVITED


def test_officer_registers_a_subject_without_an_account_on_its_behalf(client_for, invited):
    booth = invited.booths.get(subject__name="Hợp tác xã Dền Vang")
    client_for("huyen.bachthong").post(f"/promotion/booths/{booth.pk}/answer/", {"answer": "register"})
    booth.refresh_from_db()
    assert booth.status == Booth.Status.REGISTERED


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def held(certified):
    """A fair that began yesterday: Thiên An registered, Dền Vang still invited."""
    today = timezone.localdate()
    event = EventFactory(name="Hội chợ đang diễn ra", starts_on=today - datetime.timedelta(days=1), ends_on=today)
    BoothFactory(event=event, subject=certified["An mộc nhi"].subject, status=Booth.Status.REGISTERED)
    BoothFactory(event=event, subject=certified["Gạo nếp Khẩu Nua Lương"].subject)
    return event


def test_officer_records_a_booths_results(client_for, held):
    booth = held.booths.get(subject__name="Hợp tác xã Thiên An")
    client = client_for("huyen.bachthong")
    response = client.post(f"/promotion/booths/{booth.pk}/results/",
                           {"code": "A05", "sales": "12500000", "contracts": "3", "note": "Bán hết thổ cẩm"})
    assert response["Location"] == held.get_absolute_url()
    booth.refresh_from_db()
    assert (booth.code, booth.sales, booth.contracts) == ("A05", 12_500_000, 3)
    assert audit_trail_for(booth).get().changes["sales"] == [None, "12500000"]
    page = client.get(held.get_absolute_url()).content.decode()
    assert '<td class="text-end text-nowrap" data-testid="sales-total">12.500.000</td>' in page


def test_results_are_refused_for_a_booth_not_registered(client_for, held):
    booth = held.booths.get(subject__name="Hợp tác xã Dền Vang")
    page = client_for("huyen.bachthong").post(f"/promotion/booths/{booth.pk}/results/",
                                              {"sales": "1000000", "contracts": "1"}).content.decode()
    assert "Chỉ ghi nhận kết quả cho gian hàng đã đăng ký." in page
    booth.refresh_from_db()
    assert booth.sales is None


def test_results_are_refused_before_the_event_begins(client_for, invited):
    booth = invited.booths.get(subject__name="Hợp tác xã Thiên An")
    booth.status = Booth.Status.REGISTERED
    booth.save()
    page = client_for("huyen.bachthong").post(f"/promotion/booths/{booth.pk}/results/",
                                              {"sales": "1000000"}).content.decode()
    assert "Chỉ ghi nhận kết quả khi sự kiện đã bắt đầu." in page


@pytest.mark.parametrize("username, status", [("huyen.nari", 404), ("htx.thienan", 403), ("hoidong.1", 403)])
def test_only_officers_of_the_area_record_results(client_for, held, username, status):
    booth = held.booths.get(subject__name="Hợp tác xã Thiên An")
    assert client_for(username).post(f"/promotion/booths/{booth.pk}/results/", {"sales": "1"}).status_code == status
    booth.refresh_from_db()
    assert booth.sales is None


def test_answer_is_refused_once_results_are_recorded(client_for, held):
    booth = held.booths.get(subject__name="Hợp tác xã Thiên An")
    booth.sales = 500_000
    booth.save()
    client_for("htx.thienan").post(f"/promotion/booths/{booth.pk}/answer/", {"answer": "decline"})
    booth.refresh_from_db()
    assert booth.status == Booth.Status.REGISTERED


def test_invitation_preview_query_count_does_not_grow_with_products(client_for, products):
    event = EventFactory()
    client = client_for("huyen.bachthong")
    certify(products["An mộc nhi"], 3)
    client.get(f"/promotion/events/{event.pk}/invite/?min_star=3")
    one = count_queries(lambda: client.get(f"/promotion/events/{event.pk}/invite/?min_star=3"))
    for name in ["Phục dưỡng hoa", "Gạo nếp Khẩu Nua Lương", "Chè Bản Dao"]:
        certify(products[name], 4)
    assert one == count_queries(lambda: client.get(f"/promotion/events/{event.pk}/invite/?min_star=3"))
