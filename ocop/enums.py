"""Choices shared by every app: administrative unit kinds, roles and the steps of the annual cycle."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitLevel(models.TextChoices):
    CENTRAL = "central", _("Central level")
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class UnitKind(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("unit kind", "Province")
    CENTRAL_CITY = "central_city", _("Centrally-run city")
    DISTRICT = "district", pgettext_lazy("unit kind", "District")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    TOWN = "town", _("Town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", pgettext_lazy("unit kind", "Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    # The central level: the ministry that runs the programme nationally and alone recognises 5★ (Bộ Nông nghiệp
    # và Môi trường since 01/03/2025, formed from Bộ Nông nghiệp và Phát triển nông thôn).
    MINISTRY = "ministry", _("Ministry")

    @classmethod
    def level_of(cls, kind: str) -> str:
        return KIND_LEVEL[kind]

    @classmethod
    def kinds_of_level(cls, level: str) -> list[str]:
        return [kind for kind, kind_level in KIND_LEVEL.items() if kind_level == level]


KIND_LEVEL = {
    UnitKind.MINISTRY: UnitLevel.CENTRAL,
    UnitKind.PROVINCE: UnitLevel.PROVINCE,
    UnitKind.CENTRAL_CITY: UnitLevel.PROVINCE,
    UnitKind.DISTRICT: UnitLevel.DISTRICT,
    UnitKind.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.TOWN: UnitLevel.DISTRICT,
    UnitKind.PROVINCIAL_CITY: UnitLevel.DISTRICT,
    UnitKind.COMMUNE: UnitLevel.COMMUNE,
    UnitKind.WARD: UnitLevel.COMMUNE,
    UnitKind.TOWNSHIP: UnitLevel.COMMUNE,
    UnitKind.SPECIAL_ZONE: UnitLevel.COMMUNE,
}

# Which level a unit of each level may sit under. A commune may sit directly under a province
# (two-tier local government since 01/07/2025).
ALLOWED_PARENT_LEVELS = {
    UnitLevel.CENTRAL: set(),
    UnitLevel.PROVINCE: set(),
    UnitLevel.DISTRICT: {UnitLevel.PROVINCE},
    UnitLevel.COMMUNE: {UnitLevel.DISTRICT, UnitLevel.PROVINCE},
}


class SignerTitle(models.TextChoices):
    """The position of who signs a decision or a certificate: a People's Committee's chair or vice-chair, the
    ministry's minister or deputy minister. A deputy signs on the head's behalf ("KT. CHỦ TỊCH"): see
    `ocop.official.signature_titles`."""

    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MINISTER = "minister", _("Minister")
    DEPUTY_MINISTER = "deputy_minister", _("Deputy minister")


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    MINISTRY_STAFF = "ministry_staff", _("Ministry OCOP office")
    PROVINCE_STAFF = "province_staff", _("Provincial OCOP office")
    LOCAL_OFFICER = "local_officer", _("Local officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    SUBJECT_REP = "subject_rep", _("Subject representative")


class CycleStep(models.IntegerChoices):
    PROPAGANDA = 1, _("Propaganda and guidance")
    IDEAS = 2, _("Receiving product ideas")
    BUSINESS_PLANS = 3, _("Receiving business plans")
    IMPLEMENTATION = 4, _("Implementing business plans")
    EVALUATION = 5, _("Evaluation and star rating")
    PROMOTION = 6, _("Trade promotion")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status changed")
    IMPORT = "import", _("Imported")


class NotificationEmail(models.TextChoices):
    """Where a notification's email stands: none wanted, waiting to be sent, or sent."""

    NONE = "", _("No email")
    PENDING = "pending", _("Email waiting")
    SENT = "sent", _("Email sent")


class FileJobStatus(models.TextChoices):
    """Where a file prepared in the background stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
