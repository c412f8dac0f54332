"""Choices of the evaluation app: levels, member roles, kinds of evaluation, statuses."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    DISTRICT = "district", _("District level")
    PROVINCE = "province", _("Province level")
    CENTRAL = "central", _("Central level")

    @classmethod
    def order(cls) -> list[str]:
        return [cls.COMMUNE, cls.DISTRICT, cls.PROVINCE, cls.CENTRAL]


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class EvaluationKind(models.TextChoices):
    FIRST = "first", _("First rating")
    UPGRADE = "upgrade", _("Star upgrade")
    RENEWAL = "renewal", _("Re-evaluation for renewal")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCORING = "scoring", _("Scoring")
    FINALISED = "finalised", _("Finalised")


class ScorecardStatus(models.TextChoices):
    OPEN = "open", _("Being scored")
    SUBMITTED = "submitted", _("Submitted")
