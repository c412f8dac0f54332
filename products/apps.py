"""Products, product ideas, screening, business plans and dossiers."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Products")

    def ready(self):
        from ocop.registry import register_demo_loader

        from . import demo, home  # noqa: F401  (home: navigation and home panels)

        register_demo_loader("products", demo.load, order=20)
        register_demo_loader("product-ideas", demo.load_ideas, order=25, heavy=True)
        register_demo_loader("thainguyen-2026", demo.load_thainguyen_2026, order=26, heavy=True)
