"""How the platform reaches people (report reminders, OCOP expiry reminders,
environmental alerts): e-mail, and an HTTP adapter for SMS gateways and Zalo
OA, which all take a JSON POST to a configured URL.

``settings.REPORT_NOTIFIERS`` lists the channels in use, for example::

    REPORT_NOTIFIERS = [
        {"kind": "email"},
        {"kind": "http", "name": "sms", "url": "https://sms.example/send",
         "token": "…"},
    ]

E-mail alone when it is not set. An adapter takes a ``Message`` and returns
how many people it reached; a failing gateway must not stop the others.
"""

import json
import logging
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    recipients: list = field(default_factory=list)


class EmailNotifier:
    name = "email"

    def send(self, message):
        addresses = [r.email for r in message.recipients if r.email]
        if not addresses:
            return 0
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            addresses,
            fail_silently=False,
        )
        return len(addresses)


class HttpNotifier:
    """POST {"channel", "to": [phones], "subject", "text"} as JSON to ``url``.

    The shape an SMS gateway or a small Zalo OA relay receives; the relay
    holds the OA's access token, not this platform.
    """

    def __init__(self, *, name, url, token="", timeout=10):
        self.name = name
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, message):
        phones = [r.phone for r in message.recipients if r.phone]
        if not phones:
            return 0
        payload = {
            "channel": self.name,
            "to": phones,
            "subject": message.subject,
            "text": message.body,
        }
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            if response.status >= 300:
                raise OSError(f"{self.name}: HTTP {response.status}")
        return len(phones)


def configured_notifiers():
    notifiers = []
    for entry in settings.REPORT_NOTIFIERS:
        if entry["kind"] == "email":
            notifiers.append(EmailNotifier())
        elif entry["kind"] == "http":
            notifiers.append(
                HttpNotifier(
                    name=entry.get("name", "http"),
                    url=entry["url"],
                    token=entry.get("token", ""),
                )
            )
    return notifiers


def deliver(message, notifiers=None):
    """Send through every channel; returns the number of deliveries."""
    reached = 0
    for notifier in notifiers if notifiers is not None else configured_notifiers():
        try:
            reached += notifier.send(message)
        except OSError:
            # One gateway down must not keep the e-mails (or the others) back.
            logger.exception("Message not sent through %s", notifier.name)
    return reached
