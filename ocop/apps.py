"""App config of the shared part: units, roles, cycles, audit trail, home page."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcopConfig(AppConfig):
    name = "ocop"
    verbose_name = _("OCOP programme")

    def ready(self):
        from . import demo, home  # noqa: F401  (home registers the shared navigation and panels)
        from .registry import register_demo_loader

        from .reference import reference_data_ensure

        register_demo_loader("reference", reference_data_ensure, order=-1)
        register_demo_loader("ocop", demo.load, order=0)
