"""The world the permission matrix runs in: the demo district, its accounts,
and for each kind of object one inside the roles' units and one outside.

"Inside" is in Thôn 1 of Xã Hà Nha (the village head's village, within the
commune officer's commune and the district roles' province) when the kind
has village-level records, else in Xã Hà Nha; "outside" is in another
commune, outside every role held below the province.
"""

import datetime

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from ntm.accounts.models import ApiToken, Membership, Role, User
from ntm.accounts.services import create_api_token
from ntm.core.models import ExportJob
from ntm.demo.builders import load_demo
from ntm.units.models import Unit

# Few households: every village has some, the load takes seconds.
HOUSEHOLDS = 200
COMMUNE_PATH = "48/20515/"
VILLAGE_PATH = "48/20515/2051201/"
IN, OUT, ANY = "in", "out", "-"

# The demo's accounts, plus a visitor with no account.
ROLES = [
    "anonymous",
    "admin",
    "vhtt",
    "nnptnt",
    "ktht",
    "tckh",
    "congan",
    "xa.hanha",
    "thon.hanha1",
    "hoidong",
    "sanxuat",
]


def build_world():
    """Load the demo and the few records it lacks; return the outside user."""
    load_demo(households=HOUSEHOLDS)
    outsider = User.objects.create_user("ngoai.vugia", password="mat-khau-dung-1")
    vu_gia = Unit.objects.communes().exclude(path__startswith=COMMUNE_PATH).first()
    Membership.objects.create(user=outsider, unit=vu_gia, role=Role.COMMUNE_OFFICER)
    officer = User.objects.get(username="xa.hanha")
    create_api_token(officer, name="Trong", scopes=["read"], days=30, by=officer)
    create_api_token(outsider, name="Ngoai", scopes=["read"], days=30, by=outsider)
    for user in (officer, outsider):
        ExportJob.objects.create(requested_by=user, kind="households", title="Sổ hộ")
    _place_records_on_both_sides(officer)


def _place_records_on_both_sides(officer):
    """The demo puts some kinds only in Hà Nha or only elsewhere: move one
    record of each such kind across, and add the evidence files it lacks."""
    ha_nha = Unit.objects.get(path=COMMUNE_PATH)
    elsewhere = Unit.objects.communes().exclude(path__startswith=COMMUNE_PATH)
    other = elsewhere.filter(valid_to__isnull=True).first()

    def move_in(label, field, unit, inside):
        rows = _model(label).objects.exclude(**{f"{inside}__startswith": COMMUNE_PATH})
        first = rows.order_by("pk").first()
        rows.filter(pk=first.pk).update(**{field: unit})

    move_in("cooperatives.Cooperative", "commune", ha_nha, "commune__path")
    move_in("traceability.GrowingArea", "unit", ha_nha, "unit__path")
    move_in("ocop.EvaluationRound", "unit", ha_nha, "unit__path")
    move_in("knowledge.ProgramStaff", "unit", ha_nha, "unit__path")
    hanha_entity = _model("ocop.Entity").objects.filter(
        unit__path__startswith=COMMUNE_PATH
    )
    move_in("ocop.GreenChain", "entity", hanha_entity.first(), "entity__unit__path")
    services = _model("plans.EssentialService").objects
    services.filter(pk=services.order_by("pk").first().pk).update(unit=ha_nha)
    # Every pilot commune is Hà Nha: copy one to another commune.
    pilot = _model("plans.PilotCommune").objects.order_by("pk").first()
    pilot.pk, pilot.unit = None, other
    pilot.save()
    lots = _model("traceability.Lot").objects
    lots.filter(pk=lots.order_by("pk").first().pk).update(
        gtin="08930000000019", local_id=""
    )
    values = _model("indicators.IndicatorValue").objects.filter(unit__kind="xa")
    dossiers = _model("dossiers.Dossier").objects
    for path in (COMMUNE_PATH, other.path):
        value = values.filter(unit__path=path).order_by("pk").first()
        value.evidence.create(
            file=ContentFile(b"%PDF-1.4 minh chung", "minh-chung.pdf"),
            name="minh-chung.pdf",
            uploaded_by=officer,
        )
        dossier = dossiers.filter(unit__path__startswith=path).order_by("pk").first()
        if dossier is not None:
            dossier.evidence.create(
                criterion_number="1",
                file=ContentFile(b"%PDF-1.4 minh chung", "minh-chung.pdf"),
                name="minh-chung.pdf",
                uploaded_by=officer,
            )


