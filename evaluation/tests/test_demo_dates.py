"""The demo's dates and the README's login table agree with what each login finds (issue 18): records of a past
year are dated in that year, nothing of a past year is still in progress, and every login the README names is a
demo login with the role it gives."""
import re
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from evaluation.enums import SessionStatus
from evaluation.models import Scorecard, Session
from ocop.demo import DEMO_USERS
from ocop.models import AuditEntry, Cycle
from products.models import BusinessPlan, IdeaList, ProductIdea

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_logins() -> dict[str, str]:
    """{username: the row's role column} of the README's table of demo logins."""
    table = README.read_text(encoding="utf-8").split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    logins = {}
    for row in re.findall(r"^\| (`[^|]+`) \| ([^|]+) \|", table, re.M):
        for username in re.findall(r"`([^`]+)`", row[0]):
            logins[username] = row[1].strip()
    return logins


def test_the_readme_names_every_demo_login_and_no_other():
    assert set(readme_logins()) == {username for username, *_rest in DEMO_USERS}


def test_ideas_of_past_cycles_are_dated_in_their_year(demo_full):
    this_year = timezone.localdate().year
    past = ProductIdea.objects.filter(cycle__year__lt=this_year).select_related("cycle")
    assert past.count() == 11
    for idea in past:
        year = idea.cycle.year
        dates = [idea.created_at, idea.updated_at, idea.submitted_at, idea.screened_at,
                 *AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ProductIdea),
                                            object_id=idea.pk).values_list("at", flat=True)]
        assert {timezone.localtime(d).year for d in dates if d is not None} == {year}, idea.product_name
        assert idea.procedure_on is None or idea.procedure_on.year == year
    assert {timezone.localtime(s).date().isoformat() for s in IdeaList.objects.filter(
        cycle__year__lt=this_year).values_list("sent_at", flat=True)} == {"2024-04-26", "2023-04-26"}


def test_no_session_of_a_past_year_is_still_being_scored(demo_full):
    past = list(Session.objects.filter(held_on__year__lt=timezone.localdate().year).order_by("held_on"))
    assert [(s.held_on.isoformat(), s.status) for s in past] == [
        ("2023-09-20", SessionStatus.FINALISED), ("2023-11-14", SessionStatus.FINALISED)]
    assert [timezone.localtime(s.finalised_at).date() for s in past] == [s.held_on for s in past]
    cards = Scorecard.objects.filter(evaluation__session__in=past)
    assert {timezone.localtime(c.submitted_at).date() for c in cards} == {s.held_on for s in past}
    # The council members' queue of today: the central council's sitting, held today.
    assert Session.objects.filter(council__level="central", held_on=timezone.localdate()).exists()


def test_a_past_cycle_is_not_current_and_the_plan_the_readme_names_exists(demo_full, client_for):
    assert 'data-testid="cycle-ended"' in client_for("tinh.backan").get("/").content.decode()
    plan = BusinessPlan.objects.select_related("idea").get(idea__product_name="Trà hoa vàng Thiên An")
    assert (plan.received_on.isoformat(), plan.milestones.count(), plan.support.count()) == ("2024-05-20", 2, 1)
    assert timezone.localtime(plan.created_at).date().isoformat() == "2024-05-20"
    page = client_for("huyen.bachthong").get("/products/plans/").content.decode()
    assert "Trà hoa vàng Thiên An" in page and "20/05/2024" in page
    assert Cycle.objects.get(province__code="06", year=2024).current_step == 6
