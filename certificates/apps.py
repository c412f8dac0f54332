"""Certificates: issuing, PDFs, expiry notices, renewal, revocation, public verification and the inspections
after recognition."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from ocop.registry import (
            HomePanel,
            NavItem,
            RecordPanel,
            register_demo_loader,
            register_home_panel,
            register_nav,
            register_product_standing,
            register_record_panel,
            register_star_held,
        )

        from . import demo, home
        from .panels import decision_panel
        from .services import product_standing, star_held

        register_nav(NavItem(_("Certificates"), "certificates:list", "patch-check",
                             "certificates.view_certificate_list", order=50))
        register_record_panel("evaluation.decision", "certificates",
                              RecordPanel("certificates/panels/decision.html", decision_panel))
        register_home_panel("certificates", HomePanel("certificates/panels/home.html", home.certificates_panel,
                                                      order=12))
        register_nav(NavItem(_("Inspections"), "certificates:inspection-list", "clipboard-check",
                             "certificates.view_inspection_list", order=55, more=True))
        register_home_panel("inspections", HomePanel("certificates/panels/inspections.html", home.inspections_panel,
                                                     order=13))
        register_demo_loader("certificates", demo.load, order=50, heavy=True)
        # The evaluation app asks through the registry what a product holds before it enters a session.
        register_product_standing(product_standing)
        register_star_held(star_held)
