"""A fair in the browser: HTX Thiên An's representative finds the district fair's invitation on his home page
and registers; the Bạch Thông officer sees the booth registered on the event's page."""
from playwright.sync_api import expect

from promotion.models import Booth


def test_representative_registers_for_the_district_fair_and_the_officer_sees_it(demo_full, login):
    booth = Booth.objects.select_related("event").get(event__name="Phiên chợ sản phẩm OCOP huyện Bạch Thông",
                                                      subject__name="Hợp tác xã Thiên An")
    assert booth.status == Booth.Status.INVITED
    page = login("htx.thienan")
    invitation = page.locator("[data-testid=home-invitation]", has_text=booth.event.name)
    expect(invitation.locator("[data-testid=booth-status]")).to_have_text("Được mời")
    invitation.locator("button[value=register]").click()
    invitation = page.locator("[data-testid=home-invitation]", has_text=booth.event.name)
    expect(invitation.locator("[data-testid=booth-status]")).to_have_text("Đã đăng ký")
    booth.refresh_from_db()
    assert booth.status == Booth.Status.REGISTERED

    page = login("huyen.bachthong")
    page.goto(page.base_url + booth.event.get_absolute_url())
    row = page.locator("[data-testid=booth-row][data-subject='Hợp tác xã Thiên An']")
    expect(row.locator("[data-testid=booth-status]")).to_have_text("Đã đăng ký")
