"""Certificate statuses as users see them, and the notice windows before expiry."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")
