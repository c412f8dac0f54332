"""Product sets, products, product ideas and their screening, business plans and dossiers."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.models import AdministrativeUnit, Cycle
from ocop.text import fold
from ocop.validators import validate_name
from subjects.models import Subject

from .enums import DossierStatus, EvidenceKind, IdeaStatus, MarketScope, StarChoice, SupportKind

TOURISM_SET_NUMBER = 26


@deconstructible
class private_upload_to:  # noqa: N801 - used like a function in field definitions
    """Uploads are stored under an unguessable name in a private folder; the original name is kept
    in the database and given back on download."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"private/{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.folder == self.folder


class ProductSet(models.Model):
    """One of the 26 product sets (bộ sản phẩm), each with its own score sheet."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    sector = models.CharField(_("sector"), max_length=120)
    group = models.CharField(_("group"), max_length=120)
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])

    class Meta:
        verbose_name = _("product set")
        verbose_name_plural = _("product sets")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def is_tourism(self) -> bool:
        return self.number == TOURISM_SET_NUMBER


class Standard(models.Model):
    """A quality or production standard a product may hold (VietGAP, organic, ISO 22000, HACCP...)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(models.Model):
    """A product of a subject, followed across cycles (ideas, evaluations, stars, certificates)."""

    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="products")
    product_set = models.ForeignKey(ProductSet, verbose_name=_("product set"), on_delete=models.PROTECT,
                                    related_name="products")
    name = models.CharField(_("product name"), max_length=255, validators=[validate_name])
    description = models.TextField(_("description"), blank=True)
    commune = models.ForeignKey(AdministrativeUnit, verbose_name=_("place of production"), on_delete=models.PROTECT,
                                related_name="products")
    standards = models.ManyToManyField(Standard, verbose_name=_("standards held"), blank=True, related_name="products")
    has_traceability = models.BooleanField(_("traceability"), default=False)
    traceability_method = models.CharField(_("how it is traced"), max_length=255, blank=True)
    # The day of the first finalised provincial session that nominated it to the central level (5★): from then the
    # ministry's office sees it, its dossier and its results. Kept by the evaluation app's finalisation
    # (evaluation.services.results.product_nominations_refresh), derived from the evaluations.
    nominated_central_on = models.DateField(_("nominated to the central level on"), null=True, blank=True,
                                            editable=False)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        indexes = [models.Index(fields=["commune", "name"], name="product_commune_name_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("products:detail", args=[self.pk])


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=private_upload_to("products"))
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self):
        return self.caption or self.file.name


