"""Every URL that shows, downloads or changes one record refuses every role outside the record's scope.

The matrix below names each such URL; the completeness test walks the URL configuration, so that a record URL
added later without a row here (or a reason in ALLOWED) fails until someone decides how it is scoped.

For each row and each demo role, the test requests the row's record in every area the role must not reach
(403 or 404, never the record, never an error); an anonymous visitor is sent to the login page; and the
area's own official (or the owner, or the chair) gets the page, so that a refusal is never only a wrong
fixture.
"""
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import AREAS, OFFICER, ROLES


@dataclass(frozen=True)
class Row:
    method: str  # "get" or "post" (an empty POST: the refusal must come before any form is read)
    family: str  # whose scope the record follows: see VISIBLE
    kwargs: Callable  # (area records, world) -> URL arguments
    control: str = "officer"  # an attribute of the area naming who may use the URL, or a username
    expected: int = 200  # what the control gets


# Who among ROLES may reach each area's record of a family (administrators reach everything). Bạch Thông's
# records lie in other communes than Vi Hương, HTX Thiên An's: neither xa.vihuong nor htx.thienan reaches them.
_AREA = {"bachthong": {"tinh.backan", "huyen.bachthong"}, "nari": {"tinh.backan", "huyen.nari"},
         "dabac": {"huyen.dabac"}}
VISIBLE = {
    # Subjects, products, ideas, lists, plans, dossiers, certificates, units: the area's officials.
    "area": _AREA,
    # Councils, sessions, decisions, rendering jobs: the area's officials and the councils' members
    # (hoidong.1 chairs Bạch Thông's district council, not Na Rì's or Đà Bắc's).
    "council": {**_AREA, "bachthong": _AREA["bachthong"] | {"hoidong.1"}},
    # A province's cycles: every official of the province, and of the province that took it over (Thái Nguyên).
    "cycle": {"bachthong": {"tinh.backan", "huyen.bachthong", "huyen.nari", "xa.vihuong", "xa.bachthong"},
              "dabac": {"huyen.dabac"}},
    # A scorecard: its member only (hoidong.2, or the members of the new councils): nobody in ROLES.
    "scorecard": {area: set() for area in AREAS},
    # A notification: its recipient, the area's officer.
    "notification": {area: {OFFICER[area]} for area in AREAS},
    # A file prepared in the background: its requester, the area's officer.
    "requester": {area: {OFFICER[area]} for area in AREAS},
    # Score sheets are national reference data: officials and council members.
    "sheet": {"national": set(ROLES) - {"htx.thienan"}},
}
FAMILY_AREAS = {"cycle": ["bachthong", "dabac"], "sheet": ["national"]}
# Records an officer of a commune formed on 01/07/2025 reaches through the commune it took over: Bạch Thông's draft
# idea is HTX An Bình's of Phủ Thông, merged into Bạch Thông commune (xa.bachthong). His other rows are refused.
THROUGH_MERGES = {(name, "bachthong"): {"xa.bachthong"} for name in (
    "products:idea-edit", "products:idea-submit", "products:idea-attachment-remove")}

# The ministry's office reads the results of the products the provinces nominated to it: Na Rì's finalised session
# rated the miến dong, nominated to the central level.
THROUGH_NOMINATION_NAMES = (
    "evaluation:evaluation-detail", "evaluation:evaluation-roadmap", "evaluation:evaluation-roadmap-pdf",
    # and the product's page, photo, dossier and documents (to read: it opens, uploads, submits or deletes nothing)
    "products:detail", "products:photo", "products:dossier-detail", "products:dossier-document")
THROUGH_NOMINATION = {(name, "nari"): {"bo.nnmt"} for name in THROUGH_NOMINATION_NAMES}
# The ministry's office, which alone revokes the central level's certificates, reads (records nothing of) their
# inspections: Na Rì's inspected certificate is Tài Hoan's 5★ miến dong.
THROUGH_CENTRAL_LEVEL_NAMES = ("certificates:inspection-detail", "certificates:inspection-file")
THROUGH_CENTRAL_LEVEL = {(name, "nari"): {"bo.nnmt"} for name in THROUGH_CENTRAL_LEVEL_NAMES}


def visible(name: str, row, area: str) -> set:
    return (VISIBLE[row.family][area] | THROUGH_MERGES.get((name, area), set())
            | THROUGH_NOMINATION.get((name, area), set()) | THROUGH_CENTRAL_LEVEL.get((name, area), set()))


