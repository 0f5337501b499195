"""Exports as jobs: asked for on a page, written by the task worker, downloaded
by the one who asked, deleted after EXPORT_KEEP_HOURS.

An app declares an ``ExportKind`` (what it is called, how to build its
workbook from the job's filters) and lists it in its AppConfig's
``export_kinds``; its view hands the request to ``export_page``. Everything
else is here: the job's states and progress, the file written once, the
audit log (asked for, finished, downloaded), expiry.

With the inline task backend (tests, `make run` without a worker) the job
runs during the request and its page offers the download at once; with the
RQ worker the page polls (htmx) until the file is ready.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import log_action
from .models import ExportJob
from .spreadsheets import PersonalData, export_filename

logger = logging.getLogger(__name__)

# A running job writes its progress every this many rows (one UPDATE).
PROGRESS_EVERY = 1000
# A job that has not moved for this long lost its worker and its retries.
STALLED_AFTER = timedelta(hours=2)
FAILED_MESSAGE = gettext_lazy(
    "Không tạo được tệp do lỗi hệ thống. Vui lòng thử lại sau; nếu vẫn lỗi, "
    "báo quản trị hệ thống."
)


class ExportError(Exception):
    """The export cannot be made as asked (no right any more, bad filters):
    its message is shown to the user and the job is not run again."""


@dataclass(frozen=True)
class Exported:
    """A built export: the workbook's bytes and how many rows it holds."""

    content: bytes
    rows: int
    # Added to the "finished" audit entry (and passed to ``on_finished``).
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExportKind:
    """One export an app offers.

    ``build(job, progress)`` returns an ``Exported`` built from
    ``job.params`` for ``job.requested_by`` (checking the user's rights
    again: they may have changed since the request). ``personal`` (a bool,
    or a function of the user and the params) says whether the file holds
    personal data: the request then asks for the purpose, and the workbook
    is marked (``personal_data(job)`` gives ``build_workbook`` its marking).
    ``on_finished(job, exported)`` runs in the transaction that records the
    file (an app's own audit entry).
    """

    name: str
    title: str
    stem: str
    build: object
    personal: object = False
    # What personal data the file holds, for its Decree 13 marking.
    personal_fields: str = ""
    on_finished: object = None

    def is_personal(self, user, params):
        if callable(self.personal):
            return self.personal(user, params)
        return self.personal


@cache
def export_kinds():
    """{name: ExportKind} listed by every installed app (``export_kinds``)."""
    kinds = {}
    for config in apps.get_app_configs():
        for path in getattr(config, "export_kinds", ()):
            kind = import_string(path)
            kinds[kind.name] = kind
    return kinds


def export_kind(name):
    return export_kinds()[name]


def personal_data(job):
    """The Decree 13 marking of ``job``'s workbook, or None when not personal."""
    if not job.personal:
        return None
    user = job.requested_by
    name = f"{user} ({user.username})" if str(user) != user.username else str(user)
    return PersonalData(
        exported_by=name,
        purpose=job.purpose,
        what=export_kind(job.kind).personal_fields,
    )


class Progress:
    """Counts the rows a running job has written, into its row now and then."""

    def __init__(self, job):
        self.job = job
        self.done = 0

    def start(self, total):
        self.job.rows_total = total
        ExportJob.objects.filter(pk=self.job.pk).update(
            rows_total=total, rows_done=0, updated_at=timezone.now()
        )

    def track(self, rows):
        """Yield ``rows``, counting them."""
        for self.done, row in enumerate(rows, start=1):
            if self.done % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=self.job.pk).update(
                    rows_done=self.done, updated_at=timezone.now()
                )
            yield row


def request_export(name, *, by, params, purpose="", back_url=""):
    """Create the job exporting ``name`` with ``params`` for ``by``, and run it.

    A personal-data export needs its purpose (Decree 13/2023); the request
    is written to the audit log before anything is built. The task runs
    inline with the immediate backend (the job is finished on return) or
    on the worker. Expired files are deleted on the way.
    """
    kind = export_kind(name)
    personal = kind.is_personal(by, params)
    purpose = purpose.strip()
    if personal and not purpose:
        raise ExportError(_("Ghi rõ mục đích sử dụng dữ liệu cá nhân."))
    expire_exports()
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=name,
            title=str(kind.title),
            params=params,
            purpose=purpose,
            personal=personal,
            back_url=back_url,
            requested_by=by,
        )
        log_action(
            job,
            "core.export.requested",
            by=by,
            data={"kind": name, "params": params, "purpose": purpose},
        )
    # Inline import: tasks.py imports this module for its wrapper.
    from .tasks import run_export

    run_export.enqueue(job.pk)
    job.refresh_from_db()
    return job


