"""The one SMS transport: settings.SMS_NOTIFIER, from SMS_GATEWAY_URL, and the
retired SMS_ADAPTER (read only to refuse a value that disagrees with it)."""

import json

import pytest

from ntm.core.notify import ConsoleNotifier, HttpNotifier, sms_notifier

from .production import production_env, run_python

SMS_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps([s.SMS_NOTIFIER, s.CHANNEL_ADAPTERS['sms']]))"
)
GATEWAY = "https://sms.example/send"
HTTP = "ntm.surveys.sms.HttpAdapter"
CONSOLE = "ntm.surveys.sms.ConsoleAdapter"


def test_sms_notifier_is_the_console_without_a_gateway():
    assert isinstance(sms_notifier(), ConsoleNotifier)


def test_sms_notifier_follows_the_setting(settings):
    settings.SMS_NOTIFIER = {"kind": "http", "name": "sms", "url": GATEWAY}

    notifier = sms_notifier()

    assert isinstance(notifier, HttpNotifier)
    assert notifier.url == GATEWAY


@pytest.mark.parametrize(
    ("env", "kind"),
    [
        ({}, "console"),
        ({"SMS_GATEWAY_URL": GATEWAY}, "http"),
        # The old values that mean what SMS_GATEWAY_URL says are accepted.
        ({"SMS_ADAPTER": CONSOLE}, "console"),
        ({"SMS_ADAPTER": HTTP, "SMS_GATEWAY_URL": GATEWAY}, "http"),
    ],
)
def test_the_gateway_url_makes_the_one_sms_notifier(env, kind):
    result = run_python(SMS_SETTINGS, production_env(**env))

    assert result.returncode == 0, result.stderr
    sms, channel_sms = json.loads(result.stdout)
    assert sms["kind"] == kind
    assert channel_sms == sms


@pytest.mark.parametrize(
    "env",
    [
        {"SMS_ADAPTER": HTTP},  # used to refuse every code: would now only log
        {"SMS_ADAPTER": CONSOLE, "SMS_GATEWAY_URL": GATEWAY},
        {"SMS_ADAPTER": "myproject.sms.Adapter"},
    ],
)
def test_an_sms_adapter_that_disagrees_stops_the_start(env):
    result = run_python(SMS_SETTINGS, production_env(**env))

    assert result.returncode != 0
    assert "SMS_ADAPTER" in result.stderr and "SMS_GATEWAY_URL" in result.stderr
