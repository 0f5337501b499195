import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.demo.builders import DEMO_PASSWORD, DEMO_TOTP_HEX
from tests.surveys.conftest import make_survey

from .production import ROOT, production_env, redis_or_skip, run_python

pytestmark = pytest.mark.django_db

SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in "
    "['DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER']}))"
)


def test_debug_is_off_and_https_on_unless_asked_for():
    result = run_python(SETTINGS, production_env())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_behind_a_tls_proxy_the_forwarded_scheme_is_trusted():
    result = run_python(SETTINGS, production_env(BEHIND_PROXY="true"))

    assert json.loads(result.stdout)["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_check_deploy_is_clean_in_production_settings():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', "
        "'--fail-level', 'WARNING'])",
        production_env(ALLOWED_HOSTS="ntm.example.vn"),
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_wsgi_application_refuses_the_development_secret_key_with_debug_off():
    result = run_python("import ntm.wsgi", production_env(SECRET_KEY=None))

    assert result.returncode != 0
    assert "Refusing to start: ntm.E001" in result.stderr


def test_wsgi_application_starts_with_its_own_secret_key():
    result = run_python(
        "import ntm.wsgi; print(type(ntm.wsgi.application).__name__)",
        production_env(),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WSGIHandler"


def test_make_run_listens_on_loopback_unless_told_otherwise():
    import subprocess

    def dry_run(*args):
        return subprocess.run(
            ["make", "-n", "run", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert "runserver 127.0.0.1:8000" in dry_run()
    assert "runserver 0.0.0.0:8080" in dry_run("HOST=0.0.0.0", "PORT=8080")


def test_survey_page_renders_with_the_redis_cache(client, units):
    redis_url = redis_or_skip()
    survey = make_survey(units["ha_nha"])
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"ntm-test-{uuid.uuid4().hex}",
        }
    }
    url = reverse("surveys:public-start", args=[survey.slug])

    with override_settings(CACHES=caches):
        first = client.get(url)
        second = client.get(url)  # served from Redis
        from django.core.cache import cache

        cache.clear()

    assert (first.status_code, second.status_code) == (200, 200)
    assert survey.title in second.content.decode()


def test_check_production_names_what_a_server_lacks():
    with pytest.raises(CommandError) as refused:
        call_command("check_production", wait=0, stdout=(out := _Buffer()))

    assert "mục chưa đạt" in str(refused.value)
    lines = out.text.splitlines()
    assert "✗ Redis (bộ nhớ đệm, phiên, hàng đợi): chưa đặt REDIS_URL." in lines
    assert any(line.startswith("✗ Tiến trình nền (worker): tác vụ") for line in lines)
    assert any(line.startswith("✓ Cập nhật cấu trúc dữ liệu") for line in lines)
    # PostGIS: enabled where the server has it (CI installs it), a
    # reservation naming the package where it has not.
    from ntm.core import postgis

    line = next(line for line in lines if "PostGIS" in line)
    if postgis.enabled():
        assert line.startswith("✓ ")
    else:
        assert line.startswith("! ") and "postgis" in line.lower()


def test_load_demo_refuses_with_debug_off():
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", households=50)

    assert "Không nạp dữ liệu minh họa khi DEBUG tắt" in str(refused.value)
    assert not get_user_model().objects.exists()


@override_settings(ALLOW_DEMO=True)
def test_load_demo_on_a_demo_server_makes_a_random_password_and_key():
    out = _Buffer()

    call_command("load_demo", households=50, stdout=out)

    admin = get_user_model().objects.get(username="admin")
    password = out.text.split("tài khoản minh họa: ")[1].split()[0]
    assert not admin.check_password(DEMO_PASSWORD)
    assert admin.check_password(password)
    assert TOTPDevice.objects.get(user=admin).key != DEMO_TOTP_HEX


@override_settings(DEBUG=True)
def test_load_demo_on_a_developer_machine_uses_the_published_login():
    call_command("load_demo", households=50, stdout=_Buffer())

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD)
    assert TOTPDevice.objects.get(user=admin).key == DEMO_TOTP_HEX


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, text, *args, **kwargs):
        self.text += text if text.endswith("\n") else text + "\n"

    def flush(self):
        pass
