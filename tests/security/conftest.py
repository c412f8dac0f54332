"""A world of records in three districts, built once per test session, for the security tests.

Bạch Thông ("063") and Na Rì ("066") in Bắc Kạn, Đà Bắc ("150") in Hòa Bình: each area holds a subject with a
representative, a product with a photo, ideas (sent with their list, submitted, draft), a business plan with
its document, milestone and support record, a dossier with a document, a district council with an adviser,
a finalised session with its decision and an open one with the dossier on its agenda, a certificate, a
rendering job, a notification, a file prepared in the background (its paper sheets), inspections after recognition
(the district's plan, an inspection with an open corrective action and its file, one scheduled), and trade promotion's
records (a district fair with the certified product's booth, a sales point in the subject's commune, an
e-commerce listing, a training course, the district's targets). Everything is written through the services,
on top of what `seed_demo` loads (promotion's demo aside: the matrix builds its own records there).

The world is built once and copied into each module (tests/worlds.py), inside one transaction that is rolled
back when the module ends; each test runs in a savepoint of it (pytest-django's `db`), so what a test writes
is undone after it.
"""
import datetime
import io
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

# The demo logins whose scope the matrix checks (the administrator's scope has no outside), and an officer of
# Vi Hương commune in Bạch Thông (HTX Thiên An's), whom the world adds; since 01/07/2025 the officer of Bạch Thông
# commune of Thái Nguyên (xa.bachthong, which took over Vi Hương, Phủ Thông, Sĩ Bình, Vũ Muộn and Đôn Phong) and
# the ministry's office (bo.nnmt), which sees only what the provinces nominate.
ROLES = ["tinh.backan", "huyen.bachthong", "huyen.nari", "huyen.dabac", "xa.vihuong", "xa.bachthong", "bo.nnmt",
         "hoidong.1", "htx.thienan"]
AREAS = ["bachthong", "nari", "dabac"]
OFFICER = {"bachthong": "huyen.bachthong", "nari": "huyen.nari", "dabac": "huyen.dabac"}

# Score targets of the three members of a scored session (close together: no spread to accept).
TARGETS = (66, 64, 68)


def pdf_upload(name: str = "tai-lieu.pdf") -> SimpleUploadedFile:
    from products.tests.factories import TINY_PDF

    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


def jpeg_upload(name: str = "anh.jpg") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 110, 79)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@dataclass
class World:
    media_root: str
    users: dict
    areas: dict = field(default_factory=dict)  # area -> SimpleNamespace of its records
    sheet: object = None

    def client(self, username: str | None = None, **kwargs) -> Client:
        """A test client, logged in as `username` (anonymous when None)."""
        client = Client(**kwargs)
        if username:
            client.force_login(self.users[username])
        return client


def _user(username, role, unit=None):
    from ocop.models import User

    return User.objects.create(username=username, role=role, unit=unit, email=f"{username}@example.vn",
                               first_name="Kiểm", last_name=f"Thử {username}")


def new_idea(*, cycle, subject, name, commune, by):
    """A complete draft idea of set 7 (food) with a photo attached."""
    from products.models import ProductSet
    from products.services.ideas import idea_register

    return idea_register(
        cycle=cycle, subject=subject, product_name=name, product_set=ProductSet.objects.get(number=7),
        commune=commune, raw_material_source="Nguyên liệu của các hộ trong xã", local_material_share=80,
        market="provincial", expected_star=3, support_needed="Thiết kế bao bì", attachments=[jpeg_upload()],
        submit=False, by=by).idea


