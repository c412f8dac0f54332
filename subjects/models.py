"""Subjects (chủ thể): the producers that own products, and the users who act for them."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.enums import UnitLevel
from ocop.models import AdministrativeUnit
from ocop.text import fold
from ocop.validators import validate_name, within_integer_column

from .enums import SubjectKind
from .validators import normalize_tax_code, validate_tax_code


class Subject(models.Model):
    """A cooperative, cooperative group, enterprise or registered household business."""

    name = models.CharField(_("legal name"), max_length=255, validators=[validate_name])
    kind = models.CharField(pgettext_lazy("legal form of a subject", "kind"), max_length=20,
                            choices=SubjectKind.choices)
    tax_code = models.CharField(
        _("tax code"), max_length=14, blank=True, validators=[validate_tax_code],
        help_text=_("Tax code or business registration number: 10 digits, or 10-3 for a branch."),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=150, validators=[validate_name])
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="subjects",
    )
    address = models.CharField(_("address"), max_length=255, blank=True, help_text=_("Village, hamlet or street"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=[MinValueValidator(1945), MaxValueValidator(2100)],
    )
    members_count = models.PositiveIntegerField(_("members or workers"), null=True, blank=True,
                                                validators=[within_integer_column])
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SubjectRepresentative", related_name="represented_subjects",
        verbose_name=_("representatives"), blank=True,
    )

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="subject_unique_tax_code",
                violation_error_message=_("Another subject already has this tax code."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "name"], name="subject_commune_name_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.tax_code = normalize_tax_code(self.tax_code)
        # A folded copy for search without diacritics, the same on SQLite and PostgreSQL.
        self.search_text = fold(" ".join([self.name, self.tax_code, self.legal_representative]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("subjects:detail", args=[self.pk])

    def clean(self):
        self.tax_code = normalize_tax_code(self.tax_code)
        if self.commune_id and self.commune.level != UnitLevel.COMMUNE:
            raise ValidationError({"commune": _("Choose a commune, ward or township.")})
        if not self.tax_code and self.kind != SubjectKind.COOPERATIVE_GROUP:
            raise ValidationError({"tax_code": _("A registered subject needs its tax code.")})


class SubjectRepresentative(models.Model):
    """A user account that acts for a subject (sees its products and certificates)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="representative_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subject_links")
    position = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("subject representative")
        verbose_name_plural = _("subject representatives")
        constraints = [models.UniqueConstraint(fields=["subject", "user"], name="subject_rep_unique")]

    def __str__(self):
        return f"{self.user} – {self.subject}"
