"""Certificate statuses as users see them, the grounds of revocation, and the verdicts and states of the
inspections after recognition."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CertificateStatus(models.TextChoices):
    NOT_ISSUED = "not_issued", _("Not issued yet")
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class RevocationGround(models.TextChoices):
    """The grounds on which a certificate is withdrawn (Art. 8 of the recognition rules), as officials publish
    them; the revocation's note says more."""

    QUALITY = "quality", _("The product no longer keeps the quality or process it was recognised for")
    FOOD_SAFETY = "food_safety", _("A food-safety violation")
    MARK_MISUSE = "mark_misuse", _("Misuse of the OCOP mark or certificate")
    CEASED = "ceased", _("The subject ceased producing the product")
    NO_REEVALUATION = "no_reevaluation", _("No re-evaluation within 36 months")
    OTHER = "other", _("Another ground stated in the decision")


class InspectionVerdict(models.TextChoices):
    """What an inspection after recognition concludes (kiểm tra, giám sát sau công nhận)."""

    COMPLIANT = "compliant", _("Compliant")
    CORRECTIVE = "corrective", _("Corrective action required")
    REVOCATION = "revocation", _("Revocation proposed")


class CorrectiveStatus(models.TextChoices):
    """Where a corrective action stands: the subject acts and sends its evidence, an officer closes it."""

    OPEN = "open", _("Awaiting corrective action")
    EVIDENCE = "evidence", _("Evidence submitted")
    CLOSED = "closed", pgettext_lazy("corrective action", "Closed")

    @classmethod
    def pending(cls) -> list[str]:
        """Not closed yet: the subject's or the officer's move."""
        return [cls.OPEN, cls.EVIDENCE]


class InspectionFileKind(models.TextChoices):
    FINDING = "finding", _("Evidence of the findings")
    CORRECTIVE = "corrective", _("Evidence of the corrective action")


class InspectionNoticeKind(models.TextChoices):
    """What the people of an inspection are told, once each (see inspections.py)."""

    SCHEDULED = "scheduled", _("Inspection scheduled")
    CORRECTIVE = "corrective", _("Corrective action required")
    DUE_SOON = "due_soon", _("Corrective action due soon")
    OVERDUE = "overdue", _("Corrective action overdue")
    REVOCATION = "revocation", _("Revocation proposed")