def areas_of(row: Row) -> list[str]:
    return FAMILY_AREAS.get(row.family, AREAS)


def pk(attr):
    return lambda a, w: {"pk": getattr(a, attr).pk}


G, P = "get", "post"
MATRIX = {
    # ocop
    "cycle-detail": Row(G, "cycle", pk("cycle")),
    "cycle-edit": Row(G, "cycle", pk("cycle"), control="cycle_manager"),
    "cycle-set-step": Row(P, "cycle", pk("cycle"), control="cycle_manager", expected=302),
    "cycle-step-edit": Row(G, "cycle", lambda a, w: {"pk": a.cycle.pk, "step": 1}, control="cycle_manager"),
    "round-create": Row(G, "cycle", pk("cycle"), control="cycle_manager"),
    "round-edit": Row(G, "cycle", pk("round"), control="cycle_manager"),
    "round-delete": Row(P, "cycle", pk("round"), control="cycle_manager", expected=302),
    "unit-detail": Row(G, "area", lambda a, w: {"code": a.unit}),
    "notification-read": Row(P, "notification", pk("notification"), expected=302),
    # subjects
    "subjects:detail": Row(G, "area", pk("subject")),
    "subjects:edit": Row(G, "area", pk("subject")),
    "subjects:representatives": Row(G, "area", pk("subject")),
    "subjects:representative-remove": Row(P, "area", lambda a, w: {"pk": a.subject.pk, "link_pk": a.link.pk},
                                          expected=302),
    # products: ideas and lists
    "products:idea-detail": Row(G, "area", pk("idea")),
    "products:idea-edit": Row(G, "area", pk("draft_idea")),
    "products:idea-submit": Row(P, "area", pk("draft_idea"), expected=302),
    "products:idea-select": Row(P, "area", pk("submitted_idea"), expected=302),
    "products:idea-return": Row(P, "area", pk("submitted_idea")),  # the reason is required: the form again
    "products:idea-reject": Row(P, "area", pk("submitted_idea")),
    "products:idea-attachment": Row(G, "area", pk("attachment")),
    "products:idea-attachment-remove": Row(P, "area", pk("draft_attachment"), expected=302),
    "products:idea-list-detail": Row(G, "area", pk("idea_list")),
    # products: products and photos
    "products:detail": Row(G, "area", pk("product")),
    "products:edit": Row(G, "area", pk("product")),
    "products:photos": Row(G, "area", pk("product")),
    "products:photo": Row(G, "area", pk("photo")),
    # products: business plans
    "products:plan-create": Row(G, "area", lambda a, w: {"idea_pk": a.idea.pk}, expected=302),  # to its plan
    "products:plan-detail": Row(G, "area", pk("plan")),
    "products:plan-edit": Row(G, "area", pk("plan")),
    "products:plan-document": Row(G, "area", pk("plan")),
    "products:plan-product-create": Row(P, "area", pk("plan"), expected=302),
    "products:milestone-create": Row(G, "area", lambda a, w: {"plan_pk": a.plan.pk}),
    "products:milestone-edit": Row(G, "area", pk("milestone")),
    "products:milestone-delete": Row(P, "area", pk("milestone"), expected=302),
    "products:support-create": Row(G, "area", lambda a, w: {"plan_pk": a.plan.pk}),
    "products:support-edit": Row(G, "area", pk("support")),
    "products:support-delete": Row(P, "area", pk("support"), expected=302),
    # products: dossiers
    "products:dossier-create": Row(G, "area", lambda a, w: {"product_pk": a.product.pk}),
    "products:dossier-detail": Row(G, "area", pk("dossier")),
    "products:dossier-upload": Row(P, "area", pk("dossier")),  # no file: the page with the form's error
    "products:dossier-samples": Row(P, "area", pk("dossier"), expected=302),
    "products:dossier-submit": Row(P, "area", pk("dossier")),  # incomplete: the page with what is missing
    # a draft: its commune's (or district's) officer is told it cannot be returned or checked yet
    "products:dossier-return": Row(P, "area", pk("dossier"), expected=302),
    "products:dossier-check": Row(P, "area", pk("dossier"), expected=302),
    "evaluation:dossier-preassessment": Row(G, "area", pk("dossier")),  # a draft: read-only, says when
    "products:dossier-document": Row(G, "area", pk("document")),
    "products:dossier-document-delete": Row(P, "area", pk("document"), expected=302),
    # evaluation: a member's scoring
    "evaluation:score": Row(G, "scorecard", pk("scorecard"), control="scorer"),
    "evaluation:score-save": Row(P, "scorecard", pk("scorecard"), control="scorer", expected=400),
    "evaluation:score-note": Row(P, "scorecard", pk("scorecard"), control="scorer", expected=400),
    "evaluation:score-submit": Row(P, "scorecard", pk("scorecard"), control="scorer"),  # incomplete
    "evaluation:score-conflict": Row(P, "scorecard", pk("scorecard"), control="scorer"),  # reason required
    "evaluation:score-document": Row(G, "scorecard", lambda a, w: {"pk": a.scorecard.pk,
                                                                   "document_pk": a.document.pk},
                                     control="scorer"),
    # evaluation: councils and sessions
    "evaluation:council-detail": Row(G, "council", pk("council")),
    "evaluation:council-member-add": Row(P, "council", pk("council")),  # empty form: the page again
    "evaluation:council-member-remove": Row(P, "council", pk("member"), expected=302),
    "evaluation:council-adviser-add": Row(P, "council", pk("council")),
    "evaluation:council-adviser-remove": Row(P, "council", pk("adviser"), expected=302),
    "evaluation:session-create": Row(P, "council", pk("council")),
    "evaluation:session-detail": Row(G, "council", pk("session")),
    "evaluation:session-assign": Row(P, "council", pk("session")),
    "evaluation:session-present": Row(P, "council", pk("session"), expected=302),
    "evaluation:scorecard-reopen": Row(P, "council", pk("scorecard"), control="chair"),
    "evaluation:sheet-detail": Row(G, "sheet", lambda a, w: {"pk": w.sheet.pk}, control="tinh.backan"),
    "evaluation:sheet-download": Row(G, "sheet", lambda a, w: {"pk": w.sheet.pk, "fmt": "xlsx"},
                                     control="tinh.backan"),
    # evaluation: results, minutes, paper path, decisions
    "evaluation:session-results": Row(G, "council", pk("session")),
    "evaluation:session-results-xlsx": Row(G, "council", pk("session")),
    "evaluation:session-finalise": Row(P, "council", pk("session"), control="chair"),  # not all submitted
    "evaluation:session-minutes-pdf": Row(G, "council", pk("final_session")),
    "evaluation:decision-create": Row(G, "council", pk("final_session")),
    # A member's own sheet comes at once; all of a session's are a file prepared in the background (file-job).
    "evaluation:session-paper-sheets": Row(G, "council", pk("session"), control="scorer"),
    "evaluation:session-paper-template": Row(G, "council", pk("session")),
    "evaluation:session-paper-import": Row(G, "council", pk("session")),
    "evaluation:decision-detail": Row(G, "council", pk("decision")),
    "evaluation:decision-pdf": Row(G, "council", pk("decision")),
    # evaluation: a product's result after its session, and its roadmap to the next star (the product's area, the
    # council's members)
    "evaluation:evaluation-detail": Row(G, "council", pk("final_evaluation")),
    "evaluation:evaluation-roadmap": Row(G, "council", pk("final_evaluation")),
    "evaluation:evaluation-roadmap-pdf": Row(G, "council", pk("final_evaluation")),
    # certificates
    "certificates:detail": Row(G, "area", pk("certificate")),
    "certificates:pdf": Row(G, "area", pk("certificate")),
    "certificates:revoke": Row(P, "area", pk("certificate"), expected=302),
    "certificates:renew": Row(P, "area", pk("certificate"), expected=302),
    "certificates:decision-issue": Row(P, "council", pk("decision"), expected=302),
    "certificates:job-progress": Row(G, "council", pk("job")),
    # certificates: inspections after recognition (the holder's area; the holder's representative sends evidence)
    "certificates:inspection-record": Row(G, "area", pk("certificate")),
    "certificates:inspection-schedule": Row(G, "area", pk("certificate")),
    "certificates:inspection-detail": Row(G, "area", pk("inspection")),
    "certificates:inspection-result": Row(G, "area", pk("scheduled_inspection")),
    "certificates:inspection-evidence": Row(P, "area", pk("inspection"), control="rep"),  # no file: the page again
    "certificates:inspection-close": Row(P, "area", pk("inspection")),  # no evidence and no note: the page again
    "certificates:inspection-file": Row(G, "area", pk("inspection_file")),
    "certificates:inspection-plan-detail": Row(G, "area", pk("inspection_plan")),
    "certificates:inspection-plan-edit": Row(G, "area", pk("inspection_plan")),
    "certificates:plan-inspection-record": Row(G, "area", pk("inspection_plan")),
    "certificates:plan-inspection-schedule": Row(G, "area", pk("inspection_plan")),
    # files prepared in the background (ocop/views/jobs.py)
    "file-job": Row(G, "requester", pk("file_job")),
    "file-job-progress": Row(G, "requester", pk("file_job")),
    "file-job-download": Row(G, "requester", pk("file_job")),
    # promotion: events and booths, sales points and listings, training, targets
    "promotion:event-detail": Row(G, "area", pk("event")),
    "promotion:event-edit": Row(G, "area", pk("event")),
    "promotion:event-delete": Row(P, "area", pk("event"), expected=302),
    "promotion:event-invite": Row(G, "area", pk("event")),
    "promotion:booth-answer": Row(P, "area", pk("booth"), expected=400),  # no answer given
    "promotion:booth-results": Row(G, "area", pk("booth")),
    "promotion:salespoint-detail": Row(G, "area", pk("sales_point")),
    "promotion:salespoint-edit": Row(G, "area", pk("sales_point")),
    "promotion:product-listings": Row(G, "area", pk("product")),
    "promotion:listing-remove": Row(P, "area", pk("listing"), expected=302),
    "promotion:training-edit": Row(G, "area", pk("training")),
    "promotion:target-edit": Row(G, "area", lambda a, w: {"code": a.unit, "year": 2026}),
}

