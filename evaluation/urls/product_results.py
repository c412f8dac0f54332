"""URLs of a product's results after its session: the result, the roadmap to the next star, the area's products
closest to theirs."""
from django.urls import path

from ..views import product_results as views

urlpatterns = [
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/roadmap/", views.evaluation_roadmap_view, name="evaluation-roadmap"),
    path("evaluations/<int:pk>/roadmap.pdf", views.evaluation_roadmap_pdf, name="evaluation-roadmap-pdf"),
    path("upgrades/", views.upgrade_list, name="upgrade-list"),
    path("upgrades/export/", views.upgrade_list_xlsx, name="upgrade-list-xlsx"),
]
