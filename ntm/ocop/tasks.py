"""Background work of the OCOP app (Django Tasks): thin wrappers of services."""

import datetime

from django.utils import timezone
from django_tasks import task

from .services import send_expiry_reminders
from .services.reminders import DEFAULT_WINDOW_DAYS


@task()
def remind_expiring_certificates(day=None, within_days=DEFAULT_WINDOW_DAYS):
    """Send the expiry reminders due on ``day`` (ISO text; today if None).

    Returns how many were sent. Arguments are plain JSON, as a queued task
    needs.
    """
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return len(send_expiry_reminders(on, within_days=within_days))
