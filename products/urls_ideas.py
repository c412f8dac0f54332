"""URLs of product ideas, screening and the lists sent to the province."""
urlpatterns: list = []