def _model(label):
    return apps.get_model(label)


class Kind:
    """A kind of object a route takes: where to find one and its URL kwargs.

    ``path`` is the lookup of the record's unit path (None: the kind is not
    held by a unit, one object serves every role); ``inside`` overrides how
    the inside object is chosen (owner-held kinds).
    """

    def __init__(self, label, path, kwargs, *, where=None, inside=None, outside=None):
        self.label, self.path, self.kwargs = label, path, kwargs
        self.where = where or {}
        self.inside, self.outside = inside, outside

    @property
    def scoped(self):
        return self.path is not None or self.inside is not None

    def pick(self, where):
        rows = _model(self.label)._default_manager.filter(**self.where)
        rows = rows.order_by("pk")
        if where == IN and self.inside:
            return rows.filter(**self.inside).first()
        if where == OUT and self.outside:
            return rows.filter(**self.outside).first()
        if where == ANY or self.path is None:
            return rows.first()
        commune = {f"{self.path}__startswith": COMMUNE_PATH}
        if where == IN:
            village = {f"{self.path}__startswith": VILLAGE_PATH}
            return rows.filter(**village).first() or rows.filter(**commune).first()
        return rows.exclude(**commune).first()


def _token_owner(username):
    return {"user__username": username}


KINDS = {
    "commune": Kind(
        "units.Unit",
        "path",
        lambda o: {"code": o.code},
        where={"kind": "xa", "valid_to__isnull": True},
    ),
    "village": Kind(
        "units.Unit",
        "path",
        lambda o: {"village_code": o.code},
        where={"kind": "thon", "valid_to__isnull": True},
    ),
    "token": Kind(
        "accounts.ApiToken",
        None,
        lambda o: {"pk": o.pk},
        inside=_token_owner("xa.hanha"),
        outside=_token_owner("ngoai.vugia"),
    ),
    "membership": Kind("accounts.Membership", "unit__path", lambda o: {"pk": o.pk}),
    "household": Kind(
        "households.Household", "village__path", lambda o: {"code": o.code}
    ),
    "facility": Kind("households.Facility", "village__path", lambda o: {"pk": o.pk}),
    "channel": Kind(
        "households.VillageChannel",
        "village__path",
        lambda o: {"village_code": o.village.code, "pk": o.pk},
    ),
    "criteriaset": Kind("indicators.CriteriaSet", None, lambda o: {"set_code": o.code}),
    "requirement": Kind("indicators.Requirement", None, lambda o: {"pk": o.pk}),
    "evaluation": Kind(
        "indicators.UnitClassification",
        "unit__path",
        lambda o: {"set_code": _commune_set().code, "unit_code": o.unit.code},
        where={"unit__kind": "xa"},
    ),
    "requirement_value": Kind(
        "indicators.UnitClassification",
        "unit__path",
        lambda o: {
            "set_code": _commune_set().code,
            "unit_code": o.unit.code,
            "code": _commune_requirement().code,
        },
        where={"unit__kind": "xa"},
    ),
    "matrix": Kind(
        "units.Unit",
        None,
        lambda o: {"set_code": _commune_set().code, "parent_code": o.code},
        where={"code": "48"},
    ),
    "entry_unit": Kind(
        "units.Unit",
        "path",
        lambda o: {"unit_code": o.code},
        where={"kind": "xa", "valid_to__isnull": True},
    ),
    "entry_value": Kind(
        "indicators.IndicatorValue",
        "unit__path",
        lambda o: {"unit_code": o.unit.code, "indicator_code": o.indicator.code},
        # This year's: the entry pages open the current year.
        where={
            "indicator__source": "entered",
            "unit__kind": "xa",
            "unit__valid_to__isnull": True,
            "period__code": str(datetime.date.today().year),
        },
    ),
    "evidence": Kind(
        "indicators.Evidence", "value__unit__path", lambda o: {"pk": o.pk}
    ),
    "value": Kind(
        "indicators.IndicatorValue",
        "unit__path",
        lambda o: {"pk": o.pk},
        where={"status": "submitted"},
    ),
    "plan": Kind("plans.Plan", None, lambda o: {"code": o.code}),
    "target": Kind(
        "plans.Target", None, lambda o: {"code": o.plan.code, "number": o.number}
    ),
    "dashboard_target": Kind("plans.Target", None, lambda o: {"number": o.number}),
    "task": Kind("plans.KeyTask", None, lambda o: {"pk": o.pk}),
    "period": Kind("indicators.Period", None, lambda o: {"code": o.code}),
    "taskupdate": Kind("plans.TaskUpdate", None, lambda o: {"pk": o.pk}),
    "budget": Kind("plans.BudgetLine", None, lambda o: {"pk": o.pk}),
    "tally": Kind(
        "plans.WorkDossierTally",
        "unit__path",
        lambda o: {"code": _plan().code, "pk": o.pk},
    ),
    "service": Kind(
        "plans.EssentialService",
        "unit__path",
        lambda o: {"code": _plan().code, "pk": o.pk},
    ),
    "pilot": Kind(
        "plans.PilotCommune",
        "unit__path",
        lambda o: {"code": _plan().code, "pk": o.pk},
    ),
    "training": Kind("knowledge.Training", "organiser__path", lambda o: {"pk": o.pk}),
    "participation": Kind(
        "knowledge.Participation", "training__organiser__path", lambda o: {"pk": o.pk}
    ),
    "staff": Kind("knowledge.ProgramStaff", "unit__path", lambda o: {"pk": o.pk}),
    "cooperative": Kind(
        "cooperatives.Cooperative", "commune__path", lambda o: {"pk": o.pk}
    ),
    "linkage": Kind(
        "cooperatives.LinkageModel",
        "cooperative__commune__path",
        lambda o: {"pk": o.pk},
    ),
    "survey": Kind("surveys.Survey", "unit__path", lambda o: {"pk": o.pk}),
    "question": Kind("surveys.Question", "survey__unit__path", lambda o: {"pk": o.pk}),
    "public_survey": Kind("surveys.Survey", None, lambda o: {"slug": o.slug}),
    "dossier": Kind("dossiers.Dossier", "unit__path", lambda o: {"pk": o.pk}),
    "dossier_evidence": Kind(
        "dossiers.DossierEvidence", "dossier__unit__path", lambda o: {"pk": o.pk}
    ),
    "year": Kind("reports.ReportForm", None, lambda o: {"year": o.year}),
    "submission": Kind(
        "reports.Submission", "assignment__unit__path", lambda o: {"pk": o.pk}
    ),
    "product": Kind("ocop.Product", "entity__unit__path", lambda o: {"pk": o.pk}),
    "entity": Kind("ocop.Entity", "unit__path", lambda o: {"pk": o.pk}),
    "entity_of": Kind("ocop.Entity", "unit__path", lambda o: {"entity_pk": o.pk}),
    "sales_channel": Kind(
        "ocop.SalesChannel", "entity__unit__path", lambda o: {"pk": o.pk}
    ),
    "green": Kind("ocop.GreenChain", "entity__unit__path", lambda o: {"pk": o.pk}),
    "round": Kind("ocop.EvaluationRound", "unit__path", lambda o: {"pk": o.pk}),
    "ocop_evaluation": Kind(
        "ocop.Evaluation", "product__entity__unit__path", lambda o: {"pk": o.pk}
    ),
    "area": Kind("traceability.GrowingArea", "unit__path", lambda o: {"pk": o.pk}),
    "area_step": Kind(
        "traceability.GrowingArea",
        "unit__path",
        lambda o: {"pk": o.pk, "action": "inspect"},
    ),
    "lot": Kind("traceability.Lot", "area__unit__path", lambda o: {"pk": o.pk}),
    "lot_qr": Kind(
        "traceability.Lot", "area__unit__path", lambda o: {"pk": o.pk, "kind": "svg"}
    ),
    "lot_labels": Kind(
        "traceability.Lot", "area__unit__path", lambda o: {"pk": o.pk, "kind": "svg"}
    ),
    "scan_gtin": Kind(
        "traceability.Lot",
        None,
        lambda o: {"gtin": o.gtin, "lot": o.number},
        where={"gtin__gt": ""},
    ),
    "scan_local": Kind(
        "traceability.Lot",
        None,
        lambda o: {"local_id": o.local_id, "lot": o.number},
        where={"local_id__gt": ""},
    ),
    "export": Kind(
        "core.ExportJob",
        None,
        lambda o: {"pk": o.pk},
        inside={"requested_by__username": "xa.hanha"},
        outside={"requested_by__username": "ngoai.vugia"},
    ),
    "dataset": Kind("units.Unit", None, lambda o: {"code": "vung-trong"}),
    "dataset_file": Kind(
        "units.Unit", None, lambda o: {"code": "vung-trong", "fmt": "geojson"}
    ),
    "ogc_collection": Kind("units.Unit", None, lambda o: {"code": "vung-trong"}),
    "ogc_item": Kind(
        "traceability.GrowingArea",
        None,
        lambda o: {"code": "vung-trong", "identifier": _first_feature("vung-trong")},
    ),
}