def _recognising_council(*, cycle, unit, area, district, product, decision_number, by):
    """A district council with three new members (chair, member, secretary) whose finalised session
    recognised the product, and its decision."""
    from evaluation.demo import _answer_near
    from evaluation.enums import EvaluationLevel, MemberRole
    from evaluation.services.councils import council_create, council_member_add, session_assign, session_create
    from evaluation.services.results import decision_issue, session_finalise
    from evaluation.services.scoring import scorecard_submit
    from ocop.enums import Role

    council = council_create(cycle=cycle, level=EvaluationLevel.DISTRICT, unit=unit, by=by,
                             name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện {district} năm 2023",
                             established_by="Quyết định thành lập Hội đồng")
    members = []
    for number, role in enumerate([MemberRole.CHAIR, MemberRole.MEMBER, MemberRole.SECRETARY], start=1):
        user = _user(f"hoidong.{area}.{number}", Role.COUNCIL_MEMBER, unit=unit)
        members.append(council_member_add(council=council, user=user, role=role, by=by))
    session = session_create(council=council, held_on=datetime.date(2023, 9, 25), place="Hội trường", by=None)
    evaluation = session_assign(session=session, product=product, by=None)
    for member, target in zip(members, TARGETS, strict=True):
        card = evaluation.scorecards.get(member=member)
        _answer_near(card, target, member.user)
        scorecard_submit(scorecard=card, by=member.user)
    session_finalise(session=session, by=members[0].user)
    decision = decision_issue(session=session, number=decision_number, signed_on=datetime.date(2023, 10, 10),
                              signer=f"Chủ tịch UBND huyện {district}", by=None)
    return council, [m.user for m in members], session, decision


def _area(*, officer, subject, product, sent_idea, idea_list, submitted_idea, draft_idea, council,
          chair, scorer, final_session, decision, certificate, unit, cycle, dossier_cycle, rep_username,
          open_held_on):
    """The records of one area that the matrix needs besides those given."""
    from certificates.tasks import render_job_start
    from evaluation.enums import EvaluationKind
    from evaluation.services.councils import adviser_add, session_assign, session_create
    from ocop.enums import Role
    from ocop.models import AdministrativeUnit
    from ocop.services import notify
    from products.enums import EvidenceKind, SupportKind
    from products.services.catalog import (
        business_plan_create,
        plan_milestone_save,
        product_photos_add,
        support_activity_save,
    )
    from products.services.dossiers import dossier_create, dossier_documents_add
    from subjects.services import subject_representative_add

    rep = _user(rep_username, Role.SUBJECT_REP)
    link = subject_representative_add(subject=subject, user=rep, position="Giám đốc", by=None)
    photo = product_photos_add(product=product, files=[jpeg_upload()], caption="Bao bì", by=officer)[0]
    plan = business_plan_create(idea=sent_idea, summary="Mở rộng vùng nguyên liệu", by=officer,
                                received_on=datetime.date(2024, 5, 15), document=pdf_upload("phuong-an.pdf"))
    milestone = plan_milestone_save(plan=plan, title="Hoàn thiện bao bì", due_on=datetime.date(2024, 7, 31),
                                    done_on=None, by=officer)
    support = support_activity_save(plan=plan, kind=SupportKind.TRAINING, description="Tập huấn câu chuyện sản phẩm",
                                    by=officer)
    dossier = dossier_create(product=product, cycle=dossier_cycle, by=officer)
    document = dossier_documents_add(dossier=dossier, kind=EvidenceKind.REGISTRATION_FORM,
                                     files=[pdf_upload("phieu-dang-ky.pdf")], by=officer)[0]
    adviser = adviser_add(council=council, name="Chuyên gia tư vấn", agency="Sở Nông nghiệp", by=officer)
    open_session = session_create(council=council, held_on=open_held_on, place="Hội trường", by=None)
    # A product holding the area's certificate comes back as an upgrade, not a first rating.
    kind = EvaluationKind.UPGRADE if certificate.product_id == product.pk else EvaluationKind.FIRST
    evaluation = session_assign(session=open_session, product=product, dossier=dossier, kind=kind, by=None)
    scorecard = evaluation.scorecards.get(member__user=scorer)
    member = council.members.exclude(user__in=[chair, scorer]).first()
    job = render_job_start(certificate_ids=[], decision=decision, by=None)
    notification = notify([officer], kind="security.test", title="Thông báo kiểm thử", url="/")[0]
    file_job = _file_job(officer=officer, session=open_session)
    promotion = _promotion(officer=officer, unit=AdministrativeUnit.objects.get(code=unit), subject=subject,
                           product=product, certificate=certificate)
    # Of the area's subject, whose representative sends the evidence (Na Rì's certificate is Hương Ngàn's, Tài Hoan's
    # is its 5★ miến dong).
    inspected = certificate if certificate.subject_id == subject.pk else subject.certificates.order_by("issued_on")[0]
    inspections = _inspections(officer=officer, unit=AdministrativeUnit.objects.get(code=unit), certificate=inspected)
    return SimpleNamespace(
        officer=officer.username, chair=chair.username, scorer=scorer.username,
        subject=subject, link=link, product=product, photo=photo,
        idea=sent_idea, idea_list=idea_list, attachment=sent_idea.attachments.first(),
        submitted_idea=submitted_idea, draft_idea=draft_idea, draft_attachment=draft_idea.attachments.first(),
        plan=plan, milestone=milestone, support=support, dossier=dossier, document=document,
        council=council, member=member, adviser=adviser, session=open_session, scorecard=scorecard,
        final_session=final_session, final_evaluation=final_session.evaluations.order_by("pk").first(),
        decision=decision,
        certificate=certificate, job=job,
        unit=unit, cycle=cycle, notification=notification, file_job=file_job, **promotion,
        rep=rep.username, **inspections,
    )


