"""Excel imports of the plans app: every row is saved, or none.

Each import reads its sheet (``exports`` defines the columns), checks every
row with the same rules as the services (``check_*``), and only when no row
is wrong creates or updates the records in one transaction, with one audit
entry per record. A record is found again by its key (a unit's tally of a
year, a task's number...), so an export imported back changes nothing.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.accounts.models import Office
from ntm.core import spreadsheets
from ntm.core.audit import log_actions
from ntm.core.spreadsheets import ImportResult, RowError
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

MAX_ROWS = 5000
MAX_AMOUNT = Decimal(10) ** 15


class PlanImportError(PlanError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


# -- the five imports --------------------------------------------------------
def import_tallies(file, *, plan, by):
    """Create or update work-dossier tallies; key: unit, office, year."""
    units = _Units(plan, by)
    existing = {
        (t.unit_id, t.office, t.year): t
        for t in WorkDossierTally.objects.filter(unit__in=units.all_ids)
    }

    def parse(row, messages):
        reader = _Reader(exports.TALLIES, row, messages)
        values = {
            "year": reader.integer("year", 2015, 2100, required=True),
            "office": reader.choice("office", Office),
            "total": reader.integer("total", 0, 10**7, required=True),
            "online": reader.integer("online", 0, 10**7, required=True),
            "secret": reader.integer("secret", 0, 10**7, blank=None),
            "note": reader.text("note", 2000),
        }
        values["unit"] = units.find(reader, values["year"])
        if not messages:
            messages += check_tally(**values)
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

    def parse(row, messages):
        reader = _Reader(exports.SERVICES, row, messages)
        values = {
            "field": reader.choice("field", ServiceField, required=True),
            "name": reader.text("name", 200, required=True),
            "url": reader.text("url", 300),
            "started_on": reader.date("started_on", required=True),
            "ended_on": reader.date("ended_on"),
        }
        values["unit"] = units.find(reader, (values["started_on"] or _today()).year)
        if not messages:
            messages += check_service(**values)
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

    def parse(row, messages):
        reader = _Reader(exports.PILOTS, row, messages)
        values = {
            "field": reader.choice("field", PilotField, required=True),
            "decision_number": reader.text("decision_number", 60),
            "decision_date": reader.date("decision_date"),
            "started_on": reader.date("started_on", required=True),
            "status": reader.choice("status", PilotCommune.Status, required=True),
            "note": reader.text("note", 2000),
        }
        values["unit"] = units.find(reader, (values["started_on"] or _today()).year)
        if not messages:
            messages += check_pilot(**values)
        return (values["unit"] and values["unit"].pk, values["field"]), values

    return _run(
        file, exports.PILOTS, parse, existing, PilotCommune, "plans.pilot.imported", by
    )


def import_tasks(file, *, plan, by):
    """Create or update the plan's key tasks; key: the task number."""
    existing = {t.number: t for t in plan.tasks.all()}

    def parse(row, messages):
        reader = _Reader(exports.TASKS, row, messages)
        values = {
            "plan": plan,
            "number": reader.text("number", 10, required=True),
            "title": reader.text("title", 500, required=True),
            "lead_office": reader.choice("lead_office", Office, required=True),
            "cooperating_offices": reader.choices("cooperating_offices", Office),
            "cooperating_others": reader.text("cooperating_others", 300),
            "deadline": reader.date("deadline", required=True),
            "status": reader.choice("status", KeyTask.Status, required=True),
            "progress": reader.integer("progress", 0, 100, required=True),
            "note": reader.text("note", 4000),
        }
        if not messages:
            messages += check_task(**values)
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

    def parse(row, messages):
        reader = _Reader(exports.BUDGET, row, messages)
        number = reader.text("task_number", 10, required=True)
        values = {
            "task": tasks.get(number),
            "year": reader.integer("year", 2015, 2100, required=True),
            "source": reader.choice("source", BudgetLine.Source, required=True),
            "allocated": reader.money("allocated", required=True),
            "disbursed": reader.money("disbursed"),
            "note": reader.text("note", 300),
        }
        if number and values["task"] is None:
            messages.append(
                _("Kế hoạch không có nhiệm vụ số %(number)s.") % {"number": number}
            )
        if not messages:
            values["task"].plan = plan
            messages += check_budget_line(**values)
        return (number, values["year"], values["source"]), values

    return _run(
        file, exports.BUDGET, parse, existing, BudgetLine, "plans.budget.imported", by
    )


# -- shared machinery --------------------------------------------------------
def _run(file, sheet, parse, existing, model, action, by):
    rows = _read(file, sheet)
    errors, parsed, first_row = {}, [], {}
    for number, raw in rows:
        messages = []
        key, values = parse(raw, messages)
        if not messages:
            if key in first_row:
                messages.append(_("Trùng với dòng %(row)s.") % {"row": first_row[key]})
            else:
                first_row[key] = number
        if messages:
            errors[number] = messages
        parsed.append((key, values))
    if errors:
        bad = [RowError(n, m) for n, m in sorted(errors.items())]
        raise PlanImportError(
            _("Có %(count)s dòng chưa hợp lệ; chưa lưu dòng nào.")
            % {"count": len(bad)},
            bad,
        )
    return _save(parsed, existing, model, action, by)


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


