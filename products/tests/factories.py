"""Factories of the products app (they need the `demo_units` fixture: subjects sit in Vi Hương, Bạch Thông)."""
import datetime

import factory
from django.core.files.base import ContentFile

from ocop.enums import Role
from ocop.models import AdministrativeUnit, Cycle, User
from products.enums import EvidenceKind, IdeaStatus, SupportKind
from products.models import (
    BusinessPlan,
    Dossier,
    DossierDocument,
    PlanMilestone,
    Product,
    ProductIdea,
    ProductPhoto,
    ProductSet,
    SupportActivity,
)
from subjects.tests.factories import SubjectFactory

# ---------------------------------------------------------------------------------------------
# Products, business plans and dossiers
# ---------------------------------------------------------------------------------------------

# A one-page PDF small enough to write inline; its first bytes are what the upload check reads.
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
DATED_EVIDENCE = {EvidenceKind.FOOD_SAFETY_LICENCE, EvidenceKind.TEST_RESULTS}


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def backan_cycle(year: int = 2024) -> Cycle:
    """Bắc Kạn's cycle of the year (the demo's 2024 cycle when the demo data is loaded)."""
    cycle, _created = Cycle.objects.get_or_create(
        province=unit("06"), year=year, defaults={"name": f"Kế hoạch thực hiện Chương trình OCOP năm {year}"})
    return cycle


def thainguyen_cycle(year: int = 2026) -> Cycle:
    """Thái Nguyên's cycle of the year (the demo's 2026 cycle when the demo data is loaded): since 01/07/2025 it
    stands for Bắc Kạn, and the commune receives the dossiers (1489/QĐ-TTg, 26/2026/QĐ-TTg)."""
    cycle, _created = Cycle.objects.get_or_create(
        province=unit("19"), year=year, defaults={"name": f"Kế hoạch thực hiện Chương trình OCOP năm {year}"})
    return cycle


class ProductSubjectFactory(SubjectFactory):
    """A cooperative in Vi Hương (Bạch Thông)."""

    commune = factory.LazyFunction(lambda: unit("01843"))