def _file_job(*, officer, session):
    """The paper score sheets of the area's open session, prepared in the background for its officer."""
    from django.core.files.base import ContentFile

    from evaluation.documents import PAPER_SHEETS
    from ocop.enums import FileJobStatus
    from ocop.models import FileJob
    from products.tests.factories import TINY_PDF

    job = FileJob.objects.create(kind=PAPER_SHEETS, params={"session": session.pk, "member": None},
                                 requested_by=officer, status=FileJobStatus.DONE, done=1, total=1,
                                 filename="phieu-cham.pdf")
    job.file.save("phieu-cham.pdf", ContentFile(TINY_PDF))
    return job


def _promotion(*, officer, unit, subject, product, certificate) -> dict:
    """Trade promotion's records of one area: a fair the district organises (open next month) with the
    certified product's booth, a sales point in the subject's commune carrying it, its listing on an
    e-commerce platform, a training course the subject attended."""
    from django.utils import timezone

    from promotion.services import booths_invite, event_save, listing_add, sales_point_save, training_save

    start = timezone.localdate() + datetime.timedelta(days=30)
    event = event_save(by=officer, data={
        "name": f"Hội chợ OCOP {unit.name}", "kind": "fair", "unit": unit, "organiser": f"UBND {unit.name}",
        "place": "Trung tâm huyện", "starts_on": start, "ends_on": start + datetime.timedelta(days=3),
        "budget": None, "description": ""})
    # Invitations take products with a certificate in force; the 2023 certificates were, the day they issued.
    booth = booths_invite(event=event, products=[certificate.product], by=officer, today=certificate.issued_on)[0]
    sales_point = sales_point_save(by=officer, products=[product], data={
        "name": f"Điểm bán OCOP {subject.name}", "is_centre": False, "commune": subject.commune,
        "address": "Chợ trung tâm xã", "operator": "", "phone": "", "opened_on": None, "closed_on": None})
    listing = listing_add(product=product, url=f"https://postmart.vn/san-pham/{product.pk}", by=officer)
    training = training_save(by=officer, subjects=[subject], data={
        "topic": "Tập huấn xây dựng câu chuyện sản phẩm", "unit": unit, "held_on": datetime.date(2024, 3, 12),
        "place": "Hội trường UBND huyện", "participants_count": 30, "participants": ""})
    return {"event": event, "booth": booth, "sales_point": sales_point, "listing": listing, "training": training}


def _inspections(*, officer, unit, certificate) -> dict:
    """Inspections after recognition of one area: the district's plan of 2024, an inspection of its subject's
    certificate with a corrective action still open (and a file of its findings), and one scheduled in 2024 whose
    result was never recorded (written as it stood: the service schedules only after today, and the certificate has
    ended)."""
    from certificates.inspections import inspection_plan_save, inspection_record
    from certificates.models import Inspection

    plan = inspection_plan_save(unit=unit, year=2024, title=f"Kế hoạch kiểm tra sau công nhận {unit.name} 2024",
                                by=officer)
    conform = {area: (True, "") for area in ("quality", "traceability", "mark", "production")}
    inspection = inspection_record(
        certificate=certificate, plan=plan, inspected_on=datetime.date(2024, 7, 10),
        inspectors="Đoàn kiểm tra huyện", checks={**conform, "labelling": (False, "Thiếu hạn sử dụng")},
        verdict="corrective", findings="Nhãn thiếu hạn sử dụng", corrective_action="In lại nhãn",
        corrective_deadline=datetime.date(2024, 8, 10), files=[pdf_upload("bien-ban-kiem-tra.pdf")], by=officer)
    scheduled = Inspection.objects.create(certificate=certificate, plan=plan, planned_on=datetime.date(2024, 9, 20),
                                          inspectors="Đoàn kiểm tra huyện", created_by=officer)
    return {"inspection_plan": plan, "inspection": inspection, "scheduled_inspection": scheduled,
            "inspection_file": inspection.files.get()}


