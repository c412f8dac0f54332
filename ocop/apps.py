"""App config of the shared part: units, roles, cycles, audit trail, home page."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
