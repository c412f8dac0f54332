"""Kinds of subject (chủ thể)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    ENTERPRISE = "enterprise", _("Enterprise")
    HOUSEHOLD_BUSINESS = "household_business", _("Household business")
