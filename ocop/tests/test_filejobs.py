"""Background files delivered twice at once (the outbox and acks_late allow it): the delivery that finishes
first keeps its file; the other neither replaces it nor marks the job failed. Two clicks at once start one job."""
import pytest

from ocop.enums import FileJobStatus
from ocop.filejobs import FileJobKind, _kinds, file_job_build, file_job_start, register_file_job_kind
from ocop.models import FileJob, User


@pytest.fixture
def overlapping(db):
    """A kind whose first build lets a second delivery of the same job run to its end in the middle of it."""
    calls = []

    def build(params, progress):
        number = len(calls) + 1
        calls.append(number)
        if number == 1:
            file_job_build(job_id=params["job"])  # the other delivery, finishing first
            if params.get("then_fail"):
                raise RuntimeError("the slow delivery fails after the fast one finished")
        return f"tệp {number}".encode(), f"tep-{number}.txt"

    register_file_job_kind(FileJobKind(key="test.overlap", build=build, allowed=lambda user, params: True,
                                       title=lambda params: "x", back_url=lambda params: "/"))
    yield calls
    _kinds.pop("test.overlap")


def _job(**params):
    user = User.objects.create_user("thu.ky", password="x")
    job = FileJob.objects.create(kind="test.overlap", requested_by=user, params={})
    job.params = {"job": job.pk, **params}
    job.save(update_fields=["params"])
    return job


def test_the_delivery_that_finishes_first_keeps_its_file(overlapping):
    job = _job()
    file_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == FileJobStatus.DONE and job.filename == "tep-2.txt"
    assert job.file.read() == "tệp 2".encode()
    assert list(job.file.storage.listdir(job.file.name.rsplit("/", 1)[0])[1]) == [job.file.name.rsplit("/", 1)[1]]


def test_a_late_failure_does_not_undo_a_finished_job(overlapping):
    job = _job(then_fail=True)
    file_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.filename, job.error) == (FileJobStatus.DONE, "tep-2.txt", "")


def test_asking_twice_for_the_same_file_starts_one_job(overlapping):
    user = User.objects.create_user("thu.ky", password="x")
    first = file_job_start(kind="test.overlap", params={"session": 1}, by=user)
    assert file_job_start(kind="test.overlap", params={"session": 1}, by=user) == first
    assert FileJob.objects.count() == 1
