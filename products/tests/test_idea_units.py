"""Product ideas take the commune that exists on their day (issue 16, item 1): an idea of Thái Nguyên's 2026 cycle
names the commune Văn Lang was merged into, an idea of Bắc Kạn's 2024 cycle keeps Văn Lang, and an idea keeps the
commune it was registered in when it is changed later."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from ocop.enums import Role
from ocop.models import Cycle
from ocop.tests.factories import UserFactory
from products.forms.ideas import IdeaForm
from products.models import IdeaList, ProductIdea, ProductSet
from products.services.ideas import idea_register
from subjects.tests.factories import SubjectFactory

MERGED = "Xã Văn Lang đã sáp nhập vào Xã Côn Minh từ 01/07/2025; hãy chọn Xã Côn Minh."


@pytest.fixture
def cycles(demo_units):
    return {
        2024: Cycle.objects.create(province=demo_units["06"], year=2024, name="OCOP Bắc Kạn 2024"),
        2026: Cycle.objects.create(province=demo_units["19"], year=2026, name="OCOP Thái Nguyên 2026"),
    }


def register(*, cycle, commune, idea=None, name="Miến dong Văn Lang"):
    subject = idea.subject if idea else SubjectFactory(commune=commune)
    return idea_register(idea=idea, version=idea.version if idea else None, cycle=cycle, subject=subject,
                         product_name=name, product_set=ProductSet.objects.get(number=7), commune=commune,
                         submit=False, by=None).idea


def test_idea_of_2026_in_a_merged_commune_is_refused_naming_its_successor(demo_units, cycles):
    with pytest.raises(ValidationError) as refused:
        register(cycle=cycles[2026], commune=demo_units["01972"])
    assert refused.value.message_dict == {"commune": [MERGED]}
    assert not ProductIdea.objects.exists()


def test_idea_of_2026_in_the_successor_commune_is_registered(demo_units, cycles):
    idea = register(cycle=cycles[2026], commune=demo_units["19111"])
    assert (idea.commune.name, idea.cycle.year) == ("Côn Minh", 2026)


def test_idea_of_2024_keeps_its_commune_and_keeps_it_when_changed_later(demo_units, cycles):
    idea = register(cycle=cycles[2024], commune=demo_units["01972"])
    changed = register(cycle=cycles[2024], commune=demo_units["01972"], idea=idea, name="Miến dong Văn Lang loại 1")
    assert (changed.product_name, changed.commune.code, changed.version) == ("Miến dong Văn Lang loại 1", "01972", 2)


def test_idea_moved_to_the_2026_cycle_is_refused_naming_its_communes_successor(demo_units, cycles):
    idea = register(cycle=cycles[2024], commune=demo_units["01972"])
    with pytest.raises(ValidationError) as refused:
        register(cycle=cycles[2026], commune=demo_units["01972"], idea=idea)
    assert refused.value.message_dict == {"commune": [MERGED]}
    idea.refresh_from_db()
    assert (idea.cycle.year, idea.version) == (2024, 1)


def test_idea_form_offers_the_communes_of_the_latest_cycles_day(demo_units, cycles):
    admin = UserFactory(username="quantri", role=Role.ADMIN, is_superuser=True)
    offered = {str(value) for value, _label in IdeaForm(user=admin).fields["commune"].choices if value}
    assert str(demo_units["19111"].pk) in offered and str(demo_units["01972"].pk) not in offered

    idea = register(cycle=cycles[2024], commune=demo_units["01972"])
    offered = {str(value) for value, _label in IdeaForm(user=admin, instance=idea).fields["commune"].choices if value}
    assert str(demo_units["01972"].pk) in offered and str(demo_units["01975"].pk) in offered  # 2024: Bắc Kạn's


def test_a_list_sent_early_on_1_july_is_named_by_vietnams_date(demo_units):
    sent = datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 06:30 on 01/07/2025 in Hà Nội
    assert str(IdeaList(unit=demo_units["063"], sent_at=sent)).endswith("01/07/2025")
