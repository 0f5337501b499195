"""Excel imports of the plans app: every row is saved, or none.

Each import reads its sheet (``exports`` defines the columns), checks every
row with the same rules as the services (``check_*``), and only when no row
is wrong creates or updates the records in one transaction, with one audit
entry per record. A record is found again by its key (a unit's tally of a
year, a task's number...), so an export imported back changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.accounts.models import Office
from ntm.core.audit import log_actions
from ntm.core.spreadsheets import (
    ImportRefused,
    ImportResult,
    flag_repeats,
    refuse_bad_rows,
)
from ntm.core.text import fold

from . import exports
from .models import (
    BudgetLine,
    EssentialService,
    KeyTask,
    PilotCommune,
    WorkDossierTally,
)
from .models.records import PilotField, ServiceField, year_bounds
from .queries import plan_units, record_units
from .services import (
    PlanError,
    check_budget_line,
    check_pilot,
    check_service,
    check_tally,
    check_task,
)

MAX_AMOUNT = Decimal(10) ** 15


class PlanImportError(ImportRefused, PlanError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""


# -- the five imports --------------------------------------------------------
def import_tallies(file, *, plan, by):
    """Create or update work-dossier tallies; key: unit, office, year."""
    units = _Units(plan, by)
    existing = {
        (t.unit_id, t.office, t.year): t
        for t in WorkDossierTally.objects.filter(unit__in=units.all_ids)
    }

    def parse(row):
        values = {
            "year": row.integer("year", 2015, 2100, required=True),
            "office": row.choice("office", Office),
            "total": row.integer("total", 0, 10**7, required=True),
            "online": row.integer("online", 0, 10**7, required=True),
            "secret": row.integer("secret", 0, 10**7, blank=None),
            "note": row.text("note", 2000),
        }
        values["unit"] = units.find(row, values["year"])
        if not row.messages:
            row.messages.extend(check_tally(**values))
        key = (values["unit"] and values["unit"].pk, values["office"], values["year"])
        return key, values

    return _run(
        file,
        exports.TALLIES,
        parse,
        existing,
        WorkDossierTally,
        "plans.tally.imported",
        by,
    )


def import_services(file, *, plan, by):
    """Create or update essential services; key: commune, field, name."""
    units = _Units(plan, by)
    existing = {
        (s.unit_id, s.field, fold(s.name)): s
        for s in EssentialService.objects.filter(unit__in=units.all_ids)
    }

    def parse(row):
        values = {
            "field": row.choice("field", ServiceField, required=True),
            "name": row.text("name", 200, required=True),
            "url": row.text("url", 300),
            "started_on": row.date("started_on", required=True),
            "ended_on": row.date("ended_on"),
        }
        values["unit"] = units.find(row, (values["started_on"] or _today()).year)
        if not row.messages:
            row.messages.extend(check_service(**values))
        key = (
            values["unit"] and values["unit"].pk,
            values["field"],
            fold(values["name"]),
        )
        return key, values

    return _run(
        file,
        exports.SERVICES,
        parse,
        existing,
        EssentialService,
        "plans.service.imported",
        by,
    )


def import_pilots(file, *, plan, by):
    """Create or update pilot communes; key: commune, field."""
    units = _Units(plan, by)
    existing = {
        (p.unit_id, p.field): p
        for p in PilotCommune.objects.filter(unit__in=units.all_ids)
    }

    def parse(row):
        values = {
            "field": row.choice("field", PilotField, required=True),
            "decision_number": row.text("decision_number", 60),
            "decision_date": row.date("decision_date"),
            "started_on": row.date("started_on", required=True),
            "status": row.choice("status", PilotCommune.Status, required=True),
            "note": row.text("note", 2000),
        }
        values["unit"] = units.find(row, (values["started_on"] or _today()).year)
        if not row.messages:
            row.messages.extend(check_pilot(**values))
        return (values["unit"] and values["unit"].pk, values["field"]), values

    return _run(
        file, exports.PILOTS, parse, existing, PilotCommune, "plans.pilot.imported", by
    )


def import_tasks(file, *, plan, by):
    """Create or update the plan's key tasks; key: the task number."""
    existing = {t.number: t for t in plan.tasks.all()}

    def parse(row):
        values = {
            "plan": plan,
            "number": row.text("number", 10, required=True),
            "title": row.text("title", 500, required=True),
            "lead_office": row.choice("lead_office", Office, required=True),
            "cooperating_offices": row.choices("cooperating_offices", Office),
            "cooperating_others": row.text("cooperating_others", 300),
            "deadline": row.date("deadline", required=True),
            "status": row.choice("status", KeyTask.Status, required=True),
            "progress": row.integer("progress", 0, 100, required=True),
            "note": row.text("note", 4000),
        }
        if not row.messages:
            row.messages.extend(check_task(**values))
        return values["number"], values

    return _run(
        file, exports.TASKS, parse, existing, KeyTask, "plans.task.imported", by
    )


