"""Trade promotion (fairs, booths, sales points, e-commerce listings), training, and the targets a unit sets
itself for a year."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ocop.models import AdministrativeUnit
from ocop.text import fold
from ocop.validators import validate_name, within_integer_column
from products.models import Product
from subjects.models import Subject

from .enums import BoothStatus, EventKind, TargetMetric


class FoldedSearch(models.Model):
    """A folded copy of the `SEARCHED` fields (ocop.text.fold), kept on every save: the list's search matches
    "ba be" to "Ba Bể" the same way on SQLite and PostgreSQL, as the other lists do."""

    SEARCHED: tuple[str, ...] = ()
    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(str(getattr(self, name) or "") for name in self.SEARCHED))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class PromotionEvent(FoldedSearch):
    """A fair, exhibition, festival or online campaign where OCOP products are shown and sold."""

    SEARCHED = ("name", "organiser", "place")

    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.FAIR)
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("organising unit"), on_delete=models.PROTECT,
                             related_name="promotion_events")
    organiser = models.CharField(_("organiser"), max_length=255, validators=[validate_name])
    place = models.CharField(_("place"), max_length=255, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(_("budget (VND)"), max_digits=15, decimal_places=0, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="event_dates_in_order")]
        indexes = [models.Index(fields=["unit", "starts_on"], name="event_unit_start_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("promotion:event-detail", args=[self.pk])


class Booth(models.Model):
    """A stand (gian hàng) at an event: the subject that holds it and the products it shows; results after."""

    Status = BoothStatus

    event = models.ForeignKey(PromotionEvent, on_delete=models.CASCADE, related_name="booths")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="booths")
    products = models.ManyToManyField(Product, verbose_name=_("products shown"), blank=True, related_name="booths")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED)
    code = models.CharField(_("booth number"), max_length=20, blank=True)
    sales = models.DecimalField(_("sales (VND)"), max_digits=15, decimal_places=0, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    contracts = models.PositiveIntegerField(_("contracts signed"), null=True, blank=True,
                                            validators=[within_integer_column])
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["event", "code", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "subject"], name="booth_one_per_subject")]

    def __str__(self):
        return f"{self.event} · {self.subject}"

    @property
    def status_label(self) -> str:
        """The status as the pages name it: "Registered" alone is also the label of a date, hence a context."""
        return {
            self.Status.INVITED: pgettext("booth status", "Invited"),
            self.Status.REGISTERED: pgettext("booth status", "Registered"),
            self.Status.DECLINED: pgettext("booth status", "Declined"),
        }[self.status]

    @property
    def has_results(self) -> bool:
        """Whether sales or contracts have been recorded (the event can then no longer be deleted)."""
        return self.sales is not None or self.contracts is not None


class SalesPoint(FoldedSearch):
    """An OCOP sales point or centre (điểm bán, trung tâm OCOP) and the products it carries."""

    SEARCHED = ("name", "address", "operator")

    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    is_centre = models.BooleanField(_("OCOP centre"), default=False)
    commune = models.ForeignKey(AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="sales_points")
    address = models.CharField(_("address"), max_length=255)
    operator = models.CharField(_("operated by"), max_length=255, blank=True, validators=[validate_name])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    products = models.ManyToManyField(Product, verbose_name=_("products carried"), blank=True,
                                      related_name="sales_points")

    class Meta:
        verbose_name = _("sales point")
        verbose_name_plural = _("sales points")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("promotion:salespoint-detail", args=[self.pk])


class Listing(models.Model):
    """A product's page on an e-commerce platform (Postmart, Voso, Shopee...)."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="listings")
    platform = models.CharField(_("platform"), max_length=100)
    url = models.URLField(_("link"), max_length=500)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-commerce listing")
        verbose_name_plural = _("e-commerce listings")
        ordering = ["platform"]
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="listing_unique_url")]

    def __str__(self):
        return f"{self.product} · {self.platform}"


class TrainingEvent(FoldedSearch):
    """A training course (tập huấn) with its participants: a count, and optionally the list."""

    SEARCHED = ("topic", "place")

    topic = models.CharField(_("topic"), max_length=255)
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="training_events")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    participants_count = models.PositiveIntegerField(_("participants"), validators=[within_integer_column])
    participants = models.TextField(_("list of participants"), blank=True, help_text=_("One per line, optional."))
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects taking part"), blank=True,
                                      related_name="trainings")

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["unit", "held_on"], name="training_unit_date_idx")]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("promotion:training-edit", args=[self.pk])


class Target(models.Model):
    """What a unit plans for a year (chỉ tiêu), one row per metric; progress is computed from the data."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("indicator"), max_length=20, choices=TargetMetric.choices)
    planned = models.PositiveIntegerField(_("planned"), validators=[within_integer_column])
    reference = models.CharField(_("plan document"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["unit", "year", "metric"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "metric"], name="target_unique_metric")]

    def __str__(self):
        return f"{self.unit} {self.year} · {self.get_metric_display()}"


class ValueChainLink(models.Model):
    """A subject taking part in a value chain (liên kết chuỗi giá trị) in a year."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="value_chains")
    year = models.PositiveSmallIntegerField(_("year"))
    partner = models.CharField(_("partner"), max_length=255)

    class Meta:
        verbose_name = _("value-chain link")
        verbose_name_plural = _("value-chain links")
        constraints = [models.UniqueConstraint(fields=["subject", "year", "partner"], name="chain_unique")]

    def __str__(self):
        return f"{self.subject} · {self.partner}"
