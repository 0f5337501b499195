"""Sending one-time codes by SMS: an adapter interface and two adapters.

``settings.SMS_ADAPTER`` names the adapter class (default: the console adapter,
which only logs, for development and the demo); ``settings.SMS_GATEWAY_URL``
is where the HTTP adapter posts ``{"to": ..., "message": ...}`` as JSON.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not accept the message."""


class SmsAdapter:
    def send(self, phone, message):
        raise NotImplementedError


class ConsoleAdapter(SmsAdapter):
    """Logs the message instead of sending it (development, demo)."""

    sent = []  # the last messages, for a developer at the console

    def send(self, phone, message):
        logger.info("SMS to %s: %s", phone, message)
        self.sent.append((phone, message))
        del self.sent[:-20]


class HttpAdapter(SmsAdapter):
    """Posts JSON to the operator's gateway; any 2xx answer means accepted."""

    def __init__(self, url=None, timeout=5):
        self.url = url or settings.SMS_GATEWAY_URL
        self.timeout = timeout

    def send(self, phone, message):
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL chưa được cấu hình")
        body = json.dumps({"to": phone, "message": message}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                status = answer.status
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(str(error)) from error
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def get_adapter():
    return import_string(settings.SMS_ADAPTER)()
