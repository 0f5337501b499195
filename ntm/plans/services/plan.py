"""Loading a plan and its targets from a data file."""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.indicators.models import CriteriaSet, Requirement
from ntm.indicators.services import LEVELS
from ntm.units.models import Unit

from ..models import Plan, Target
from .errors import PlanError

PLANS_DIR = Path(__file__).parent.parent / "data"


@transaction.atomic
def load_plan_file(path, *, by=None):
    """Create a plan and its targets from a data file; (plan, created?).

    A plan already loaded (same code) is left alone: its targets point at
    requirements that admins edit on screen, audited.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    existing = Plan.objects.filter(code=data["code"]).first()
    if existing:
        return existing, False
    try:
        unit = Unit.objects.by_code(
            data["unit"]["code"], on=datetime.date.fromisoformat(data["unit"]["on"])
        )
    except Unit.DoesNotExist as error:
        raise PlanError(
            _("Không tìm thấy đơn vị %s.") % data["unit"]["code"]
        ) from error
    criteria_set = (
        CriteriaSet.objects.filter(code=data["criteria_set"])
        .order_by("-version")
        .first()
    )
    if criteria_set is None:
        raise PlanError(
            _("Bộ tiêu chí %s chưa được nạp (manage.py load_criteria).")
            % data["criteria_set"]
        )
    requirements = {
        r.code: r
        for r in Requirement.objects.filter(criterion__criteria_set=criteria_set)
    }
    plan = Plan.objects.create(
        code=data["code"],
        title=data["title"],
        issuer=data["issuer"],
        number=data.get("number", ""),
        signed_on=data.get("signed_on") or None,
        first_year=data["first_year"],
        last_year=data["last_year"],
        unit=unit,
        source=data.get("source", ""),
    )
    for order, item in enumerate(data["targets"], start=1):
        if item["requirement"] not in requirements:
            raise PlanError(
                _("Mục tiêu %(n)s: bộ tiêu chí không có yêu cầu %(code)s.")
                % {"n": item["number"], "code": item["requirement"]}
            )
        Target.objects.create(
            plan=plan,
            number=item["number"],
            title=item["title"],
            requirement=requirements[item["requirement"]],
            deadline=datetime.date.fromisoformat(item["deadline"]),
            lagging_level=LEVELS[item["lagging_level"]]
            if item.get("lagging_level")
            else None,
            order=order,
        )
    log_action(plan, "plans.plan.created", by=by, data={"note": Path(path).name})
    return plan, True


def load_all_plans(*, by=None):
    return [load_plan_file(path, by=by) for path in sorted(PLANS_DIR.glob("*.json"))]
