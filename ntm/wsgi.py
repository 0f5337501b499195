import os

from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm.settings")
application = get_wsgi_application()

# manage.py runs the system checks before every command; gunicorn does not,
# so a server started with DEBUG off and the development SECRET_KEY (ntm.E001)
# or any other error refuses to serve instead of serving with it.
_errors = [message for message in run_checks() if message.is_serious()]
if _errors:
    raise ImproperlyConfigured(
        "Refusing to start: " + "; ".join(f"{e.id}: {e.msg}" for e in _errors)
    )
