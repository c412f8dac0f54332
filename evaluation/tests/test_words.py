"""The words of the evaluation pages (issue 18): a finalised session says so once."""
import re

from django.utils import formats, timezone

from ..services.results import session_finalise
from .test_results import SPREAD_REASON, build_scene, page_of, results_url


def test_finalised_session_says_finalised_once_with_when_and_by_whom(client, demo_units):
    scene = build_scene(demo_units)
    session_finalise(session=scene.session, by=scene.an, spread_reason=SPREAD_REASON)
    scene.session.refresh_from_db()
    client.force_login(scene.an)

    page = page_of(client.get(results_url(scene.session)))

    at = formats.date_format(timezone.localtime(scene.session.finalised_at), "SHORT_DATETIME_FORMAT")
    status = re.search(r'data-testid="session-status">([^<]*)</span>\s*<span class="small" '
                       r'data-testid="finalised-at">([^<]*)</span>', page)
    assert status.groups() == ("Đã kết thúc", f"lúc {at}, do Nguyễn Văn An xác nhận")
    assert "kết thúc kết thúc" not in page.lower()
