"""Factories of the promotion app (they need the demo units: events default to Bạch Thông district)."""
import datetime

import factory
from django.utils import timezone

from certificates.services import certificate_register
from evaluation.enums import EvaluationLevel
from ocop.models import AdministrativeUnit
from ocop.selectors import unit_successor
from promotion.enums import EventKind
from promotion.models import Booth, PromotionEvent, SalesPoint, TrainingEvent


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


class EventFactory(factory.django.DjangoModelFactory):
    """A fair of Bạch Thông district a month from today."""

    class Meta:
        model = PromotionEvent

    name = factory.Sequence(lambda n: f"Hội chợ thử nghiệm {n}")
    kind = EventKind.FAIR
    unit = factory.LazyFunction(lambda: unit("063"))
    organiser = "UBND huyện Bạch Thông"
    place = "Thị trấn Phủ Thông"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=2))


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    event = factory.SubFactory(EventFactory)
    status = Booth.Status.INVITED


class SalesPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesPoint

    name = factory.Sequence(lambda n: f"Điểm bán thử nghiệm {n}")
    commune = factory.LazyFunction(lambda: unit("01840"))
    address = "Tổ 1"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEvent

    topic = factory.Sequence(lambda n: f"Tập huấn thử nghiệm {n}")
    unit = factory.LazyFunction(lambda: unit("063"))
    held_on = datetime.date(2024, 5, 15)
    participants_count = 30


_numbers = iter(range(1, 10_000))


def certify(product, star: int = 3, issued_on: datetime.date | None = None):
    """A certificate for `product` issued by Bắc Kạn province (by Thái Nguyên, which it was merged into, from
    01/07/2025), or for 5★ by the ministry (today by default: in force)."""
    issued_on = issued_on or timezone.localdate()
    province = None if star == 5 else unit_successor(unit("06"), on=issued_on)
    return certificate_register(
        product=product, star=star, number=f"{next(_numbers):03d}/TEST/GCN-{province.code if province else 'TW'}",
        decision_number="1/QĐ-UBND", decision_date=issued_on, signer="Chủ tịch UBND tỉnh",
        level=EvaluationLevel.PROVINCE if province else EvaluationLevel.CENTRAL, issued_on=issued_on,
        issuing_unit=province, by=None, render=False)
