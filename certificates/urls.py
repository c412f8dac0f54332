"""URLs of the certificates app."""

app_name = "certificates"
urlpatterns: list = []