KINDS.update(
    {
        "address": Kind(
            "households.Household",
            None,
            lambda o: {"code": o.address_code},
            where={"address_code__gt": ""},
        ),
        "layer": Kind(
            "units.Unit", None, lambda o: {"key": "wifi"}, where={"code": "48"}
        ),
        "guide": Kind("knowledge.Guide", None, lambda o: {"pk": o.pk}),
        "point": Kind(
            "environment.MonitoringPoint", "unit__path", lambda o: {"code": o.code}
        ),
        "tourism_site": Kind("tourism.Site", "unit__path", lambda o: {"code": o.code}),
        "tourism_route": Kind("tourism.Route", None, lambda o: {"code": o.code}),
        "tourism_photo": Kind("tourism.Photo", None, lambda o: {"pk": o.pk}),
        # A road report: the infrastructure office (ktht) handles it.
        "feedback": Kind(
            "feedback.Report",
            "commune__path",
            lambda o: {"code": o.code},
            where={"category__office": "ktht"},
        ),
        "feedback_action": Kind(
            "feedback.Report",
            "commune__path",
            lambda o: {"code": o.code, "action": "close"},
            where={"category__office": "ktht"},
        ),
        "announcement": Kind(
            "channel.Announcement",
            "village__path",
            lambda o: {"village_code": o.village.code, "pk": o.pk},
        ),
        "announcement_file": Kind(
            "channel.Announcement",
            None,
            lambda o: {"code": o.code},
            where={"attachment__gt": ""},
        ),
        "subscriber": Kind("channel.Subscriber", None, lambda o: {"token": o.token}),
    }
)


