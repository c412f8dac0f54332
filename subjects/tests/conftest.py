"""Fixtures of the subjects tests: the demo units and logins, and helpers to read the pages."""
import re

import pytest

from ocop.models import AdministrativeUnit
from subjects.models import Subject
from subjects.tests.factories import SubjectFactory, SubjectRepresentativeFactory


@pytest.fixture
def unit(users):
    """unit("01843") is the demo unit with that code."""
    return lambda code: AdministrativeUnit.objects.get(code=code)


@pytest.fixture
def thien_an(users, unit):
    """HTX Thiên An in Vi Hương (Bạch Thông), represented by htx.thienan: the demo's, or made here."""
    subject = Subject.objects.filter(name="Hợp tác xã Thiên An", commune__code="01843").first()
    if subject is None:
        subject = SubjectFactory(name="Hợp tác xã Thiên An", tax_code="4700601234",
                                 legal_representative="Lý Thị Quên", commune=unit("01843"))
    if not subject.representative_links.filter(user=users["htx.thienan"]).exists():
        SubjectRepresentativeFactory(subject=subject, user=users["htx.thienan"])
    return subject


@pytest.fixture
def bachthong_and_nari(users, unit):
    """Two test subjects, one per district, named so that "kiem thu" finds exactly them."""
    return (
        SubjectFactory(name="Hợp tác xã Kiểm thử Bạch Thông", commune=unit("01846")),
        SubjectFactory(name="Hợp tác xã Kiểm thử Na Rì", commune=unit("01966")),
    )


ROW_NAME = re.compile(r'<td><a href="/subjects/\d+/">([^<]*)</a></td>')


def listed_names(html: str) -> list[str]:
    """The subject names in the list table, in order."""
    return ROW_NAME.findall(html)
