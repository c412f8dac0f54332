"""Promotion and monitoring: fairs, sales points, training, targets, dashboards and reports."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "promotion"
    verbose_name = _("Promotion and monitoring")
