"""Background work of the village channel (Django Tasks): thin wrappers."""

from django.utils import timezone
from django_tasks import task

from .services import send_due_deliveries


@task()
def send_announcement(announcement_id):
    """Send the announcement's due deliveries; schedule the next try of those
    a gateway refused for now (a backend that cannot defer leaves them to
    ``manage.py send_channel_deliveries``, run every minute by cron)."""
    next_due = send_due_deliveries(announcement=announcement_id)
    backend = send_announcement.get_backend()
    if next_due is not None and backend.supports_defer:
        send_announcement.using(run_after=max(next_due, timezone.now())).enqueue(
            announcement_id
        )
    return {"announcement": announcement_id, "pending": next_due is not None}