# The API's kinds: the same records, named as its path parameters name them.
KINDS.update(
    {
        "api_unit": Kind(
            "units.Unit",
            "path",
            lambda o: {"code": o.code},
            where={"kind": "xa", "valid_to__isnull": True},
        ),
        "api_household": KINDS["household"],
        "api_evaluation": KINDS["evaluation"],
        "api_criteriaset": Kind(
            "indicators.CriteriaSet",
            None,
            lambda o: {"code": o.code, "version": o.version},
        ),
        "api_value": Kind(
            "indicators.IndicatorValue",
            "unit__path",
            lambda o: {"value_id": o.pk},
            where={"status": "submitted"},
        ),
        "api_plan": KINDS["plan"],
        "api_task": Kind(
            "plans.KeyTask", None, lambda o: {"code": o.plan.code, "number": o.number}
        ),
        "api_budget": Kind(
            "plans.BudgetLine",
            None,
            lambda o: {"code": o.task.plan.code, "line_id": o.pk},
        ),
        "api_cooperative": Kind(
            "cooperatives.Cooperative", "commune__path", lambda o: {"code": o.code}
        ),
        "api_training": Kind(
            "knowledge.Training", "organiser__path", lambda o: {"training_id": o.pk}
        ),
        "api_dossier": Kind(
            "dossiers.Dossier", "unit__path", lambda o: {"dossier_id": o.pk}
        ),
        "api_year": KINDS["year"],
        "api_submission": KINDS["submission"],
        "api_survey": KINDS["public_survey"],
        "api_entity": Kind("ocop.Entity", "unit__path", lambda o: {"entity_id": o.pk}),
        "api_product": Kind(
            "ocop.Product", "entity__unit__path", lambda o: {"product_id": o.pk}
        ),
        "api_ocop_evaluation": Kind(
            "ocop.Evaluation",
            "product__entity__unit__path",
            lambda o: {"evaluation_id": o.pk},
        ),
        "api_channel": Kind(
            "ocop.SalesChannel", "entity__unit__path", lambda o: {"channel_id": o.pk}
        ),
        "api_area": Kind(
            "traceability.GrowingArea", "unit__path", lambda o: {"area_id": o.pk}
        ),
        "api_lot": Kind(
            "traceability.Lot", "area__unit__path", lambda o: {"lot_id": o.pk}
        ),
        "api_address": Kind(
            "households.Household",
            None,
            lambda o: {"code": o.address_code},
            where={"address_code__gt": ""},
        ),
        "api_guide": Kind("knowledge.Guide", None, lambda o: {"guide_id": o.pk}),
        "api_point": Kind(
            "environment.MonitoringPoint", "unit__path", lambda o: {"code": o.code}
        ),
    }
)


