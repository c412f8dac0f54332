"""Django admin of every promotion model: the list and a record's page open for an administrator."""
import pytest
from django.urls import reverse

from promotion.models import Booth, Listing, PromotionEvent, SalesPoint, Target, TrainingEvent, ValueChainLink

from .factories import BoothFactory, EventFactory, SalesPointFactory, TrainingFactory, unit


@pytest.fixture
def records(products):
    event = EventFactory(name="Hội chợ trong admin")
    booth = BoothFactory(event=event, subject=products["An mộc nhi"].subject, status=Booth.Status.REGISTERED)
    return {
        PromotionEvent: event, Booth: booth, SalesPoint: SalesPointFactory(name="Điểm bán trong admin"),
        Listing: Listing.objects.create(product=products["Chè Bản Dao"], platform="Voso", url="https://voso.vn/x"),
        TrainingEvent: TrainingFactory(topic="Tập huấn trong admin"),
        Target: Target.objects.create(unit=unit("06"), year=2024, metric="new_3_star", planned=20),
        ValueChainLink: ValueChainLink.objects.create(subject=products["Chè Bản Dao"].subject, year=2024,
                                                      partner="Công ty chè Thái Nguyên"),
    }


@pytest.mark.parametrize("model", [PromotionEvent, Booth, SalesPoint, Listing, TrainingEvent, Target, ValueChainLink])
def test_admin_lists_and_opens_every_promotion_model(client_for, records, model):
    client = client_for("admin")
    opts = model._meta
    listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?q=a")
    assert listing.status_code == 200
    record = records[model]
    change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
    assert change.status_code == 200 and str(record) in change.content.decode()


def test_admin_shows_a_booths_status_by_its_interface_label(client_for, records):
    page = client_for("admin").get(reverse("admin:promotion_booth_changelist")).content.decode()
    assert "Đã đăng ký" in page