# Record URLs outside the matrix, each with the reason.
ALLOWED = {
    "password_reset_confirm": "the link of the password-reset email: Django checks its signed token",
    "catalog-product": "public catalogue of certified products (no login by design; promotion's tests)",
    "catalog-photo": "a catalogue product's photo, public while the product holds a certificate in force (no login by "
                     "design; promotion's tests/test_public_home.py)",
    "api-certificate": "public read-only API: a certificate's public fields, as on the verification page",
    "verify": "public verification page the certificate's QR code opens (throttled; certificates' tests)",
}
ALLOWED_NAMESPACES = {
    "admin": "Django admin: staff only (test_admin_refuses_every_role_but_the_administrator below)",
}


def record_patterns(patterns=None, prefix="", namespace=""):
    """(full name, route) of every URL pattern that takes an argument (a record's key, a number, a code)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from record_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groups:
            name = ":".join(filter(None, [namespace, pattern.name or ""]))
            yield name, prefix + str(pattern.pattern)


def url_for(name: str, world, area: str) -> str:
    row = MATRIX[name]
    return reverse(name, kwargs=row.kwargs(world.areas.get(area), world))


def request(client, row: Row, url: str):
    return client.get(url) if row.method == G else client.post(url, {})


def _outside_pairs():
    for name, row in MATRIX.items():
        for role in ROLES:
            if any(role not in visible(name, row, area) for area in areas_of(row)):
                yield pytest.param(name, role, id=f"{name}-{role}")


# ---------------------------------------------------------------------------------------------
# The matrix covers every record URL
# ---------------------------------------------------------------------------------------------


def test_every_record_url_is_in_the_matrix_or_allowed_with_a_reason():
    found = {name: route for name, route in record_patterns()
             if name.split(":")[0] not in ALLOWED_NAMESPACES}
    missing = {name: route for name, route in found.items() if name not in MATRIX and name not in ALLOWED}
    assert missing == {}, "add these record URLs to MATRIX (or to ALLOWED with a reason)"
    stale = sorted((set(MATRIX) | set(ALLOWED)) - set(found))
    assert stale == []


def test_a_record_url_added_without_a_row_would_be_reported():
    from django.urls import path

    extra = [path("things/<int:pk>/", lambda request, pk: None, name="thing-detail")]
    assert list(record_patterns(extra, "x/")) == [("thing-detail", "x/things/<int:pk>/")]


# ---------------------------------------------------------------------------------------------
# Every role outside a record's scope is refused
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "role"), list(_outside_pairs()))
def test_record_outside_the_role_scope_is_refused(world, name, role):
    row = MATRIX[name]
    client = world.client(role)
    statuses = {}
    for area in areas_of(row):
        if role not in visible(name, row, area):
            url = url_for(name, world, area)
            statuses[url] = request(client, row, url).status_code
    assert statuses and all(status in (403, 404) for status in statuses.values()), statuses


@pytest.mark.parametrize("name", list(MATRIX))
def test_anonymous_visitor_is_sent_to_the_login_page(world, name):
    row = MATRIX[name]
    url = url_for(name, world, areas_of(row)[0])
    response = request(world.client(), row, url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", list(MATRIX))
def test_who_the_record_belongs_to_gets_it(world, name):
    """The control: the URL and its records are right, so that the refusals above mean something."""
    row = MATRIX[name]
    statuses = {}
    for area in areas_of(row):
        records = world.areas.get(area)
        username = getattr(records, row.control, None) or row.control
        url = url_for(name, world, area)
        statuses[(username, url)] = request(world.client(username), row, url).status_code
    assert set(statuses.values()) == {row.expected}, statuses


# ---------------------------------------------------------------------------------------------
# Django admin and the admin-only pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_admin_refuses_every_role_but_the_administrator(world, role):
    subject = world.areas["bachthong"].subject
    client = world.client(role)
    for url in ("/admin/", f"/admin/subjects/subject/{subject.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    assert world.client("admin").get(f"/admin/subjects/subject/{subject.pk}/change/").status_code == 200


# ---------------------------------------------------------------------------------------------
# Records named in query strings and posted forms stay within the scope too
# ---------------------------------------------------------------------------------------------

QUERY_LOOKUPS = {
    # name: (URL with Na Rì's record in its query string, what the page shows of it)
    "idea form: a subject's products": (lambda w: reverse("products:idea-subject-products")
                                        + f"?subject={w.areas['nari'].subject.pk}", "Miến dong Tài Hoan"),
    "subject search": (lambda w: reverse("subjects:search") + "?q=Tai Hoan", "Hợp tác xã Tài Hoan"),
    "idea form: subject search": (lambda w: reverse("products:idea-subject-search") + "?subject_search=Tai Hoan",
                                  "Hợp tác xã Tài Hoan"),
    "certificates of a unit": (lambda w: reverse("certificates:list") + "?unit=066", "005/2023/GCN-066"),
    "ideas of a unit": (lambda w: reverse("products:idea-list") + "?unit=066", "Bánh đa Tài Hoan"),
}


@pytest.mark.parametrize("lookup", list(QUERY_LOOKUPS))
def test_record_named_in_the_query_string_is_not_shown_outside_the_scope(world, lookup):
    url, shown = QUERY_LOOKUPS[lookup]
    url = url(world)
    assert shown in world.client("huyen.nari").get(url).content.decode()  # the control: Na Rì's officer
    outside = world.client("huyen.bachthong").get(url)
    assert outside.status_code == 200 and shown not in outside.content.decode()


def test_province_lists_of_another_province_cycle_are_not_shown(world):
    dabac = world.areas["dabac"]
    url = reverse("products:province-lists") + f"?cycle={dabac.cycle.pk}"
    assert "Măng khô Toàn Sơn" not in world.client("tinh.backan").get(url).content.decode()


def test_member_cannot_open_a_document_of_another_dossier_through_his_scorecard(world):
    records = world.areas["bachthong"]
    client = world.client(records.scorer)
    own = reverse("evaluation:score-document", args=[records.scorecard.pk, records.document.pk])
    other = reverse("evaluation:score-document", args=[records.scorecard.pk, world.areas["nari"].document.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404


def test_paper_sheets_of_a_member_of_another_council_are_refused(world):
    url = reverse("evaluation:session-paper-sheets", args=[world.areas["bachthong"].session.pk])
    other_member = world.areas["nari"].council.members.first()
    assert world.client("huyen.bachthong").get(url + f"?member={other_member.pk}").status_code == 404


def test_session_agenda_refuses_a_product_or_dossier_of_another_area(world):
    from evaluation.models import Evaluation

    records, nari = world.areas["bachthong"], world.areas["nari"]
    url = reverse("evaluation:session-assign", args=[records.session.pk])
    client = world.client("huyen.bachthong")
    before = Evaluation.objects.filter(session=records.session).count()
    assert client.post(url, {"product": nari.product.pk, "kind": "first"}).status_code == 404
    refused = client.post(url, {"dossiers": [nari.dossier.pk], "kind": "first"})
    assert refused.status_code == 200 and "dossiers" in refused.context["assign_form"].errors
    assert Evaluation.objects.filter(session=records.session).count() == before


def test_council_takes_no_member_from_another_province(world):
    from evaluation.models import CouncilMember

    council = world.areas["dabac"].council
    response = world.client("huyen.dabac").post(
        reverse("evaluation:council-member-add", args=[council.pk]),
        {"user": world.users["hoidong.1"].pk, "role": "member"})
    assert response.status_code == 200 and "user" in response.context["member_form"].errors
    assert not CouncilMember.objects.filter(council=council, user__username="hoidong.1").exists()


def test_sales_point_takes_no_commune_or_product_of_another_area(world):
    from promotion.models import SalesPoint

    nari = world.areas["nari"]
    response = world.client("huyen.bachthong").post(reverse("promotion:salespoint-create"), {
        "name": "Điểm bán thử", "commune": nari.subject.commune.pk, "address": "Chợ",
        "products": [nari.product.pk]})
    assert response.status_code == 200
    assert {"commune", "products"} <= set(response.context["form"].errors)
    assert not SalesPoint.objects.filter(name="Điểm bán thử").exists()


def test_event_and_training_take_no_unit_or_subject_of_another_area(world):
    from promotion.models import PromotionEvent, TrainingEvent

    nari = world.areas["nari"]
    client = world.client("huyen.bachthong")
    response = client.post(reverse("promotion:event-create"), {
        "name": "Hội chợ thử", "kind": "fair", "unit": nari.event.unit_id, "organiser": "UBND",
        "starts_on": "2027-01-10", "ends_on": "2027-01-12"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = client.post(reverse("promotion:training-create"), {
        "topic": "Tập huấn thử", "unit": world.areas["bachthong"].event.unit_id, "held_on": "2026-03-01",
        "participants_count": 5, "subjects": [nari.subject.pk]})
    assert response.status_code == 200 and "subjects" in response.context["form"].errors
    assert not PromotionEvent.objects.filter(name="Hội chợ thử").exists()
    assert not TrainingEvent.objects.filter(topic="Tập huấn thử").exists()


def test_invitations_list_only_the_certified_products_of_the_officer_area(world):
    """The invitation filter runs over the officer's area: another area's unit is no choice, and the
    candidates never include another area's products."""
    bachthong, nari = world.areas["bachthong"], world.areas["nari"]
    url = reverse("promotion:event-invite", args=[bachthong.event.pk])
    response = world.client("huyen.bachthong").get(url, {"min_star": 3, "unit": nari.event.unit_id})
    assert response.status_code == 200
    assert response.context["groups"] == [] and "unit" in response.context["form"].errors


