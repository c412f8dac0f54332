"""URLs of the evaluation app: score sheets, councils and sessions, scoring, results and decisions."""
from .urls_councils import urlpatterns as council_urls
from .urls_results import urlpatterns as result_urls
from .urls_sheets import urlpatterns as sheet_urls

app_name = "evaluation"
urlpatterns = [*council_urls, *sheet_urls, *result_urls]
