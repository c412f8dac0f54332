"""URLs of products, business plans and dossiers."""
urlpatterns: list = []
