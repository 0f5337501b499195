"""Tasks every installation has (the apps keep theirs in their own tasks.py)."""

from django.db import connection
from django.utils import timezone
from django_tasks import task


@task()
def ping():
    """Reach the database and return the time.

    check_production enqueues it and waits for the answer to know that a
    worker is running and can reach the database.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"at": timezone.now().isoformat(), "database": connection.vendor}
