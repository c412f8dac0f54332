"""A subject's address through the merger of 01/07/2025 (issue 16, item 1): its page names the commune and
province that stand today for the commune it registered in, and still shows the one it registered under."""
import datetime

from ocop.enums import Role
from ocop.tests.factories import UserFactory
from subjects.selectors import subject_address
from subjects.tests.factories import SubjectFactory


def test_address_before_the_merger_is_the_registered_one_and_after_it_the_successors(demo_units):
    subject = SubjectFactory(commune=demo_units["01972"], address="Thôn Nà Làng")
    assert subject_address(subject, on=datetime.date(2025, 6, 30)) == (
        "Thôn Nà Làng, Xã Văn Lang, Huyện Na Rì, Tỉnh Bắc Kạn", "")
    assert subject_address(subject, on=datetime.date(2025, 7, 1)) == (
        "Thôn Nà Làng, Xã Côn Minh, Tỉnh Thái Nguyên", "Thôn Nà Làng, Xã Văn Lang, Huyện Na Rì, Tỉnh Bắc Kạn")


def test_subject_page_shows_the_current_address_and_the_registered_one(client, demo_units):
    subject = SubjectFactory(commune=demo_units["01972"], address="Thôn Nà Làng")
    client.force_login(UserFactory(username="quantri", role=Role.ADMIN, is_superuser=True))
    page = client.get(subject.get_absolute_url()).content.decode()
    assert ('<span class="text-muted" data-testid="subject-address">Thôn Nà Làng, Xã Côn Minh, Tỉnh Thái Nguyên'
            '</span>') in page
    assert ('<div class="small text-muted" data-testid="registered-address">Đăng ký theo đơn vị hành chính cũ: '
            'Thôn Nà Làng, Xã Văn Lang, Huyện Na Rì, Tỉnh Bắc Kạn</div>') in page
