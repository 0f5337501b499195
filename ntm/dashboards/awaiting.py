"""What awaits a commune officer or a village head on the home page.

Values to enter this year, yearly reports due or returned, dossiers still
to finish or refused, households missing facts, surveys open for their
villages: each a count and a link, for the units the person holds a role
on. Every kind is one or two set-based queries, whatever the number of
units, households or records.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.accounts.models import Role
from ntm.dossiers.models import Dossier
from ntm.households.models import Household
from ntm.households.queries import villages_of
from ntm.indicators.models import CriteriaSet, Indicator, IndicatorValue
from ntm.indicators.permissions import ENTERERS
from ntm.reports.models import Assignment, Submission
from ntm.reports.permissions import fillable_assignments
from ntm.surveys.models import Response, Survey
from ntm.surveys.permissions import PAPER_CLERKS
from ntm.units.scope import narrowest, prefixes, within_paths

# Dossiers their commune still has to take to submission.
UNFINISHED = (
    Dossier.Status.DRAFT,
    Dossier.Status.SELF_ASSESSED,
    Dossier.Status.POSTED,
)
DONE_VALUES = (IndicatorValue.Status.SUBMITTED, IndicatorValue.Status.APPROVED)


@dataclass
class Waiting:
    """One line of the home page's "việc cần làm"."""

    kind: str  # values, reports, dossiers, households, surveys
    title: str
    count: int
    url: str
    note: str = ""
    urgent: bool = False


def awaiting(user, *, day=None):
    """Everything waiting for ``user``, most pressing kinds first."""
    if not user.is_authenticated:
        return []
    day = day or timezone.localdate()
    memberships = list(
        user.memberships.filter(
            Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day)
        ).select_related("unit")
    )
    return [
        *_values_to_enter(memberships, day.year),
        *_reports(user, memberships),
        *_dossiers(memberships),
        *_households(user),
        *_surveys(user, memberships),
    ]


def _values_to_enter(memberships, year):
    """Per unit held as an enterer: entered indicators of its level used by
    this year's sets without a value sent for review, and values returned."""
    units = {m.unit.pk: m.unit for m in memberships if m.role in ENTERERS}
    if not units:
        return []
    sets = CriteriaSet.objects.active().for_year(year)
    levels = {unit.level for unit in units.values()}
    by_level = {}
    for pk, level in (
        Indicator.objects.filter(
            source=Indicator.Source.ENTERED,
            level__in=levels,
            requirements__criterion__criteria_set__in=sets,
        )
        .values_list("pk", "level")
        .distinct()
    ):
        by_level.setdefault(level, set()).add(pk)
    sent, returned = {}, {}
    for unit_id, indicator_id, status in IndicatorValue.objects.filter(
        unit__in=units, period__code=str(year)
    ).values_list("unit_id", "indicator_id", "status"):
        if status in DONE_VALUES:
            sent.setdefault(unit_id, set()).add(indicator_id)
        elif status == IndicatorValue.Status.RETURNED:
            returned[unit_id] = returned.get(unit_id, 0) + 1
    items = []
    for unit in sorted(units.values(), key=lambda u: u.sort_key):
        url = f"{reverse('indicators:value-entry', args=[unit.code])}?nam={year}"
        missing = len(by_level.get(unit.level, set()) - sent.get(unit.pk, set()))
        if returned.get(unit.pk):
            items.append(
                Waiting(
                    "values",
                    _("Số liệu bị trả lại — %(unit)s") % {"unit": unit.name},
                    returned[unit.pk],
                    url,
                    _("giá trị cần sửa và gửi lại"),
                    urgent=True,
                )
            )
        if missing:
            items.append(
                Waiting(
                    "values",
                    _("Nhập số liệu năm %(year)s — %(unit)s")
                    % {"year": year, "unit": unit.name},
                    missing,
                    url,
                    _("chỉ tiêu chưa nhập hoặc chưa gửi duyệt"),
                )
            )
    return items


