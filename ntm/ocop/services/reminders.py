"""Reminders of OCOP certificates nearing the end of their 36 months.

Each certified product whose last valid day falls within the window gets one
reminder per (certificate, window): to the entity's producer accounts and to
the Agriculture office staff whose units cover the entity. Delivery goes
through the platform's notifiers (``core.notify``: e-mail, and the
SMS / Zalo HTTP adapters when configured).
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ntm.accounts.models import Membership, Office, Role
from ntm.core import notify
from ntm.core.audit import log_action

from ..models import Evaluation, ExpiryReminder

DEFAULT_WINDOW_DAYS = 90


def send_expiry_reminders(
    day, *, within_days=DEFAULT_WINDOW_DAYS, by=None, notifiers=None
):
    """Remind about certificates valid until a day of [day, day + within_days].

    Returns the reminders sent. A certificate already reminded for this
    window (and this validity: a renewed certificate is reminded again) is
    skipped, so the command can run every day.
    """
    last = day + datetime.timedelta(days=within_days)
    # A renewed certificate has another last day, and is reminded again.
    already = ExpiryReminder.objects.filter(
        evaluation=OuterRef("pk"),
        valid_until=OuterRef("valid_until"),
        window_days=within_days,
    )
    due = (
        Evaluation.objects.expiring_between(day, last)
        .exclude(Exists(already))
        .select_related("product__entity__unit", "round")
        .prefetch_related("product__entity__accounts")
        .order_by("valid_until", "pk")
    )
    sent = []
    for evaluation in due:
        message = _message(evaluation, day)
        reached = notify.deliver(message, notifiers)
        with transaction.atomic():
            reminder = ExpiryReminder.objects.create(
                evaluation=evaluation,
                valid_until=evaluation.valid_until,
                window_days=within_days,
                sent_on=day,
                recipients=reached,
            )
            log_action(
                evaluation,
                "ocop.evaluation.reminded",
                by=by,
                data={
                    "note": _("Còn %(days)s ngày; %(count)s người nhận")
                    % {"days": (evaluation.valid_until - day).days, "count": reached}
                },
            )
        sent.append(reminder)
    return sent


def recipients_for(evaluation):
    """The entity's producer accounts and the Agriculture office covering it."""
    entity = evaluation.product.entity
    users = {user for user in entity.accounts.all() if user.is_active}
    office = (
        Membership.objects.covering(entity.unit)
        .filter(role=Role.OFFICE_STAFF, office=Office.AGRICULTURE)
        .select_related("user")
    )
    users |= {membership.user for membership in office if membership.user.is_active}
    return sorted(users, key=lambda user: user.pk)


def _message(evaluation, day):
    product, entity = evaluation.product, evaluation.product.entity
    until = evaluation.valid_until.strftime("%d/%m/%Y")
    subject = _("Giấy chứng nhận OCOP sắp hết hiệu lực: %(product)s") % {
        "product": product.name
    }
    body = _(
        "Sản phẩm “%(product)s” của %(entity)s (%(stars)s sao, giấy chứng nhận "
        "%(number)s) hết hiệu lực ngày %(until)s, còn %(days)s ngày. Hãy chuẩn "
        "bị hồ sơ đánh giá lại."
    ) % {
        "product": product.name,
        "entity": entity.name,
        "stars": evaluation.stars,
        "number": evaluation.certificate_number,
        "until": until,
        "days": (evaluation.valid_until - day).days,
    }
    recipients = [
        notify.Recipient(name=str(user), email=user.email, phone=user.phone)
        for user in recipients_for(evaluation)
    ]
    return notify.Message(subject=subject, body=body, recipients=recipients)
