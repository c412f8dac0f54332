"""The demo's Thái Nguyên 2026 (issue 16, item 4): its planned provincial session sits in the second round."""
import datetime

from ..models import Session


def test_demo_thai_nguyen_session_of_08_12_2026_is_in_the_second_round(demo_full):
    session = Session.objects.select_related("round").get(
        council__cycle__province__code="19", council__cycle__year=2026, held_on=datetime.date(2026, 12, 8))
    assert session.status == "planned"
    assert (session.round.number, session.round.name) == (2, "Đợt 2 năm 2026")