# Looked up once per module: the world does not change between cases.
PICKED = {}


def object_of(kind_name, where):
    """The object and URL kwargs of a kind, looked up once per module (the
    world does not change between cases: each one is rolled back)."""
    if kind_name is None:
        return None, {}
    key = (kind_name, where)
    if key not in PICKED:
        obj = KINDS[kind_name].pick(where)
        assert obj is not None, f"the world has no {kind_name} {where}"
        PICKED[key] = obj, KINDS[kind_name].kwargs(obj)
    return PICKED[key]


def _commune_set():
    sets = _model("indicators.CriteriaSet").objects.active()
    this_year = sets.for_year(timezone.localdate().year)
    return this_year.filter(level=Unit.Level.COMMUNE).order_by("pk").first()


def _commune_requirement():
    return (
        _model("indicators.Requirement")
        .objects.filter(criterion__criteria_set=_commune_set())
        .order_by("pk")
        .first()
    )


def _first_feature(code):
    from ntm.opendata.ogc import DatasetFeatures
    from ntm.opendata.registry import get_dataset

    found, _count = DatasetFeatures(get_dataset(code)).query(limit=1)
    return found[0]["id"]


def _plan():
    return _model("plans.Plan").objects.order_by("pk").first()


__all__ = ["ApiToken", "KINDS", "ROLES", "IN", "OUT", "ANY", "build_world", "object_of"]