def run_export_job(job_id, *, retries=0):
    """Build job ``job_id``'s file and record it, once.

    A job already finished (a retry after its worker died, a duplicated
    run) is left as it is. An ``ExportError`` fails the job with its
    message; any other error fails it with a general message once no
    retry is left (``retries``, the queue's), and is raised again so that
    the queue retries it. No file is kept for a failed run.
    """
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        job.state = ExportJob.State.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.rows_done = 0
        job.save(
            update_fields=["state", "attempts", "started_at", "rows_done", "updated_at"]
        )
    kind = export_kind(job.kind)
    try:
        exported = kind.build(job, Progress(job))
    except ExportError as error:
        return _fail(job, str(error))
    except Exception:
        logger.exception(
            "Export %s (%s) failed, attempt %s", job.pk, job.kind, job.attempts
        )
        if job.attempts > retries:
            _fail(job, FAILED_MESSAGE)
        else:
            ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.RUNNING).update(
                state=ExportJob.State.QUEUED, updated_at=timezone.now()
            )
        raise
    return _finish(job, kind, exported)


def _finish(job, kind, exported):
    storage = ExportJob._meta.get_field("file").storage
    # One name per run: a duplicated run never writes over the kept file.
    name = storage.save(
        f"{job.requested_by_id}/{job.pk}-{job.attempts}.xlsx",
        ContentFile(exported.content),
    )
    try:
        with transaction.atomic():
            locked = ExportJob.objects.select_for_update().get(pk=job.pk)
            if locked.is_finished:
                storage.delete(name)
                return locked
            now = timezone.now()
            locked.state = ExportJob.State.DONE
            locked.file.name = name
            locked.filename = export_filename(kind.stem)
            locked.size = len(exported.content)
            locked.rows_total = locked.rows_done = exported.rows
            locked.finished_at = now
            locked.expires_at = now + timedelta(hours=settings.EXPORT_KEEP_HOURS)
            locked.error = ""
            locked.save()
            log_action(
                locked,
                "core.export.finished",
                by=locked.requested_by,
                data={"rows": exported.rows, "attempts": locked.attempts}
                | exported.data,
            )
            if kind.on_finished is not None:
                kind.on_finished(locked, exported)
    except BaseException:
        storage.delete(name)
        raise
    return locked


def _fail(job, message):
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            return locked
        locked.state = ExportJob.State.FAILED
        locked.error = str(message)[:300]
        locked.finished_at = timezone.now()
        locked.save(update_fields=["state", "error", "finished_at", "updated_at"])
        log_action(
            locked,
            "core.export.failed",
            by=locked.requested_by,
            data={"error": locked.error, "attempts": locked.attempts},
        )
    return locked


def record_export_download(job, *, by):
    """Write to the audit log that ``by`` downloaded ``job``'s file."""
    ExportJob.objects.filter(pk=job.pk).update(downloads=F("downloads") + 1)
    return log_action(
        job,
        "core.export.downloaded",
        by=by,
        data={"kind": job.kind, "rows": job.rows_total, "personal": job.personal},
    )


def expire_exports(now=None):
    """Delete the files past their expiry, fail jobs whose worker is gone, and
    remove files no finished job holds (a run killed while saving).

    Returns (files expired, jobs failed, leftovers removed).
    """
    now = now or timezone.now()
    storage = ExportJob._meta.get_field("file").storage
    expired = 0
    for job in ExportJob.objects.past_expiry(now):
        if job.file.name:
            storage.delete(job.file.name)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.EXPIRED, file="", updated_at=now
        )
        expired += 1
    stalled = 0
    for job in ExportJob.objects.stalled(now - STALLED_AFTER):
        _fail(job, FAILED_MESSAGE)
        stalled += 1
    return expired, stalled, _remove_leftovers(storage, now)


def _remove_leftovers(storage, now):
    root = Path(storage.location)
    if not root.is_dir():
        return 0
    kept = set(
        ExportJob.objects.filter(state=ExportJob.State.DONE)
        .exclude(file="")
        .values_list("file", flat=True)
    )
    # Files of jobs still running are young; give them an hour.
    young = (now - timedelta(hours=1)).timestamp()
    removed = 0
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in kept and path.stat().st_mtime < young:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
