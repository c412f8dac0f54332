"""URLs of the evaluation app (results)."""
urlpatterns: list = []
