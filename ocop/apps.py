"""App config of the shared part: units, roles, cycles, audit trail, home page; and django-axes' under a Vietnamese
name."""
import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class OcopConfig(AppConfig):
    name = "ocop"
    verbose_name = _("OCOP programme")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import demo, home, observability  # noqa: F401  (home registers the shared navigation and panels)
        from .reference import reference_data_ensure
        from .registry import register_demo_loader

        register_demo_loader("reference", reference_data_ensure, order=-1)
        register_demo_loader("ocop", demo.load, order=0)
        request_started.connect(observability.request_started, dispatch_uid="ocop-request-id")
        request_finished.connect(observability.request_finished, dispatch_uid="ocop-request-id")


class LoginLockoutsConfig(axes.apps.AppConfig):
    """django-axes, which locks an account after failed logins, named in admin in the site's language
    (INSTALLED_APPS lists it instead of "axes"). Not the default config of this module: that is OcopConfig."""

    default = False
    verbose_name = _("Login lockouts")


# django-axes has no Vietnamese catalogue: the names its admin shows, kept here so that makemessages puts them in
# ours (Django looks a msgid up in the project's catalogue first).
AXES_MESSAGES = (
    gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("HTTP Accept"), gettext_noop("Path"),
    gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Access Attempt"),
    gettext_noop("Expires At"), gettext_noop("Logout Time"), gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"), gettext_noop("Form Data"), gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"), gettext_noop("Not set"), gettext_noop("Attempt Remaining"),
)
