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

Per-recipient sending (the village channel, which keeps one delivery row per
resident and adapter): ``send_one(recipient, message)`` on every notifier
sends to one person and raises ``SendError`` — ``permanent`` when trying
again cannot help (a 4xx answer, a Zalo error code), else temporary (a 5xx
answer, a timeout, a refused connection). ``ZaloNotifier`` posts to the
Zalo Official Account API itself; ``ConsoleNotifier`` only logs (development
and the demo); ``notifier_from(entry)`` builds any of them from a settings
entry.

SMS has one transport: ``sms_notifier()``, from ``settings.SMS_NOTIFIER``
(the gateway of ``SMS_GATEWAY_URL``, else the console). The survey one-time
codes use it, and the village channel's "sms" adapter is the same entry.
"""

import json
import logging
import urllib.error
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
    zalo_id: str = ""


class SendError(OSError):
    """One recipient was not reached; ``permanent`` when a retry cannot help."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def post_json(url, payload, *, headers=None, timeout=10, name="http"):
    """POST ``payload`` as JSON; the decoded JSON answer ({} if not JSON).

    Raises SendError: permanent on a 4xx answer, temporary on a 5xx answer
    or when the server cannot be reached.
    """
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        raise SendError(
            f"{name}: HTTP {error.code}", permanent=400 <= error.code < 500
        ) from None
    except (urllib.error.URLError, OSError) as error:
        raise SendError(f"{name}: {error}") from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    recipients: list = field(default_factory=list)

    @property
    def text(self):
        """Subject and body as one text, as a phone or a chat shows it."""
        return f"{self.subject}\n{self.body}" if self.subject else self.body


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

    def address_of(self, recipient):
        return recipient.email

    def send_one(self, recipient, message):
        try:
            send_mail(
                message.subject,
                message.body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient.email],
                fail_silently=False,
            )
        except (OSError, ValueError) as error:
            raise SendError(f"email: {error}") from None


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

    def address_of(self, recipient):
        return recipient.phone

    def send_one(self, recipient, message):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        payload = {
            "channel": self.name,
            "to": [recipient.phone],
            "subject": message.subject,
            "text": message.body,
        }
        post_json(
            self.url, payload, headers=headers, timeout=self.timeout, name=self.name
        )


class ZaloNotifier:
    """A text to one follower of a Zalo Official Account ("message/cs").

    POSTs {"recipient": {"user_id"}, "message": {"text"}} with the OA's
    ``access_token`` header; Zalo answers 200 with {"error": 0} when the
    message is accepted and another error code (the user does not follow
    the OA, the token expired) otherwise, which no retry mends.
    """

    name = "zalo"
    URL = "https://openapi.zalo.me/v3.0/oa/message/cs"

    def __init__(self, *, url="", token="", timeout=10):
        self.url = url or self.URL
        self.token = token
        self.timeout = timeout

    def address_of(self, recipient):
        return recipient.zalo_id

    def send_one(self, recipient, message):
        payload = {
            "recipient": {"user_id": recipient.zalo_id},
            "message": {"text": message.text[:2000]},
        }
        answer = post_json(
            self.url,
            payload,
            headers={"access_token": self.token},
            timeout=self.timeout,
            name=self.name,
        )
        if answer.get("error", 0) != 0:
            raise SendError(
                f"zalo: {answer.get('error')} {answer.get('message', '')}".strip(),
                permanent=True,
            )


class ConsoleNotifier:
    """Logs instead of sending (development, the demo): never fails."""

    def __init__(self, *, name, address="phone"):
        self.name = name
        self.address = address

    def address_of(self, recipient):
        return getattr(recipient, self.address)

    def send_one(self, recipient, message):
        # The whole text, not only the subject: a survey's one-time code is in
        # the body, and a developer reads it here.
        logger.info("%s to %s: %s", self.name, self.address_of(recipient), message.text)

    def send(self, message):
        reached = [r for r in message.recipients if self.address_of(r)]
        for recipient in reached:
            self.send_one(recipient, message)
        return len(reached)


def notifier_from(entry):
    """The notifier a settings entry describes ({"kind": "email" | "http" |
    "zalo" | "console", ...})."""
    kind = entry["kind"]
    if kind == "email":
        return EmailNotifier()
    if kind == "http":
        return HttpNotifier(
            name=entry.get("name", "http"),
            url=entry["url"],
            token=entry.get("token", ""),
            timeout=entry.get("timeout", 10),
        )
    if kind == "zalo":
        return ZaloNotifier(
            url=entry.get("url", ""),
            token=entry.get("token", ""),
            timeout=entry.get("timeout", 10),
        )
    if kind == "console":
        return ConsoleNotifier(
            name=entry.get("name", "console"), address=entry.get("address", "phone")
        )
    raise ValueError(f"unknown notifier kind {kind!r}")


def sms_notifier():
    """The notifier every SMS goes through (``settings.SMS_NOTIFIER``)."""
    return notifier_from(settings.SMS_NOTIFIER)


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