def build_world(media_root) -> World:
    from certificates.models import Certificate
    from certificates.services import certificate_register, certificates_issue_for_decision
    from evaluation.enums import EvaluationLevel
    from evaluation.models import Council, CycleRegulation, Decision, Regulation, ScoreSheet, Session
    from ocop.enums import Role
    from ocop.models import AdministrativeUnit, Cycle, User
    from ocop.registry import demo_loaders
    from ocop.services import round_create
    from products.models import IdeaList, Product, ProductIdea
    from products.services.ideas import idea_select, idea_submit, ideas_send
    from subjects.models import Subject

    for loader in demo_loaders(heavy=True):
        if not loader.__module__.startswith("promotion"):
            loader(lambda text: None)
    users = {u.username: u for u in User.objects.select_related("unit")}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=["06", "063", "066", "17", "150"])}
    backan_2023 = Cycle.objects.get(province=units["06"], year=2023)
    backan_2024 = Cycle.objects.get(province=units["06"], year=2024)
    hoabinh_2023 = Cycle.objects.get(province=units["17"], year=2023)
    CycleRegulation.objects.get_or_create(cycle=hoabinh_2023,
                                          defaults={"regulation": Regulation.objects.get(code="148/QĐ-TTg")})
    world = World(media_root=str(media_root), users=users, sheet=ScoreSheet.objects.order_by("pk").first())
    _user("xa.vihuong", Role.LOCAL_OFFICER, unit=AdministrativeUnit.objects.get(code="01843"))
    for username, role, code in (("xa.bachthong", Role.LOCAL_OFFICER, "19102"),
                                 ("bo.nnmt", Role.MINISTRY_STAFF, "BNNMT")):
        if not User.objects.filter(username=username).exists():  # the demo's logins of 2026, else the world's
            _user(username, role, unit=AdministrativeUnit.objects.get(code=code))

    # Bạch Thông: HTX Dền Vang (not the demo representative's HTX Thiên An), the demo district council.
    bachthong = users["huyen.bachthong"]
    den_vang = Subject.objects.get(name="Hợp tác xã Dền Vang")
    district_council = Council.objects.get(level=EvaluationLevel.DISTRICT, unit=units["063"])
    world.areas["bachthong"] = _area(
        officer=bachthong, subject=den_vang,
        product=Product.objects.get(name="Gạo nếp Khẩu Nua Lương"),
        sent_idea=ProductIdea.objects.get(product_name="Bánh gio Dền Vang"),
        idea_list=IdeaList.objects.get(unit=units["063"]),
        submitted_idea=ProductIdea.objects.get(product_name="Rượu men lá Hợp Giang"),
        draft_idea=ProductIdea.objects.get(product_name="Mật ong bạc hà An Bình"),
        council=district_council, chair=users["hoidong.1"], scorer=users["hoidong.2"],
        final_session=Session.objects.get(council=district_council, status="finalised"),
        decision=Decision.objects.get(number="1568/QĐ-UBND"),
        certificate=Certificate.objects.get(product__name="Gạo nếp Khẩu Nua Lương", decision__number="1568/QĐ-UBND"),
        unit="063", cycle=backan_2024, dossier_cycle=backan_2024, rep_username="daidien.denvang",
        open_held_on=datetime.date(2023, 12, 5))

    # Na Rì: HTX Tài Hoan's miến dong, Hương Ngàn's idea sent as Na Rì's list, a new district council.
    nari = users["huyen.nari"]
    tai_hoan = Subject.objects.get(name="Hợp tác xã Tài Hoan")
    mien_dong = Product.objects.get(name="Miến dong Tài Hoan")
    que = idea_select(idea=ProductIdea.objects.get(product_name="Tinh dầu quế Hương Ngàn"), by=nari)
    nari_list = ideas_send(ideas=[que], by=nari, note="Danh sách ý tưởng huyện Na Rì")
    submitted = idea_submit(idea=new_idea(cycle=backan_2024, subject=tai_hoan, name="Bánh đa Tài Hoan",
                                          commune=tai_hoan.commune, by=nari), by=nari)
    draft = new_idea(cycle=backan_2024, subject=tai_hoan, name="Miến dong ý tưởng Tài Hoan",
                     commune=tai_hoan.commune, by=nari)
    council, members, final, decision = _recognising_council(
        cycle=backan_2023, unit=units["066"], area="nari", district="Na Rì", product=mien_dong,
        decision_number="1601/QĐ-UBND", by=nari)
    huong_ngan = Product.objects.get(name="Tinh dầu sả chanh Hương Ngàn")
    certificate = certificate_register(
        product=huong_ngan, star=3, number="005/2023/GCN-066", decision_number="1601/QĐ-UBND",
        decision_date=datetime.date(2023, 10, 10), signer="Chủ tịch UBND huyện Na Rì", level=EvaluationLevel.DISTRICT,
        issued_on=datetime.date(2023, 10, 10), issuing_unit=units["066"], by=None, render=False)
    world.areas["nari"] = _area(
        officer=nari, subject=tai_hoan, product=mien_dong, sent_idea=que, idea_list=nari_list,
        submitted_idea=submitted, draft_idea=draft, council=council, chair=members[0], scorer=members[1],
        final_session=final, decision=decision, certificate=certificate, unit="066", cycle=None,
        dossier_cycle=backan_2024, rep_username="daidien.taihoan", open_held_on=datetime.date(2023, 12, 5))

    # Đà Bắc (Hòa Bình): Bàn Văn Sơn's măng khô becomes a product; a district council recognises it.
    dabac = users["huyen.dabac"]
    son = Subject.objects.get(name="Hộ kinh doanh Bàn Văn Sơn")
    mang = ProductIdea.objects.get(product_name="Măng khô Toàn Sơn")
    product = mang.product  # created when the idea was selected
    draft = new_idea(cycle=hoabinh_2023, subject=son, name="Măng chua Toàn Sơn", commune=son.commune, by=dabac)
    council, members, final, decision = _recognising_council(
        cycle=hoabinh_2023, unit=units["150"], area="dabac", district="Đà Bắc", product=product,
        decision_number="2105/QĐ-UBND", by=dabac)
    certificate = certificates_issue_for_decision(decision=decision, by=None, render=False)[0]
    world.areas["dabac"] = _area(
        officer=dabac, subject=son, product=product, sent_idea=mang,
        idea_list=IdeaList.objects.get(unit=units["150"]),
        submitted_idea=ProductIdea.objects.get(product_name="Gà sơ chế Tâm Cương"), draft_idea=draft,
        council=council, chair=members[0], scorer=members[1], final_session=final, decision=decision,
        certificate=certificate, unit="150", cycle=hoabinh_2023, dossier_cycle=hoabinh_2023,
        rep_username="daidien.toanson", open_held_on=datetime.date(2023, 12, 6))
    # Who manages each area's cycle (Na Rì shares Bắc Kạn's, which Bạch Thông's rows already use), and a round of
    # each cycle: Bắc Kạn 2024's of the demo, one added to Hòa Bình 2023 (before its sessions' days: it holds none).
    hoabinh_round = round_create(cycle=hoabinh_2023, number=1, name="Đợt 1 năm 2023", by=None,
                                 starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 6, 30))
    for area, manager, round_ in (("bachthong", "tinh.backan", backan_2024.rounds.get(number=1)),
                                  ("nari", None, None), ("dabac", "admin", hoabinh_round)):
        world.areas[area].cycle_manager = manager
        world.areas[area].round = round_
    world.users = {u.username: u for u in User.objects.select_related("unit")}
    return world


def _build_world(media_root) -> World:
    from ocop.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with translation.override("vi"):
            return build_world(media_root)
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture(scope="module")
def _world(worlds, django_db_blocker):
    """The security world, built once per session through the services and copied into each module
    (tests/worlds.py); its changes are rolled back when the module ends."""
    with django_db_blocker.unblock(), worlds.entered("security", _build_world) as world:
        yield world.value


@pytest.fixture
def world(_world, db, settings):
    """The module's world, with this test's settings pointing at its stored files."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = _world.media_root
    yield _world
    cache.clear()  # the public pages' request counts (ocop/throttle.py): none left for the next test
