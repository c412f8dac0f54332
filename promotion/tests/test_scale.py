"""seed_scale writes consistent national-shape data (here at a small scale) and refuses to run twice."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from certificates.models import Certificate
from evaluation.models import CriterionScore, Evaluation, Scorecard
from ocop.models import AdministrativeUnit
from products.models import ProductIdea


def test_seed_scale_small(db):
    out = io.StringIO()
    call_command("seed_scale", "--provinces", "3", "--years", "2", "--scale", "0.02", stdout=out)
    assert "criterion_scores=" in out.getvalue()
    provinces = AdministrativeUnit.objects.filter(code__startswith="S", kind="province")
    assert provinces.count() == 3
    old = AdministrativeUnit.objects.filter(code__startswith="S", valid_to="2025-06-30", kind="commune")
    assert old.exists() and not old.filter(merged_into__isnull=True).exists()
    # The standing paths bulk_create cannot derive are written as save() would (scope through merges).
    units = list(AdministrativeUnit.objects.filter(code__startswith="S").select_related("parent", "merged_into"))
    assert all(u.standing_path == u.compute_standing_path() for u in units)
    assert {u.standing_path for u in units if u.kind == "district"} <= {p.path for p in provinces}
    # Every evaluation has one scorecard per member, and every submitted card answers every criterion.
    assert set(Evaluation.objects.annotate(n=Count("scorecards")).values_list("n", flat=True)) == {7}
    card = Scorecard.objects.filter(status="submitted").select_related("evaluation__sheet").first()
    assert CriterionScore.objects.filter(scorecard=card).count() == card.evaluation.sheet.criteria.count() == 35
    statuses = set(Certificate.objects.with_status(on=timezone.localdate()).values_list("status", flat=True))
    assert {"valid", "expired"} <= statuses
    assert ProductIdea.objects.values("status").distinct().count() >= 5
    with pytest.raises(CommandError, match="already run"):
        call_command("seed_scale", "--provinces", "3", "--scale", "0.02", stdout=io.StringIO())