def _read(file, sheet):
    columns = [
        (c.key, c.header, c.required) for c in sheet.columns if not c.informative
    ]
    try:
        workbook = spreadsheets.open_workbook(file)
        try:
            data = spreadsheets.sheet_named(workbook, sheet.name)
            return spreadsheets.data_rows(data, columns, max_rows=MAX_ROWS)
        finally:
            workbook.close()
    except spreadsheets.SpreadsheetError as error:
        raise PlanImportError(str(error)) from None


def _today():
    return datetime.date.today()


class _Units:
    """The plan's units by code, and which of them the importer may keep."""

    def __init__(self, plan, user):
        self.all = plan_units(plan)
        self.all_ids = [u.pk for u in self.all]
        self.allowed = {u.pk for u in record_units(user, plan)}

    def find(self, reader, year):
        code = reader.text("unit_code", 12, required=True)
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
        name = fold(reader.text("unit_name", 120))
        if len(versions) > 1 and name:
            versions = [u for u in versions if fold(u.name) == name] or versions
        if not versions:
            reader.messages.append(
                _("Không có đơn vị mã %(code)s của kế hoạch trong năm %(year)s.")
                % {"code": code, "year": year}
            )
            return None
        # Without a name, the unit that ended the year (Xã Hà Nha for 2025).
        unit = max(versions, key=lambda u: u.valid_from or datetime.date.min)
        if unit.pk not in self.allowed:
            reader.messages.append(
                _("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit}
            )
        return unit


class _Reader:
    """Typed cells of one row, adding a message for each bad cell."""

    def __init__(self, sheet, row, messages):
        self.sheet, self.row, self.messages = sheet, row, messages

    def _missing(self, key):
        self.messages.append(
            _("Thiếu %(column)s.") % {"column": self.sheet.header(key).lower()}
        )

    def _raw(self, key):
        value = self.row.get(key)
        if isinstance(value, str):
            value = " ".join(value.split())
        return None if value in (None, "") else value

    def text(self, key, max_length, required=False):
        value = self._raw(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value)
        if required and not text:
            self._missing(key)
        elif len(text) > max_length:
            self.messages.append(
                _("%(column)s dài quá %(max)s ký tự.")
                % {"column": self.sheet.header(key), "max": max_length}
            )
        return text

    def integer(self, key, low, high, required=False, blank=0):
        value = self._raw(key)
        if value is None:
            if required:
                self._missing(key)
                return None
            return blank
        try:
            if isinstance(value, int | float):
                number = Decimal(str(value))
            else:
                number = Decimal(str(value).replace(".", "").replace(",", "."))
            valid = (
                not isinstance(value, bool)
                and number == number.to_integral_value()
                and low <= number <= high
            )
        except InvalidOperation:
            valid = False
        if not valid:
            self.messages.append(
                _("%(column)s phải là số nguyên từ %(low)s đến %(high)s.")
                % {"column": self.sheet.header(key), "low": low, "high": high}
            )
            return None
        return int(number)

    def money(self, key, required=False):
        value = self._raw(key)
        if value is None:
            if required:
                self._missing(key)
                return None
            return Decimal(0)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            try:
                # "1.250.000" as Vietnamese write it.
                number = Decimal(str(value).replace(".", "").replace(",", "."))
            except InvalidOperation:
                number = None
        if number is None or number < 0 or number >= MAX_AMOUNT:
            self.messages.append(
                _("%(column)s phải là số tiền (đồng) không âm.")
                % {"column": self.sheet.header(key)}
            )
            return None
        return number.quantize(Decimal(1))

    def date(self, key, required=False):
        value = self._raw(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.datetime.strptime(str(value), "%d/%m/%Y").date()
        except ValueError:
            self.messages.append(
                _("%(column)s phải là ngày dạng dd/mm/yyyy.")
                % {"column": self.sheet.header(key)}
            )
            return None

    def choice(self, key, choices, required=False):
        value = self._raw(key)
        if value is None:
            if required:
                self._missing(key)
            return ""
        found = _match(str(value), choices)
        if found is None:
            self.messages.append(
                _("%(column)s “%(value)s” không có trong danh sách.")
                % {"column": self.sheet.header(key), "value": value}
            )
            return ""
        return found

    def choices(self, key, choices):
        found = []
        for part in str(self._raw(key) or "").split(";"):
            if not part.strip():
                continue
            value = _match(part, choices)
            if value is None:
                self.messages.append(
                    _("%(column)s “%(value)s” không có trong danh sách.")
                    % {"column": self.sheet.header(key), "value": part.strip()}
                )
            elif value not in found:
                found.append(value)
        return found


def _match(text, choices):
    """The choice whose code or label is ``text`` (without diacritics)."""
    wanted = fold(text)
    for value, label in choices.choices:
        if wanted in (fold(value), fold(str(label))):
            return value
    return None


__all__ = [
    "ImportResult",
    "PlanImportError",
    "import_budget",
    "import_pilots",
    "import_services",
    "import_tallies",
    "import_tasks",
]
