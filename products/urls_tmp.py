"""URLs of the products app."""

app_name = "products"
urlpatterns: list = []
