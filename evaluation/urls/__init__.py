"""URLs of the evaluation app: score sheets, councils and sessions, scoring, results and decisions."""
from .councils import urlpatterns as council_urls
from .preassessment import urlpatterns as preassessment_urls
from .product_results import urlpatterns as product_result_urls
from .results import urlpatterns as result_urls
from .sheets import urlpatterns as sheet_urls

app_name = "evaluation"
urlpatterns = [*council_urls, *sheet_urls, *result_urls, *preassessment_urls, *product_result_urls]
