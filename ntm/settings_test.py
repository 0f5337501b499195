import os

# The development defaults (pytest-django still turns DEBUG off in each test).
os.environ.setdefault("DEBUG", "true")

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# One folder per test process (pytest-xdist), emptied after each test.
EXPORTS_ROOT = MEDIA_ROOT / "exports" / os.environ.get("PYTEST_XDIST_WORKER", "main")
STORAGES["exports"]["OPTIONS"]["location"] = EXPORTS_ROOT  # noqa: F405
# Tests sign in and post from one address far faster than a person; the
# limits themselves are tested with their own values (tests/core).
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "100000/m")  # noqa: F405
# Every request reads the data version (tests empty the cache between them).
PUBLIC_VERSION_CHECK_SECONDS = 0
