"""URLs of the subjects app."""

app_name = "subjects"
urlpatterns: list = []
