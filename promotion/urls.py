"""URLs of the promotion app."""

app_name = "promotion"
urlpatterns: list = []
