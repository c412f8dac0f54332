"""A session's long PDFs are prepared in the background (issue 14, finding 6: a 12-product session's paper score
sheets took 20 s inside the request, over 60 s under load): the paper sheets beyond a few, the minutes beyond
many products. The page shows the job's progress, then the download, to its requester only while he may still
see what it is about."""
import time

import pytest
from django.urls import reverse

from ocop.enums import FileJobStatus
from ocop.filejobs import file_job_build
from ocop.models import FileJob, OutboxMessage
from ocop.outbox import outbox_hand_over
from ocop.tests.brokers import BROKER_DOWN, celery_broker
from ocop.tests.utils import pdf_text

from ..documents import PAPER_SHEETS_INLINE, paper_sheets_pdf
from ..models import Scorecard
from ..services.councils import council_member_remove
from ..services.paper import scorecard_code
from .test_results import build_scene


@pytest.fixture
def scene(demo_units):
    return build_scene(demo_units, score=False)  # 8 scorecards: 3 members × 3 products, Cường conflicted on one


def sheets_url(scene, member=None) -> str:
    url = reverse("evaluation:session-paper-sheets", args=[scene.session.pk])
    return f"{url}?member={member.pk}" if member else url


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_all_sheets_of_a_session_are_not_laid_out_in_the_request(client, scene):
    client.force_login(scene.binh)  # the secretary prints every sheet
    started = time.monotonic()
    response = client.get(sheets_url(scene))
    assert time.monotonic() - started < 2
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Phiếu chấm giấy · Hội đồng" in page
    assert "Tệp này dài (8 phiếu): tệp được chuẩn bị trong nền" in page
    assert 'data-testid="file-job-start"' in page
    assert FileJob.objects.count() == 0  # a GET starts nothing


def test_sheets_are_prepared_as_a_job_whose_page_shows_progress_then_the_download(client, scene,
                                                                                  django_capture_on_commit_callbacks):
    client.force_login(scene.binh)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(sheets_url(scene))
    job = FileJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.params, job.requested_by, job.status) == (
        "evaluation.paper_sheets", {"session": scene.session.pk, "member": None}, scene.binh, FileJobStatus.QUEUED)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Đang chờ đến lượt…" in page and f'hx-get="/jobs/{job.pk}/progress/"' in page
    # Asked again while under way: the same job, nothing more queued.
    client.post(sheets_url(scene))
    assert (FileJob.objects.count(), OutboxMessage.objects.count()) == (1, 1)

    FileJob.objects.filter(pk=job.pk).update(status=FileJobStatus.RUNNING, done=3, total=8)
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "Đang chuẩn bị tệp: 3 / 8 phiếu…" in fragment and 'value="38"' in fragment and "hx-get" in fragment

    FileJob.objects.filter(pk=job.pk).update(status=FileJobStatus.QUEUED, done=0, total=0)
    for callback in callbacks:  # the transaction committed: the outbox hands the job over (eager: it runs)
        callback()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.filename) == (FileJobStatus.DONE, 8, 8, f"phieu-cham-phien-"
                                                               f"{scene.session.council_id}-{scene.session.number}.pdf")
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "Tệp đã sẵn sàng." in fragment and "hx-get" not in fragment  # finished: polling stops
    assert f'href="/jobs/{job.pk}/download/"' in fragment
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    text = pdf_text(downloaded(download))
    assert text.count("PHIẾU CHẤM ĐIỂM") == 8
    for scorecard in Scorecard.objects.filter(evaluation__session=scene.session):
        assert scorecard_code(scorecard) in text


def test_the_sheets_report_their_progress_one_sheet_at_a_time(scene):
    seen = []
    paper_sheets_pdf(scene.session, member=scene.members["cuong"],
                     progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_a_few_sheets_still_come_at_once(client, scene):
    client.force_login(scene.cuong)  # a member prints his own: 2 sheets
    assert PAPER_SHEETS_INLINE == 2
    response = client.get(sheets_url(scene))
    assert response["Content-Type"] == "application/pdf"
    assert pdf_text(response.content).count("PHIẾU CHẤM ĐIỂM") == 2
    assert FileJob.objects.count() == 0


def test_only_the_requester_opens_the_job_and_only_while_he_may_print_the_sheets(
        client, scene, django_capture_on_commit_callbacks):
    client.force_login(scene.binh)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(sheets_url(scene))
    job = FileJob.objects.get()
    for other in (scene.an, scene.cuong, scene.province_staff):  # the chair, a member, an official of the province
        client.force_login(other)
        for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/download/"):
            assert client.get(url).status_code == 404
    client.force_login(scene.binh)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    council_member_remove(member=scene.members["binh"], by=None)  # no longer on the council
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 302  # to the login page


def test_a_member_asking_for_another_members_sheets_gets_his_own(client, scene):
    client.force_login(scene.cuong)
    response = client.post(sheets_url(scene, scene.members["an"]))
    text = pdf_text(response.content)
    assert text.count("PHIẾU CHẤM ĐIỂM") == 2
    assert scorecard_code(Scorecard.objects.get(evaluation=scene.mien_dong, member=scene.members["cuong"])) in text
    assert FileJob.objects.count() == 0


def test_a_job_queued_while_the_broker_is_down_says_so(client, scene):
    client.force_login(scene.binh)
    client.post(sheets_url(scene))
    job = FileJob.objects.get()
    with celery_broker(BROKER_DOWN):
        outbox_hand_over()  # what the commit's hand-over does
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Đã xếp hàng: hàng đợi công việc đang tạm gián đoạn; tệp sẽ được chuẩn bị ngay khi" in page


def test_a_job_delivered_twice_builds_its_file_once_finished(scene):
    job = FileJob.objects.create(kind="evaluation.paper_sheets", requested_by=scene.cuong,
                                 params={"session": scene.session.pk, "member": scene.members["cuong"].pk})
    file_job_build(job_id=job.pk)
    job.refresh_from_db()
    first = (job.status, job.file.name, job.finished_at)
    file_job_build(job_id=job.pk)  # delivered again after it finished: nothing changes
    job.refresh_from_db()
    assert (job.status, job.file.name, job.finished_at) == first
    assert first[0] == FileJobStatus.DONE


def test_minutes_of_a_session_of_many_products_are_prepared_in_the_background(
        client, scene, monkeypatch, django_capture_on_commit_callbacks):
    from ..documents import MINUTES_INLINE

    assert MINUTES_INLINE == 40
    monkeypatch.setattr("evaluation.views.results.MINUTES_INLINE", 2)  # the scene has 3 products
    url = reverse("evaluation:session-minutes-pdf", args=[scene.session.pk])
    client.force_login(scene.province_staff)
    assert "Tệp này dài (3 sản phẩm)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = FileJob.objects.get()
    assert (job.kind, job.params) == ("evaluation.minutes", {"session": scene.session.pk})
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Biên bản họp hội đồng · Hội đồng" in page and "Tệp đã sẵn sàng." in page
    text = pdf_text(downloaded(client.get(f"/jobs/{job.pk}/download/")))
    assert "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in text and "Miến dong Tài Hoan" in text
    client.force_login(scene.cuong)  # a member sees the results too, but the job is not his
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
