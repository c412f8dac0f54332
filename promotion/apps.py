"""Promotion and monitoring: fairs, sales points, training, targets, dashboards and reports."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "promotion"
    verbose_name = _("Promotion and monitoring")

    def ready(self):
        from ocop.registry import HomePanel, NavItem, register_demo_loader, register_home_panel, register_nav

        from . import demo, home

        register_nav(NavItem(_("Dashboard"), "dashboard:index", "bar-chart-line", "promotion.view_dashboard", order=5))
        register_nav(NavItem(_("Promotion"), "promotion:event-list", "shop", "promotion.view_event_list", order=55))
        register_home_panel("promotion", HomePanel("promotion/panels/home.html", home.invitations_panel, order=14))
        register_demo_loader("promotion", demo.load, order=60, heavy=True)
