"""Choices of trade promotion: kinds of event, a booth's answer to its invitation, the metrics a unit targets."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    FAIR = "fair", _("Fair")
    EXHIBITION = "exhibition", _("Exhibition")
    FESTIVAL = "festival", _("Festival")
    ONLINE = "online", _("Online campaign")


class BoothStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", pgettext_lazy("booth status", "Registered")
    DECLINED = "declined", _("Declined")


class TargetMetric(models.TextChoices):
    NEW_3_STAR = "new_3_star", _("New products at 3★ or more")
    NEW_4_STAR = "new_4_star", _("New products at 4★ or more")
    UPGRADES = "upgrades", _("Products upgraded")
    TRACEABILITY = "traceability", _("Products with traceability")
    VALUE_CHAINS = "value_chains", _("Subjects in value chains")
    SALES_POINTS = "sales_points", _("Sales points")
    TRAINED = "trained", _("Training participants")
