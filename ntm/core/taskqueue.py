"""The production task queue: RQ behind the Django Tasks API, with retries.

django-tasks-rq enqueues each task once: a worker killed in the middle of a
job (kill -9, an out-of-memory kill, a lost machine) leaves it "started"
until RQ gives up on it. Here every job carries RQ retries, and the worker
notices an abandoned job within about two minutes: the horse's heartbeat
lapses after JOB_MONITORING_SECONDS + 60 s and the registries are cleaned
every MAINTENANCE_SECONDS, which puts the job back on its queue.

A task may therefore run more than once; each of ours is written so that a
second run changes nothing (the export jobs, ntm/core/exports.py, check
their own row before and after the work).
"""

from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq import Retry
from rq import Worker as BaseWorker
from rq.job import Callback, JobStatus

# Seconds between retries: at once, then after a short and a longer wait
# (a database that restarts takes a few seconds to accept connections).
RETRY_INTERVALS = [0, 10, 60]
JOB_MONITORING_SECONDS = 15
MAINTENANCE_SECONDS = 60


class RQBackend(rq_backend.RQBackend):
    """django-tasks-rq's backend whose jobs are retried (OPTIONS["retries"])."""

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.retries = int(self.options.get("retries", 3))

    def enqueue(self, task, args, kwargs):
        # django-tasks-rq's enqueue, with Retry on the job it creates.
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = rq_backend.django_rq.get_queue(
            task.queue_name, job_class=rq_backend.Job
        )
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(rq_backend.failed_callback),
            on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=self.retries, interval=RETRY_INTERVALS[: self.retries])
            if self.retries
            else None,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result


class Worker(BaseWorker):
    """RQ's worker, quicker to notice jobs whose worker died."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_class", rq_backend.Job)
        kwargs.setdefault("job_monitoring_interval", JOB_MONITORING_SECONDS)
        kwargs.setdefault("maintenance_interval", MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)


def retries_of(backend):
    """How many times ``backend`` runs a failed task again (0 inline)."""
    return getattr(backend, "retries", 0)