def test_the_commune_officer_of_2026_reaches_what_his_commune_took_over(world):
    """The control of THROUGH_MERGES and of the cycle family: what xa.bachthong is not refused, he gets."""
    client = world.client("xa.bachthong")
    for name in ("products:idea-edit", "cycle-detail"):
        assert request(client, MATRIX[name], url_for(name, world, "bachthong")).status_code == 200, name


def test_the_ministry_reads_the_results_of_a_product_nominated_to_it(world):
    """The control of THROUGH_NOMINATION: Na Rì's miến dong was nominated to the central level; the ministry's office
    reads its result and roadmap, and no result of Bạch Thông's (nothing nominated there)."""
    client = world.client("bo.nnmt")
    for name in THROUGH_NOMINATION_NAMES:
        assert request(client, MATRIX[name], url_for(name, world, "nari")).status_code == 200, name
        assert request(client, MATRIX[name], url_for(name, world, "bachthong")).status_code == 404, name


def test_the_ministry_reads_the_inspections_of_a_central_certificate_only(world):
    """The control of THROUGH_CENTRAL_LEVEL: the ministry's office opens the inspection of Na Rì's 5★ miến dong and
    its file, no inspection of Bạch Thông's (a district's certificate)."""
    client = world.client("bo.nnmt")
    for name in THROUGH_CENTRAL_LEVEL_NAMES:
        assert request(client, MATRIX[name], url_for(name, world, "nari")).status_code == 200, name
        assert request(client, MATRIX[name], url_for(name, world, "bachthong")).status_code == 404, name


def test_bulk_screening_takes_no_idea_of_another_area(world):
    """Ideas ticked for bulk screening are named in the posted form: another district's submitted idea is refused
    and stays as it was; the control, that district's own officer, gets the confirmation page listing it."""
    from products.models import ProductIdea

    nari = world.areas["nari"].submitted_idea
    data = {"ideas": [nari.pk], "action": "select", "confirmed": "1"}
    refused = world.client("huyen.bachthong").post(reverse("products:idea-bulk-screen"), data)
    assert refused.status_code == 200 and "ideas" in refused.context["form"].errors
    assert ProductIdea.objects.get(pk=nari.pk).status == nari.status == "submitted"
    control = world.client("huyen.nari").post(reverse("products:idea-bulk-screen"), {**data, "confirmed": ""})
    assert nari.product_name in control.content.decode() and control.context["form"].is_valid()