def _reports(user, memberships):
    """Yearly reports the user fills that are not sent yet, or came back."""
    paths = [
        m.unit.path
        for m in memberships
        if m.role in (Role.COMMUNE_OFFICER, Role.OFFICE_STAFF)
    ]
    if not paths:
        return []
    candidates = (
        Assignment.objects.counted()
        .filter(
            within_paths(paths, "unit"),
            submission__status__in=[
                Submission.Status.DRAFT,
                Submission.Status.RETURNED,
            ],
        )
        .select_related("unit", "form", "submission")
        .order_by("due_date", "unit__path")
    )
    today = timezone.localdate()
    items = []
    for assignment in fillable_assignments(user, list(candidates)):
        returned = assignment.submission.status == Submission.Status.RETURNED
        late = assignment.due_date < today
        if returned:
            note = _("trả lại để sửa: %(reason)s") % {
                "reason": assignment.submission.return_reason
            }
        elif late:
            note = _("đã quá hạn nộp %(day)s") % {
                "day": assignment.due_date.strftime("%d/%m/%Y")
            }
        else:
            note = _("hạn nộp %(day)s") % {
                "day": assignment.due_date.strftime("%d/%m/%Y")
            }
        items.append(
            Waiting(
                "reports",
                _("Báo cáo năm %(year)s — %(unit)s")
                % {"year": assignment.form.year, "unit": assignment.reporter_name},
                1,
                assignment.get_absolute_url(),
                note,
                urgent=returned or late,
            )
        )
    return items


def _dossiers(memberships):
    """Recognition dossiers of the officer's units: unfinished, or refused."""
    paths = [m.unit.path for m in memberships if m.role == Role.COMMUNE_OFFICER]
    if not paths:
        return []
    counts = dict(
        Dossier.objects.filter(
            within_paths(paths, "unit"),
            status__in=[*UNFINISHED, Dossier.Status.REFUSED],
        )
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    url = reverse("dossiers:dossier-list")
    items = []
    unfinished = sum(counts.get(status, 0) for status in UNFINISHED)
    if counts.get(Dossier.Status.REFUSED):
        items.append(
            Waiting(
                "dossiers",
                _("Hồ sơ không được công nhận"),
                counts[Dossier.Status.REFUSED],
                f"{url}?trang_thai={Dossier.Status.REFUSED}",
                _("hồ sơ cần xem lại ý kiến thẩm định"),
                urgent=True,
            )
        )
    if unfinished:
        items.append(
            Waiting(
                "dossiers",
                _("Hồ sơ xét công nhận chưa trình"),
                unfinished,
                url,
                _("hồ sơ đang lập, tự đánh giá hoặc niêm yết"),
            )
        )
    return items


def _households(user):
    """Households of the villages the user keeps that miss a fact."""
    villages = villages_of(user, editable=True)
    missing = Household.objects.filter(village__in=villages).aggregate(
        address_code=Count(
            "pk", filter=Q(address_code__isnull=True) | Q(address_code="")
        ),
        location=Count("pk", filter=Q(lat__isnull=True) | Q(lon__isnull=True)),
    )
    url = reverse("households:household-list")
    items = []
    if missing["address_code"]:
        items.append(
            Waiting(
                "households",
                _("Hộ chưa có mã địa chỉ số"),
                missing["address_code"],
                f"{url}?no_address_code=on",
                _("hộ trong các thôn bạn quản lý"),
            )
        )
    if missing["location"]:
        items.append(
            Waiting(
                "households",
                _("Hộ chưa có tọa độ trên bản đồ"),
                missing["location"],
                f"{url}?no_location=on",
                _("hộ trong các thôn bạn quản lý"),
            )
        )
    return items


def _surveys(user, memberships):
    """Surveys open now over the units the user holds, with how many of the
    households there have not answered yet."""
    held = narrowest(m.unit.path for m in memberships if m.role in PAPER_CLERKS)
    if not held:
        return []
    # A survey covers a held unit when it is on that unit or above it.
    above = {prefix for path in held for prefix in prefixes(path)}
    surveys = list(
        Survey.objects.open_now()
        .filter(unit__path__in=above)
        .select_related("unit")
        .order_by("closes_at")
    )
    if not surveys:
        return []
    households = Household.objects.filter(within_paths(held, "village"))
    per_unit = households.aggregate(
        **{
            str(index): Count("pk", filter=Q(village__path__startswith=path))
            for index, path in enumerate(held)
        }
    )
    answered = dict(
        Response.objects.filter(survey__in=surveys, household__in=households)
        .values_list("survey")
        .annotate(n=Count("pk"))
    )
    items = []
    for survey in surveys:
        total = sum(
            per_unit[str(index)]
            for index, path in enumerate(held)
            if path.startswith(survey.unit.path)
        )
        items.append(
            Waiting(
                "surveys",
                survey.title,
                total - answered.get(survey.pk, 0),
                reverse("surveys:paper-add", args=[survey.pk]),
                _("hộ chưa trả lời, đến hết %(day)s")
                % {"day": timezone.localtime(survey.closes_at).strftime("%d/%m/%Y")},
            )
        )
    return items