class ProductFactory(factory.django.DjangoModelFactory):
    """A product of a new cooperative in Vi Hương (Bạch Thông), in set 7 (food) unless told otherwise."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    subject = factory.SubFactory(ProductSubjectFactory)
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(number=7))
    name = factory.Sequence(lambda n: f"Miến dong thử nghiệm {n}")
    commune = factory.LazyAttribute(lambda o: o.subject.commune)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if create and extracted:
            self.standards.set(extracted)


class ProductPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductPhoto

    product = factory.SubFactory(ProductFactory)
    file = factory.LazyFunction(lambda: ContentFile(tiny_upload("png").read(), name="photo.png"))
    caption = "Bao bì sản phẩm"


class PlanIdeaFactory(factory.django.DjangoModelFactory):
    """A selected idea of Bắc Kạn's 2024 cycle, ready for its business plan."""

    class Meta:
        model = ProductIdea

    cycle = factory.LazyFunction(backan_cycle)
    subject = factory.SubFactory(ProductSubjectFactory)
    product = None
    product_name = factory.Sequence(lambda n: f"Trà hoa vàng thử nghiệm {n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(number=12))
    commune = factory.LazyAttribute(lambda o: o.subject.commune)
    status = IdeaStatus.SELECTED


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessPlan

    idea = factory.SubFactory(PlanIdeaFactory)
    summary = "Mở rộng vùng nguyên liệu, cải tiến bao bì."
    received_on = datetime.date(2024, 5, 15)


class PlanMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanMilestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Mốc {n}")
    due_on = datetime.date(2024, 7, 31)


class PlanSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportActivity

    plan = factory.SubFactory(PlanFactory)
    kind = SupportKind.TRAINING
    description = "Tập huấn xây dựng câu chuyện sản phẩm"
    provider = "Văn phòng Điều phối nông thôn mới tỉnh"


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier being prepared for Bắc Kạn's 2024 cycle."""

    class Meta:
        model = Dossier

    product = factory.SubFactory(ProductFactory)
    cycle = factory.LazyFunction(backan_cycle)


class DossierDocumentFactory(factory.django.DjangoModelFactory):
    """A one-page PDF of evidence; a licence or test result is valid until 2099 unless told otherwise."""

    class Meta:
        model = DossierDocument

    dossier = factory.SubFactory(DossierFactory)
    kind = EvidenceKind.REGISTRATION_FORM
    file = factory.LazyFunction(lambda: ContentFile(TINY_PDF, name="evidence.pdf"))
    original_name = factory.Sequence(lambda n: f"minh-chung-{n}.pdf")
    file_type = "pdf"
    size = len(TINY_PDF)
    issued_on = factory.LazyAttribute(lambda o: datetime.date(2024, 1, 2) if o.kind in DATED_EVIDENCE else None)
    valid_until = factory.LazyAttribute(lambda o: datetime.date(2099, 12, 31) if o.kind in DATED_EVIDENCE else None)


# ---------------------------------------------------------------------------------------------
# Product ideas (step 2) and their attachments
# ---------------------------------------------------------------------------------------------
from products.models import IdeaAttachment  # noqa: E402  (this section is appended to a shared module)


class IdeaFactory(factory.django.DjangoModelFactory):
    """A complete draft idea of Bắc Kạn's 2024 cycle by a new cooperative in Vi Hương (Bạch Thông).

    It lacks only an attachment to be submitted: use IdeaAttachmentFactory(idea=...), or `attached=True`.
    """

    class Meta:
        model = ProductIdea
        skip_postgeneration_save = True

    cycle = factory.LazyFunction(backan_cycle)
    subject = factory.SubFactory(ProductSubjectFactory)
    product = None
    product_name = factory.Sequence(lambda n: f"Miến dong ý tưởng {n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(number=7))
    commune = factory.LazyAttribute(lambda o: o.subject.commune)
    raw_material_source = "Củ dong riềng trồng tại xã"
    local_material_share = 80
    market = "provincial"
    expected_star = 3
    status = IdeaStatus.DRAFT

    @factory.post_generation
    def attached(self, create, extracted, **kwargs):
        if create and extracted:
            IdeaAttachmentFactory(idea=self)


class IdeaAttachmentFactory(factory.django.DjangoModelFactory):
    """A one-page PDF attached to an idea."""

    class Meta:
        model = IdeaAttachment

    idea = factory.SubFactory(IdeaFactory)
    file = factory.LazyFunction(lambda: ContentFile(TINY_PDF, name="phieu-dang-ky.pdf"))
    original_name = factory.Sequence(lambda n: f"phieu-dang-ky-{n}.pdf")
    file_type = "pdf"
    size = len(TINY_PDF)


def tiny_upload(kind: str, name: str | None = None):
    """A real, tiny file of `kind` (pdf, jpeg, png, docx, xlsx, exe) as an upload, built in memory."""
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    if kind == "pdf":
        content = TINY_PDF
    elif kind in ("jpeg", "png"):
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (2, 2), (11, 110, 79)).save(buffer, format=kind.upper())
        content = buffer.getvalue()
    elif kind == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        content = buffer.getvalue()
    elif kind == "xlsx":
        from openpyxl import Workbook

        buffer = io.BytesIO()
        workbook = Workbook()
        workbook.active["A1"] = "Kết quả kiểm nghiệm"
        workbook.save(buffer)
        content = buffer.getvalue()
    elif kind == "exe":
        content = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."
    else:
        raise ValueError(kind)
    extension = {"jpeg": "jpg", "exe": "exe"}.get(kind, kind)
    return SimpleUploadedFile(name or f"tep.{extension}", content)


def oversized_upload(path, name: str = "ho-so-lon.pdf"):
    """A PDF one byte over the 20 MB limit, written as a sparse file (no 20 MB written or held in memory)."""
    from django.core.files import File

    from ocop.uploads import MAX_UPLOAD_BYTES

    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(MAX_UPLOAD_BYTES + 1)
    uploaded = File(open(path, "rb"), name=name)  # noqa: SIM115 - closed by the caller's test teardown
    return uploaded


def thienan_subject(representative):
    """HTX Thiên An of Vi Hương (Bạch Thông), as the demo data has it, with `representative` acting for it."""
    from subjects.enums import SubjectKind
    from subjects.models import Subject
    from subjects.services import subject_create, subject_representative_add

    subject = Subject.objects.filter(name="Hợp tác xã Thiên An").first() or subject_create(by=None, data={
        "name": "Hợp tác xã Thiên An", "kind": SubjectKind.COOPERATIVE, "tax_code": "4700601234",
        "legal_representative": "Lý Thị Quên", "commune": unit("01843")})
    subject_representative_add(subject=subject, user=representative, by=None)
    return subject


def demo_login(username: str, role: str, unit_code: str, **names) -> User:
    """The demo's login `username` when the demo data is loaded (ocop/demo.py), else a new user of that role and
    unit: the tests of Thái Nguyên's officers run with or without the demo."""
    return User.objects.filter(username=username).first() or User.objects.create_user(
        username=username, role=role, unit=unit(unit_code), **names)


def thienan_commune_officer():
    """The officer of the commune that stands today for Vi Hương, HTX Thiên An's commune: Bạch Thông commune of
    Thái Nguyên, formed on 01/07/2025 (1489/2025, 26/2026: the commune receives the dossiers); the demo's
    xa.bachthong when the demo is loaded."""
    return demo_login("xa.bachthong", Role.LOCAL_OFFICER, "19102", first_name="Hoàng Văn", last_name="Bình")


def complete_dossier(product, cycle: Cycle | None = None) -> Dossier:
    """A dossier of `cycle` (Bắc Kạn's 2024 cycle) for the product, with every required document and the
    samples."""
    from products.services.dossiers import dossier_required_kinds

    dossier = DossierFactory(product=product, cycle=cycle or backan_cycle())
    for kind in dossier_required_kinds(dossier):
        DossierDocumentFactory(dossier=dossier, kind=kind)
    dossier.samples_received_on = datetime.date(2024, 8, 20)
    dossier.save()
    return dossier
