import ast
from pathlib import Path

import pytest
from django.apps import apps

import ntm
from ntm.core.audit import action_labels, diff, log_action, log_actions, snapshot
from ntm.core.models import ActionLog
from ntm.units.models import Unit

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_action_and_object(units):
    user = UserFactory()
    unit = units["ha_nha"]

    log_action(unit, "units.unit.changed", by=user, data={"note": "x"})

    entry = ActionLog.objects.for_object(unit).first()
    assert (entry.actor, entry.action, entry.object_repr) == (
        user,
        "units.unit.changed",
        "Xã Hà Nha",
    )


def test_diff_lists_only_changed_fields_with_labels(units):
    unit = units["ha_nha"]
    before = snapshot(unit, ["name", "area_km2"])
    unit.name = "Xã Hà Nha mới"

    changes = diff(unit, before, snapshot(unit, ["name", "area_km2"]))

    assert changes == {
        "name": {"label": "Tên", "old": "Xã Hà Nha", "new": "Xã Hà Nha mới"}
    }


def test_log_actions_writes_one_row_per_object_in_bulk(units):
    communes = list(Unit.objects.valid_on().communes())
    ActionLog.objects.all().delete()

    log_actions(communes, "units.unit.checked", by=None)

    assert ActionLog.objects.filter(action="units.unit.checked").count() == 5
    assert ActionLog.objects.filter(actor__isnull=False).count() == 0


# -- every action name is a literal with a label --------------------------------

NTM = Path(ntm.__file__).resolve().parent
LOGGERS = {("ntm.core.audit", "log_action"), ("ntm.core.audit", "log_actions")}


class Module:
    """One module under ntm/: its functions and what its names refer to."""

    def __init__(self, path):
        relative = path.relative_to(NTM.parent).with_suffix("")
        parts = list(relative.parts)
        self.is_package = parts[-1] == "__init__"
        self.name = ".".join(parts[:-1] if self.is_package else parts)
        self.path = path.relative_to(NTM.parent)
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.functions = {
            node.name: node
            for node in self.tree.body
            if isinstance(node, ast.FunctionDef)
        }
        # Module-level tables of names (``AREA_ACTIONS = {"issue": "…issued"}``).
        self.tables = {
            target.id: node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        self.imports = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                base = self._resolve(node.module, node.level)
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (base, alias.name)

    def _resolve(self, module, level):
        if not level:
            return module
        package = self.name.split(".")
        package = package if self.is_package else package[:-1]
        package = package[: len(package) - (level - 1)]
        return ".".join([*package, module] if module else package)


def _definition(modules, module, name, seen=()):
    """(module, function) that ``name`` in ``module`` refers to, through
    imports and re-exports."""
    found = modules.get(module)
    if found is None or (module, name) in seen:
        return (module, name)
    if name in found.functions:
        return (module, name)
    if name in found.imports:
        return _definition(modules, *found.imports[name], (*seen, (module, name)))
    return (module, name)


class _Calls(ast.NodeVisitor):
    """Calls of plain names, each with the innermost function it is in."""

    def __init__(self):
        self.found, self.stack = [], [None]

    def visit_FunctionDef(self, node):
        self.stack.append(node)
        self.generic_visit(node)
        self.stack.pop()

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name):
            self.found.append((self.stack[-1], node))
        self.generic_visit(node)


def _action_argument(call, position, keyword):
    if position is not None and len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _logged_names():
    """Every action name passed to log_action or log_actions under ntm/, and
    the calls whose name is not written out. A helper that hands its own
    parameter on as the action (plans' create_record) is a logger too: its
    callers must write the name out."""
    modules = {m.name: m for m in map(Module, sorted(NTM.rglob("*.py")))}
    sites = []
    for module in modules.values():
        calls = _Calls()
        calls.visit(module.tree)
        for function, call in calls.found:
            target = _definition(modules, module.name, call.func.id)
            key = None if function is None else (module.name, function.name)
            sites.append((module, function, key, call, target))
    loggers = dict.fromkeys(LOGGERS, (1, "action"))
    growing = True
    while growing:
        growing = False
        for _module, function, key, call, target in sites:
            if target not in loggers or key is None or key in loggers:
                continue
            relayed = _relayed(function, _action_argument(call, *loggers[target]))
            if relayed is not None:
                loggers[key] = relayed
                growing = True
    names, unwritten = set(), []
    for module, _function, key, call, target in sites:
        if target not in loggers:
            continue
        argument = _action_argument(call, *loggers[target])
        if isinstance(argument, ast.IfExp):
            choices = [argument.body, argument.orelse]
        elif (
            isinstance(argument, ast.Subscript)
            and isinstance(argument.value, ast.Name)
            and argument.value.id in module.tables
        ):
            # A lookup in a table of the module: every entry is a name.
            choices = module.tables[argument.value.id].values
        else:
            choices = [argument]
        if all(
            isinstance(c, ast.Constant) and isinstance(c.value, str) for c in choices
        ):
            names.update(c.value for c in choices)
        elif not (
            key in loggers
            and isinstance(argument, ast.Name)
            and argument.id == loggers[key][1]
        ):
            unwritten.append(f"{module.path}:{call.lineno}")
    return names, unwritten


def _relayed(function, argument):
    """(position or None if keyword-only, name) of ``function``'s parameter
    that ``argument`` is, if it is one: the function passes its caller's
    action name on."""
    if not isinstance(argument, ast.Name):
        return None
    positional = [a.arg for a in function.args.args]
    if argument.id in positional:
        return (positional.index(argument.id), argument.id)
    if argument.id in [a.arg for a in function.args.kwonlyargs]:
        return (None, argument.id)
    return None


def test_every_logged_action_is_written_out_in_the_past_tense_with_a_label():
    names, unwritten = _logged_names()

    assert unwritten == []
    assert len(names) > 80
    assert sorted(name for name in names if name not in action_labels()) == []
    assert sorted(name for name in names if not _past_tense(name)) == []


def _past_tense(name):
    verb = name.rsplit(".", 1)[-1].rsplit("_", 1)[-1]
    return verb.endswith("ed") or verb in ("set", "frozen")


def test_each_app_labels_only_its_own_actions():
    foreign = [
        f"{config.label}: {name}"
        for config in apps.get_app_configs()
        for name in getattr(config, "action_labels", {})
        if not name.startswith(f"{config.label}.")
    ]

    assert foreign == []
