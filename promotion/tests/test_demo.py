"""The demo data of trade promotion: seed 002's fair and trainees, seed 003's targets, loaded once."""
from django.apps import apps

from promotion import demo
from promotion.models import Booth, Listing, PromotionEvent, SalesPoint, Target, TrainingEvent


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_holds_the_ba_be_fair_with_its_12_booths(demo_full):
    fair = PromotionEvent.objects.get(name__contains="Hồ Ba Bể")
    assert (fair.unit.code, fair.starts_on.isoformat(), fair.ends_on.isoformat()) == ("06", "2019-04-30", "2019-05-01")
    booths = fair.booths.select_related("subject__commune")
    assert booths.count() == 12
    assert {b.status for b in booths} == {Booth.Status.REGISTERED}
    assert all(b.subject.commune.path.startswith("06/") for b in booths)


def test_demo_holds_the_295_trainees_of_seed_002(demo_full):
    assert sum(TrainingEvent.objects.values_list("participants_count", flat=True)) == 295


def test_demo_holds_backan_2024_targets_of_plan_180(demo_full):
    targets = {t.metric: t.planned for t in Target.objects.filter(unit__code="06", year=2024)}
    assert targets == {"new_3_star": 20, "traceability": 20, "value_chains": 25}
    assert set(Target.objects.filter(year=2024).values_list("reference", flat=True)) == {"180/KH-UBND ngày 22/3/2024"}


def test_demo_invites_thien_an_to_the_district_fair_and_holds_a_sales_point_and_listings(demo_full, client_for):
    district_fair = PromotionEvent.objects.get(unit__code="063")
    assert set(district_fair.booths.values_list("subject__name", "status")) >= {("Hợp tác xã Thiên An", "invited")}
    assert "Phiên chợ sản phẩm OCOP huyện Bạch Thông" in client_for("htx.thienan").get("/").content.decode()
    assert SalesPoint.objects.get().products.count() == 6
    assert sorted(Listing.objects.values_list("platform", flat=True)) == ["Postmart", "Postmart", "Voso"]


def test_demo_loaded_twice_changes_nothing(demo_full):
    first = row_counts()
    demo.load(lambda text: None)
    assert row_counts() == first
