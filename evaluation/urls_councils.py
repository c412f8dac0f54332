"""URLs of the evaluation app (councils)."""
urlpatterns: list = []
