"""Subjects: the cooperatives, groups, enterprises and households that own products."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = _("Subjects")

    def ready(self):
        from ocop.registry import NavItem, register_demo_loader, register_nav

        from . import demo

        register_nav(NavItem(_("Subjects"), "subjects:list", "people", "subjects.view_subject_list", order=15))
        register_demo_loader("subjects", demo.load, order=10)