class IdeaList(models.Model):
    """The list of selected ideas an area sends to the province in one action."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="idea_lists")
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("sent by unit"), on_delete=models.PROTECT,
                             related_name="idea_lists")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("list of selected ideas")
        verbose_name_plural = _("lists of selected ideas")
        ordering = ["-sent_at"]

    def __str__(self):
        sent_on = timezone.localtime(self.sent_at).strftime("%d/%m/%Y")  # Vietnam's day, not UTC's
        return _("%(unit)s, sent %(date)s") % {"unit": self.unit, "date": sent_on}


def _set_procedure_day(record, save_kwargs: dict) -> None:
    """A submitted idea or dossier without its procedure day gets the one of its submission (Cycle.procedure_day):
    the services set it; a record saved otherwise (an import, a fixture) follows the same rule."""
    if record.submitted_at is not None and record.procedure_on is None and record.cycle_id:
        record.procedure_on = record.cycle.procedure_day(timezone.localdate(record.submitted_at))
        if save_kwargs.get("update_fields") is not None:
            save_kwargs["update_fields"] = {*save_kwargs["update_fields"], "procedure_on"}


class ProductIdea(models.Model):
    """A product idea registration form (phiếu đăng ký ý tưởng sản phẩm) and its screening."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="ideas")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="ideas")
    product = models.ForeignKey(Product, verbose_name=_("existing product"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="ideas")
    product_name = models.CharField(_("product name"), max_length=255, validators=[validate_name])
    product_set = models.ForeignKey(ProductSet, verbose_name=_("product set"), on_delete=models.PROTECT,
                                    related_name="ideas")
    commune = models.ForeignKey(AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="ideas")
    raw_material_source = models.TextField(_("raw-material source"), blank=True)
    local_material_share = models.PositiveSmallIntegerField(
        _("share of raw material from the locality (%)"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    market = models.CharField(_("main market"), max_length=20, choices=MarketScope.choices, blank=True)
    market_notes = models.CharField(_("market details"), max_length=500, blank=True)
    standards = models.ManyToManyField(Standard, verbose_name=_("current standards"), blank=True, related_name="ideas")
    support_needed = models.TextField(_("support needed"), blank=True)
    expected_star = models.PositiveSmallIntegerField(_("expected star"), choices=StarChoice.choices, null=True,
                                                     blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT,
                              db_index=True)
    status_reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The day whose units and procedure the record follows, set when it is submitted (Cycle.procedure_day): who
    # screens or receives it (a district under 148, the commune since 01/07/2025).
    procedure_on = models.DateField(_("procedure day"), null=True, blank=True, editable=False)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("screened by"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    sent_list = models.ForeignKey(IdeaList, verbose_name=_("sent in list"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="ideas")
    search_text = models.TextField(editable=False, default="")
    # Optimistic locking: a save from a form opened before somebody else's save is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                   on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product idea")
        verbose_name_plural = _("product ideas")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["cycle", "status"], name="idea_cycle_status_idx"),
            models.Index(fields=["commune", "status"], name="idea_commune_status_idx"),
        ]

    def __str__(self):
        return self.product_name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.product_name, getattr(self.subject, "name", "") or ""]))
        _set_procedure_day(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("products:idea-detail", args=[self.pk])


class IdeaAttachment(models.Model):
    """A photo or document attached to an idea."""

    idea = models.ForeignKey(ProductIdea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=private_upload_to("ideas"))
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.file_type in ("jpeg", "png")


class BusinessPlan(models.Model):
    """The business plan (phương án sản xuất kinh doanh) of a selected idea, steps 3 and 4."""

    idea = models.OneToOneField(ProductIdea, verbose_name=_("idea"), on_delete=models.CASCADE,
                                related_name="business_plan")
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(pgettext_lazy("the business plan's own file", "plan document"),
                                upload_to=private_upload_to("plans"), blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")

    def __str__(self):
        return _("Business plan: %(idea)s") % {"idea": self.idea}

    def get_absolute_url(self):
        return reverse("products:plan-detail", args=[self.pk])


class PlanMilestone(models.Model):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=255)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class SupportActivity(models.Model):
    """Support received while implementing the plan: training, consulting, packaging, standards."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    description = models.CharField(_("description"), max_length=500)
    provider = models.CharField(_("provided by"), max_length=255, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("support received")
        verbose_name_plural = _("support received")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="support_dates",
            ),
        ]

    def __str__(self):
        return self.description


class DossierList(models.Model):
    """The list of checked dossiers a commune (a district under 148) sends to the province in one action."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="dossier_lists")
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("sent by unit"), on_delete=models.PROTECT,
                             related_name="dossier_lists")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("list of checked dossiers")
        verbose_name_plural = _("lists of checked dossiers")
        ordering = ["-sent_at"]

    def __str__(self):
        sent_on = timezone.localtime(self.sent_at).strftime("%d/%m/%Y")  # Vietnam's day, not UTC's
        return _("%(unit)s, sent %(date)s") % {"unit": self.unit, "date": sent_on}


class Dossier(models.Model):
    """The evidence a product brings to its evaluation in a cycle (hồ sơ sản phẩm)."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="dossiers")
    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="dossiers")
    idea = models.ForeignKey(ProductIdea, verbose_name=_("idea"), on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="dossiers")
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    samples_received_on = models.DateField(_("samples received on"), null=True, blank=True,
                                           help_text=_("Five product samples; not needed for tourism services."))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The day whose units and procedure the record follows, set when it is submitted (Cycle.procedure_day): who
    # screens or receives it (a district under 148, the commune since 01/07/2025).
    procedure_on = models.DateField(_("procedure day"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    # The commune's check (the district's under 148): the reason of the last return (the history keeps the
    # earlier ones), and who found it complete and when.
    status_reason = models.TextField(_("reason"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    sent_list = models.ForeignKey(DossierList, verbose_name=_("sent in list"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="dossiers")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["product", "cycle"], name="dossier_unique_product_cycle")]

    def __str__(self):
        return _("Dossier: %(product)s (%(year)s)") % {"product": self.product, "year": self.cycle.year}

    def save(self, *args, **kwargs):
        _set_procedure_day(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("products:dossier-detail", args=[self.pk])


class DossierDocument(models.Model):
    """One evidence item of a dossier; licences and test results carry their validity."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of evidence"), max_length=30, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=private_upload_to("dossiers"))
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["kind", "uploaded_at", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="dossier_doc_kind_idx")]

    def __str__(self):
        return self.title or self.original_name
