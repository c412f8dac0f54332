"""Evaluation: criteria sheets, councils, scoring, star rating and recognition decisions."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from ocop.registry import RecordPanel, register_demo_loader, register_record_panel

        from . import demo, home  # noqa: F401  (home: navigation entries and home panels)
        from .documents import register_documents
        from .services.sheets.shipped import demo_sheets_load
        from .views.preassessment import dossier_panel
        from .views.product_results import product_panel

        register_demo_loader("evaluation-sheets", demo_sheets_load, order=30, heavy=True)
        register_demo_loader("evaluation", demo.load, order=40, heavy=True)
        register_demo_loader("evaluation-central", demo.load_central, order=55, heavy=True)
        register_documents()
        # The dossier's page (products) shows the commune's pre-assessment without importing evaluation.
        register_record_panel("products.dossier", "pre-assessment",
                              RecordPanel("evaluation/preassessment/panel.html", dossier_panel))
        # The product's page shows its results after each session.
        register_record_panel("products.product", "results",
                              RecordPanel("evaluation/product_results/panel_product.html", product_panel))
