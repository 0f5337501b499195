"""Tasks every installation has (the apps keep theirs in their own tasks.py)."""

from django.db import connection
from django.utils import timezone
from django_tasks import task

from .exports import run_export_job
from .publiccache import recompute_figures
from .taskqueue import retries_of


@task()
def ping():
    """Reach the database and return the time.

    check_production enqueues it and waits for the answer to know that a
    worker is running and can reach the database.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"at": timezone.now().isoformat(), "database": connection.vendor}


@task()
def run_export(job_id):
    """Build the file of export job ``job_id`` (ntm/core/exports.py)."""
    job = run_export_job(job_id, retries=retries_of(run_export.get_backend()))
    return {"job": job_id, "state": job.state if job else None}


@task()
def recompute(path, args):
    """Compute the figures of ``path(*args)`` again (core/publiccache.py)."""
    recompute_figures(path, args)
    return {"figures": path, "args": args}