def import_budget(file, *, plan, by):
    """Create or update budget lines; key: task number, year, source."""
    tasks = {t.number: t for t in plan.tasks.all()}
    existing = {
        (b.task.number, b.year, b.source): b
        for b in BudgetLine.objects.filter(task__plan=plan).select_related("task")
    }

    def parse(row):
        number = row.text("task_number", 10, required=True)
        values = {
            "task": tasks.get(number),
            "year": row.integer("year", 2015, 2100, required=True),
            "source": row.choice("source", BudgetLine.Source, required=True),
            "allocated": row.money("allocated", maximum=MAX_AMOUNT, required=True),
            "disbursed": row.money("disbursed", maximum=MAX_AMOUNT),
            "note": row.text("note", 300),
        }
        if number and values["task"] is None:
            row.error(
                _("Kế hoạch không có nhiệm vụ số %(number)s.") % {"number": number}
            )
        if not row.messages:
            values["task"].plan = plan
            row.messages.extend(check_budget_line(**values))
        return (number, values["year"], values["source"]), values

    return _run(
        file, exports.BUDGET, parse, existing, BudgetLine, "plans.budget.imported", by
    )


# -- shared machinery --------------------------------------------------------
def _run(file, sheet, parse, existing, model, action, by):
    rows = PlanImportError.rows_of(file, sheet)
    parsed = {row.number: parse(row) for row in rows}
    # A row already wrong is not also reported as a repeat.
    flag_repeats(
        [row for row in rows if not row.messages],
        lambda row: parsed[row.number][0],
    )
    refuse_bad_rows(rows, PlanImportError)
    return _save(list(parsed.values()), existing, model, action, by)


@transaction.atomic
def _save(parsed, existing, model, action, by):
    created, changed, changes_of = [], [], {}
    for key, values in parsed:
        record = existing.get(key)
        if record is None:
            record = model(**values)
            record.save()
            created.append(record)
            continue
        changes = {}
        for name, new in values.items():
            old = getattr(record, f"{name}_id", None) if _is_fk(model, name) else None
            if _is_fk(model, name):
                if old != new.pk:
                    changes[name] = _change(model, name, getattr(record, name), new)
                    setattr(record, name, new)
                continue
            old = getattr(record, name)
            if old != new:
                changes[name] = _change(model, name, old, new)
                setattr(record, name, new)
        if changes:
            record.save()
            changes_of[record.pk] = changes
            changed.append(record)
    note = _("Nhập từ Excel")
    log_actions(created, action, by=by, data_for=lambda r: {"note": note})
    log_actions(
        changed,
        action,
        by=by,
        data_for=lambda r: {"note": note, "changes": changes_of[r.pk]},
    )
    return ImportResult(
        created=len(created),
        updated=len(changed),
        unchanged=len(parsed) - len(created) - len(changed),
    )


def _is_fk(model, name):
    return model._meta.get_field(name).many_to_one


def _change(model, name, old, new):
    def text(value):
        if value is None or isinstance(value, bool | int | str):
            return value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    label = str(model._meta.get_field(name).verbose_name)
    return {"label": label, "old": text(old), "new": text(new)}


def _today():
    return datetime.date.today()


class _Units:
    """The plan's units by code, and which of them the importer may keep."""

    def __init__(self, plan, user):
        self.all = plan_units(plan)
        self.all_ids = [u.pk for u in self.all]
        self.allowed = {u.pk for u in record_units(user, plan)}

    def find(self, row, year):
        code = row.text("unit_code", 12, required=True)
        if not code or year is None:
            return None
        first, last = year_bounds(year)
        versions = [
            u
            for u in self.all
            if u.code == code
            and (u.valid_from is None or u.valid_from <= last)
            and (u.valid_to is None or u.valid_to >= first)
        ]
        name = fold(row.text("unit_name", 120))
        if len(versions) > 1 and name:
            versions = [u for u in versions if fold(u.name) == name] or versions
        if not versions:
            row.error(
                _("Không có đơn vị mã %(code)s của kế hoạch trong năm %(year)s.")
                % {"code": code, "year": year}
            )
            return None
        # Without a name, the unit that ended the year (Xã Hà Nha for 2025).
        unit = max(versions, key=lambda u: u.valid_from or datetime.date.min)
        if unit.pk not in self.allowed:
            row.error(_("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit})
        return unit


__all__ = [
    "ImportResult",
    "PlanImportError",
    "import_budget",
    "import_pilots",
    "import_services",
    "import_tallies",
    "import_tasks",
]
