"""Certificate statuses as users see them, and the notice windows before expiry."""
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
