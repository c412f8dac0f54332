"""URLs of the promotion app (mounted at /promotion/): events and invitations, sales points, listings, training
and targets; the dashboard's are in urls/dashboard.py (mounted at /dashboard/)."""
from django.urls import path

from ..views import events, outlets, targets, training

app_name = "promotion"
urlpatterns = [
    path("", events.event_list_view, name="event-list"),
    path("events/export/", events.event_export, name="event-export"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/delete/", events.event_delete, name="event-delete"),
    path("events/<int:pk>/invite/", events.event_invite, name="event-invite"),
    path("booths/<int:pk>/answer/", events.booth_answer, name="booth-answer"),
    path("booths/<int:pk>/results/", events.booth_results, name="booth-results"),
    path("sales-points/", outlets.sales_point_list_view, name="salespoint-list"),
    path("sales-points/new/", outlets.sales_point_create, name="salespoint-create"),
    path("sales-points/<int:pk>/", outlets.sales_point_detail, name="salespoint-detail"),
    path("sales-points/<int:pk>/edit/", outlets.sales_point_edit, name="salespoint-edit"),
    path("listings/", outlets.listing_product_list, name="listing-products"),
    path("products/<int:pk>/listings/", outlets.product_listings_view, name="product-listings"),
    path("listings/<int:pk>/remove/", outlets.listing_remove, name="listing-remove"),
    path("training/", training.training_list_view, name="training-list"),
    path("training/new/", training.training_create, name="training-create"),
    path("training/<int:pk>/edit/", training.training_edit, name="training-edit"),
    path("targets/", targets.target_list_view, name="target-list"),
    path("targets/<str:code>/<int:year>/", targets.target_edit, name="target-edit"),
]
