"""Export jobs on the production queue: RQ through django-tasks, with retries.

An RQ worker (SimpleWorker: RQ's own worker loop, in this process so that
it sees the test's database) runs the jobs the service enqueued in Redis.
Redis is at TEST_REDIS_URL (a database of this test run's own); skipped
where no Redis runs, a failure in CI.
"""

import pytest
from django.test import override_settings
from django_rq import get_connection, get_queue
from django_tasks_rq import backend as rq_backend
from rq import SimpleWorker

from ntm.accounts.models import Office, Role
from ntm.core.exports import Exported, ExportKind, export_kinds, request_export
from ntm.core.models import ActionLog, ExportJob
from ntm.core.spreadsheets import Column, Sheet, build_workbook
from ntm.core.tasks import run_export
from tests.core.production import redis_or_skip
from tests.factories import HouseholdFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    url = redis_or_skip()
    settings = {
        "TASKS": {
            "default": {
                "BACKEND": "ntm.core.taskqueue.RQBackend",
                "OPTIONS": {"retries": 2},
            }
        },
        "RQ_QUEUES": {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}},
    }
    with override_settings(**settings):
        queue = get_queue("default", job_class=rq_backend.Job)
        queue.empty()
        yield queue
        queue.empty()


@pytest.fixture
def flaky_kind():
    """A kind whose first run dies (a lost database connection, say)."""
    sheet = Sheet("Thử", [Column("n", "Số")])

    def build(job, progress):
        if job.attempts == 1:
            raise ConnectionError("server closed the connection unexpectedly")
        progress.start(2)
        rows = list(progress.track([[1], [2]]))
        return Exported(build_workbook((sheet, rows)), progress.done)

    kind = ExportKind(name="tests.flaky", title="Thử", stem="thu", build=build)
    export_kinds()[kind.name] = kind
    yield kind
    del export_kinds()[kind.name]


def _work(queue):
    worker = SimpleWorker(
        [queue], connection=get_connection("default"), job_class=rq_backend.Job
    )
    worker.work(burst=True)


def test_export_waits_for_the_worker_and_is_done_by_it(queue, units, villages):
    HouseholdFactory.create_batch(2, village=villages["hn1"])
    focal = make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.CULTURE)

    job = request_export("households.register", by=focal, params={}, purpose="x")
    waiting = job.state
    rq_job = queue.jobs[0]
    _work(queue)

    job.refresh_from_db()
    assert waiting == ExportJob.State.QUEUED
    assert rq_job.func_name == run_export.module_path
    assert rq_job.retries_left == 2
    assert (job.state, job.rows_total, job.attempts) == (ExportJob.State.DONE, 2, 1)
    assert job.file.storage.exists(job.file.name)


def test_worker_retries_a_failed_run_and_writes_the_result_once(queue, flaky_kind):
    user = UserFactory()

    job = request_export("tests.flaky", by=user, params={})
    _work(queue)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_total) == (ExportJob.State.DONE, 2, 2)
    finished = ActionLog.objects.filter(action="core.export.finished")
    assert finished.count() == 1
    assert not ActionLog.objects.filter(action="core.export.failed")
