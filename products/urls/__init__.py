"""URLs of the products app: ideas and screening, products, business plans and dossiers."""
from .catalog import urlpatterns as catalog_urls
from .ideas import urlpatterns as idea_urls

app_name = "products"
urlpatterns = [*idea_urls, *catalog_urls]
