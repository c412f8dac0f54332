"""Factories for units, users and cycles."""
import factory

from ocop.enums import Role, UnitKind
from ocop.models import AdministrativeUnit, Cycle, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.PROVINCE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COUNCIL_MEMBER
    password = factory.django.Password("ocop-demo")


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    province = factory.SubFactory(UnitFactory)
    year = 2025
    name = factory.LazyAttribute(lambda o: f"OCOP {o.year} {o.province.name}")
