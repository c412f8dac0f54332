#!/usr/bin/env python
"""Benchmark: the pages of each role on national data, and the Django admin changelists as a baseline.

Runs against the database DATABASE_URL names, which `python manage.py seed_scale` has filled (this script
does not build data: seeding the national volume takes minutes). It logs in (force_login) as the seeded
users of province S01 (its staff, a commune officer, a council member, and a cooperative representative it
links if none exists) and times each page through Django's test client: median and 95th percentile of
server time over repeated requests, and the number of queries of the last request.

    DATABASE_URL=postgres://.../ocop_scale python bench/pages.py [--requests 20] [--json bench/pages.json]

Targets (issue 7): every page median under 50 ms and p95 under 150 ms; session results under 200 ms; an
autosave under 50 ms; query counts that do not grow with the data.
"""
import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings

    # Public pages are throttled per address; the benchmark is one address asking many times.
    settings.OCOP_VERIFY_RATE = settings.OCOP_CATALOG_RATE = settings.OCOP_API_RATE = 10**9
    settings.ALLOWED_HOSTS = ["*"]


def timed(client, method, url, n, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = client.post if method == "POST" else client.get
    response = call(url, data) if data else call(url)  # warm-up
    assert response.status_code in (200, 302), (url, response.status_code)
    times = []
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = call(url, data) if data else call(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(round(0.95 * n)) - 1)], 1), "queries": len(ctx.captured_queries)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    setup()
    from django.test import Client

    from certificates.models import Certificate
    from evaluation.enums import ScorecardStatus, SessionStatus
    from evaluation.models import Evaluation, Scorecard, Session
    from ocop.enums import Role
    from ocop.models import User
    from subjects.models import SubjectRepresentative

    staff = User.objects.filter(username="scale.tinh.S01").first()
    if staff is None:
        sys.exit("No national data here: run `python manage.py seed_scale` on this database first.")
    officer = User.objects.filter(username__startswith="scale.xa.S01").order_by("username").first()
    card = (Scorecard.objects.filter(member__user__username__startswith="scale.hd.S01", status=ScorecardStatus.OPEN)
            .select_related("member__user", "evaluation__sheet").first())
    member = card.member.user if card else User.objects.get(username="scale.hd.S01.1")
    session = Session.objects.filter(council__unit=staff.unit).order_by("-held_on").first()
    certificate = Certificate.objects.filter(subject__commune__parent=staff.unit).select_related("subject").first()
    rep, _created = User.objects.get_or_create(username="scale.rep.S01", defaults={"role": Role.SUBJECT_REP,
                                                                                   "password": "!scale"})
    SubjectRepresentative.objects.get_or_create(subject=certificate.subject, user=rep)
    # A finalised result of the province below 5★, for its subject's roadmap (the representative acts for it too).
    result = (Evaluation.objects.filter(session__council__unit=staff.unit, session__status=SessionStatus.FINALISED,
                                        recognised_star__lt=5).select_related("product").order_by("-pk").first())
    if result is not None:
        SubjectRepresentative.objects.get_or_create(subject_id=result.product.subject_id, user=rep)
    admin, _created = User.objects.get_or_create(username="scale.admin", defaults={
        "role": Role.ADMIN, "is_staff": True, "is_superuser": True, "password": "!scale"})

    def client_for(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    pages = [
        ("officer: idea list", officer, "GET", "/products/ideas/", None),
        ("officer: idea search", officer, "GET", "/products/ideas/?q=mien dong", None),
        ("province: idea lists", staff, "GET", "/products/ideas/lists/", None),
        ("province: subjects", staff, "GET", "/subjects/", None),
        ("province: products", staff, "GET", "/products/", None),
        ("province: certificates", staff, "GET", "/certificates/", None),
        ("province: dashboard", staff, "GET", "/dashboard/", None),
        ("member: queue", member, "GET", "/evaluation/", None),
        ("member: scoring page", member, "GET", f"/evaluation/score/{card.pk}/" if card else None, None),
        ("province: session results", staff, "GET", f"/evaluation/sessions/{session.pk}/results/", None),
        ("province: closest to next star", staff, "GET", "/evaluation/upgrades/", None),
        ("province: closest, every gap", staff, "GET", "/evaluation/upgrades/?within=", None),
        ("cooperative: certificates", rep, "GET", "/certificates/", None),
        ("cooperative: product results", rep, "GET", f"/products/{result.product_id}/" if result else None, None),
        ("cooperative: roadmap", rep, "GET", f"/evaluation/evaluations/{result.pk}/roadmap/" if result else None,
         None),
        ("public: verification", None, "GET", f"/verify/{certificate.number}/", None),
        ("public: catalogue search", None, "GET", "/catalog/?q=mien dong", None),
        ("public: API products", None, "GET", "/api/v1/products/?q=mien dong", None),
        ("admin: ideas changelist", admin, "GET", "/admin/products/productidea/", None),
        ("admin: certificates changelist", admin, "GET", "/admin/certificates/certificate/", None),
        ("admin: subjects changelist", admin, "GET", "/admin/subjects/subject/", None),
    ]
    if card is not None:
        criterion = card.evaluation.sheet.criteria.order_by("position").first()
        option = criterion.options.order_by("-position").first()
        pages.append(("member: autosave", member, "POST", f"/evaluation/score/{card.pk}/save/",
                      {"criterion": criterion.pk, "option": option.pk}))
    results = {}
    for label, user, method, url, data in pages:
        if url is None:
            continue
        figures = timed(client_for(user), method, url, args.requests, data)
        results[label] = figures
        print(f"{label:<32}: median {figures['median_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  "
              f"queries {figures['queries']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
