"""Factories for subjects and the accounts that act for them."""
import factory

from ocop.enums import Role, UnitKind
from ocop.tests.factories import UnitFactory, UserFactory
from subjects.enums import SubjectKind
from subjects.models import Subject, SubjectRepresentative


class CommuneFactory(UnitFactory):
    """A commune directly under a new province (the two-tier layout), for tests without demo units."""

    kind = UnitKind.COMMUNE
    parent = factory.SubFactory(UnitFactory)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    name = factory.Sequence(lambda n: f"Hợp tác xã Kiểm thử {n}")
    kind = SubjectKind.COOPERATIVE
    # 99xxxxxxxx: outside the demo data's tax codes (47..., 06..., 54...).
    tax_code = factory.Sequence(lambda n: f"99{n:08d}")
    legal_representative = "Nguyễn Văn Thử"
    commune = factory.SubFactory(CommuneFactory)


class RepresentativeUserFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    role = Role.SUBJECT_REP
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:  # keep the password set by UserFactory's post-generation hook
            instance.save(update_fields=["password"])


class SubjectRepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectRepresentative

    subject = factory.SubFactory(SubjectFactory)
    user = factory.SubFactory(RepresentativeUserFactory)
    position = "Giám đốc"
