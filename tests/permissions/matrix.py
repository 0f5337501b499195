"""The permission matrix: for every route (by URL name) and every API
operation (METHOD path), who gets through, per role and per object inside
or outside the role's unit (tests/permissions/world.py).

Each entry names the kind of object its URL takes (None: no object) and
who is let in, as space-separated tokens: a role (``xa.hanha``) lets it in
on both objects, ``role@in`` on the inside object only, ``offices`` the five
district offices, ``signed-in`` every role, ``everyone`` visitors too, ''
nobody (an entry whose object this world cannot offer a role: the refusal
is still asserted). Everyone not let in is refused: 401/403/404, or sent to
sign in. ``get="POST only"``: a GET is answered 405 (or sign-in) and changes
nothing; ``post=None``: the route has no write, a POST is answered 405.

A route or operation missing here fails test_every_route_has_an_entry.
"""

from typing import NamedTuple


class Page(NamedTuple):
    kind: str | None
    get: str
    post: str | None


class Operation(NamedTuple):
    kind: str | None
    allowed: str


# Fields of a request body that name a record: filled with a real one.
BODY_RECORDS = {
    "POST /api/v1/traceability/lots": {
        "product": "ocop.Product",
        "area": "traceability.GrowingArea",
    },
}

# Operations signed by a device's own key (X-Device-Id, X-Device-Key).
DEVICE_KEYED = {"POST /api/v1/environment/readings"}

# The admin site lets in staff users only (is_staff); no role gives that.
ADMIN_NAMESPACE = "admin"

CHANNEL_KEEPERS = "admin xa.hanha@in thon.hanha1@in"

PAGES = {
    "home": Page(None, get="everyone", post="everyone"),
    "units:unit-list": Page(None, get="everyone", post="everyone"),
    "units:unit-detail": Page("commune", get="everyone", post="everyone"),
    "units:unit-boundary": Page("commune", get="everyone", post="everyone"),
    "accounts:account-detail": Page(None, get="signed-in", post="signed-in"),
    "accounts:login": Page(None, get="everyone", post="everyone"),
    "accounts:login-code": Page(None, get="", post=""),
    "accounts:logout": Page(None, get="POST only", post="everyone"),
    "accounts:two-factor": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "accounts:device-delete": Page(None, get="POST only", post=""),
    "accounts:token-list": Page(None, get="signed-in", post="signed-in"),
    "accounts:token-revoke": Page("token", get="POST only", post="admin xa.hanha@in"),
    "accounts:token-admin-list": Page(None, get="admin", post="admin"),
    "accounts:membership-list": Page(None, get="admin", post="admin"),
    "accounts:membership-create": Page(None, get="admin", post="admin"),
    "accounts:membership-revoke": Page("membership", get="POST only", post="admin"),
    "households:household-list": Page(
        None,
        get="offices admin xa.hanha thon.hanha1",
        post="offices admin xa.hanha thon.hanha1",
    ),
    "households:household-create": Page(
        None, get="admin xa.hanha thon.hanha1", post="admin xa.hanha thon.hanha1"
    ),
    "households:household-import": Page(
        None, get="admin xa.hanha thon.hanha1", post="admin xa.hanha thon.hanha1"
    ),
    "households:household-template": Page(
        None, get="admin xa.hanha thon.hanha1", post="admin xa.hanha thon.hanha1"
    ),
    "households:household-export": Page(
        None,
        get="admin vhtt nnptnt xa.hanha thon.hanha1",
        post="admin vhtt nnptnt xa.hanha thon.hanha1",
    ),
    "households:offline-register": Page(
        None, get="admin xa.hanha thon.hanha1", post="admin xa.hanha thon.hanha1"
    ),
    "households:offline-worker": Page(None, get="everyone", post="everyone"),
    "households:offline-manifest": Page(None, get="everyone", post="everyone"),
    "households:facility-list": Page(
        None,
        get="offices admin xa.hanha thon.hanha1",
        post="offices admin xa.hanha thon.hanha1",
    ),
    "households:facility-village": Page(
        "village",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "households:facility-create": Page(
        "village",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "households:channel-create": Page(
        "village",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    # The picked channel is in Thôn 1's village, its head's to keep.
    "households:channel-edit": Page(
        "channel",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "households:channel-delete": Page(
        "channel", get="POST only", post="admin xa.hanha@in thon.hanha1@in"
    ),
    "households:facility-edit": Page(
        "facility",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "households:facility-delete": Page(
        "facility",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "households:household-detail": Page(
        "household",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "households:household-edit": Page(
        "household",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "households:household-delete": Page(
        "household",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "households:household-archive": Page(
        "household", get="POST only", post="admin xa.hanha@in thon.hanha1@in"
    ),
    "households:household-restore": Page(
        "household", get="POST only", post="admin xa.hanha@in thon.hanha1@in"
    ),
    "indicators:criteriaset-list": Page(None, get="everyone", post="everyone"),
    "indicators:criteriaset-detail": Page(
        "criteriaset", get="everyone", post="everyone"
    ),
    "indicators:criteriaset-export": Page(
        "criteriaset", get="everyone", post="everyone"
    ),
    "indicators:criteriaset-import": Page("criteriaset", get="admin", post="admin"),
    "indicators:requirement-edit": Page("requirement", get="admin", post="admin"),
    "indicators:evaluation-detail": Page("evaluation", get="everyone", post="everyone"),
    "indicators:evaluation-export": Page("evaluation", get="everyone", post="everyone"),
    "indicators:requirement-detail": Page(
        "requirement_value", get="everyone", post="everyone"
    ),
    "indicators:evaluation-matrix": Page("matrix", get="everyone", post="everyone"),
    "indicators:evaluation-matrix-export": Page(
        "matrix", get="everyone", post="everyone"
    ),
    "indicators:entry-start": Page(
        None,
        get="offices admin xa.hanha thon.hanha1",
        post="offices admin xa.hanha thon.hanha1",
    ),
    "indicators:value-entry": Page(
        "entry_unit", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "indicators:value-template": Page(
        "entry_unit", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "indicators:value-import": Page(
        "entry_unit", get="POST only", post="offices admin xa.hanha@in"
    ),
    "indicators:value-save": Page(
        "entry_value", get="POST only", post="offices admin xa.hanha@in"
    ),
    "indicators:evidence-add": Page(
        "entry_value", get="POST only", post="offices admin xa.hanha@in"
    ),
    "indicators:value-submit": Page(
        "entry_value", get="POST only", post="offices admin xa.hanha@in"
    ),
    "indicators:evidence-download": Page(
        "evidence", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "indicators:review-queue": Page(None, get="offices admin", post="offices admin"),
    "indicators:value-approve": Page("value", get="POST only", post="offices"),
    "indicators:value-return": Page("value", get="POST only", post="offices"),
    "indicators:period-list": Page(None, get="admin", post=None),
    "indicators:period-close": Page("period", get="POST only", post="admin"),
    "indicators:period-reopen": Page("period", get="POST only", post="admin"),
    "plans:task-detail": Page(
        "task", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:task-edit": Page("task", get="admin vhtt", post="admin vhtt"),
    "plans:taskupdate-create": Page("task", get="admin vhtt", post="admin vhtt"),
    "plans:taskupdate-evidence": Page("taskupdate", get="", post=""),
    "plans:budget-edit": Page("budget", get="admin tckh", post="admin tckh"),
    "plans:budget-delete": Page("budget", get="admin tckh", post="admin tckh"),
    "plans:plan-detail": Page("plan", get="everyone", post="everyone"),
    "plans:target-detail": Page("target", get="everyone", post="everyone"),
    "plans:task-list": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:task-create": Page("plan", get="admin vhtt", post="admin vhtt"),
    "plans:task-import": Page("plan", get="admin vhtt", post="admin vhtt"),
    "plans:task-export": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:budget-list": Page("plan", get="offices admin", post="offices admin"),
    "plans:budget-create": Page("plan", get="admin tckh", post="admin tckh"),
    "plans:budget-import": Page("plan", get="admin tckh", post="admin tckh"),
    "plans:budget-export": Page("plan", get="offices admin", post="offices admin"),
    "plans:tally-list": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:tally-create": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:tally-edit": Page(
        "tally", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "plans:tally-delete": Page(
        "tally", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "plans:tally-import": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:tally-export": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:service-list": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:service-create": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:service-edit": Page(
        "service", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:service-delete": Page(
        "service", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:service-import": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:service-export": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:pilot-list": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:pilot-create": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:pilot-edit": Page(
        "pilot", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "plans:pilot-delete": Page(
        "pilot", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "plans:pilot-import": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "plans:pilot-export": Page(
        "plan", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:training-list": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:training-create": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:training-detail": Page(
        "training", get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:training-edit": Page(
        "training", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "knowledge:training-delete": Page(
        "training", get="POST only", post="offices admin xa.hanha@in"
    ),
    "knowledge:participant-add": Page(
        "training", get="POST only", post="offices admin xa.hanha@in"
    ),
    "knowledge:participant-attendance": Page(
        "participation", get="POST only", post="offices admin xa.hanha@in"
    ),
    "knowledge:participant-remove": Page(
        "participation", get="POST only", post="offices admin xa.hanha@in"
    ),
    "knowledge:staff-list": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:staff-create": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:staff-import": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:staff-template": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "knowledge:staff-export": Page(
        None, get="admin vhtt nnptnt xa.hanha", post="admin vhtt nnptnt xa.hanha"
    ),
    "knowledge:staff-edit": Page(
        "staff", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "knowledge:staff-delete": Page(
        "staff", get="POST only", post="offices admin xa.hanha@in"
    ),
    "cooperatives:cooperative-list": Page(None, get="everyone", post="everyone"),
    "cooperatives:cooperative-create": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "cooperatives:cooperative-import": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "cooperatives:cooperative-template": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "cooperatives:cooperative-export": Page(
        None, get="admin vhtt nnptnt xa.hanha", post="admin vhtt nnptnt xa.hanha"
    ),
    "cooperatives:linkage-import": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "cooperatives:linkage-template": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "cooperatives:linkage-export": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "cooperatives:linkage-edit": Page(
        "linkage", get="admin nnptnt xa.hanha@in", post="admin nnptnt xa.hanha@in"
    ),
    "cooperatives:linkage-delete": Page(
        "linkage", get="POST only", post="admin nnptnt xa.hanha@in"
    ),
    "cooperatives:cooperative-detail": Page(
        "cooperative", get="everyone", post="everyone"
    ),
    "cooperatives:cooperative-edit": Page(
        "cooperative", get="admin nnptnt xa.hanha@in", post="admin nnptnt xa.hanha@in"
    ),
    "cooperatives:cooperative-delete": Page(
        "cooperative", get="POST only", post="admin nnptnt xa.hanha@in"
    ),
    "cooperatives:linkage-create": Page(
        "cooperative", get="admin nnptnt xa.hanha@in", post="admin nnptnt xa.hanha@in"
    ),
    "surveys:survey-list": Page(None, get="everyone", post="everyone"),
    "surveys:survey-create": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "surveys:survey-detail": Page(
        "survey",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "surveys:survey-edit": Page(
        "survey", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "surveys:survey-open": Page(
        "survey", get="POST only", post="offices admin xa.hanha@in"
    ),
    "surveys:survey-close": Page(
        "survey", get="POST only", post="offices admin xa.hanha@in"
    ),
    "surveys:survey-import": Page(
        "survey", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "surveys:survey-results": Page(
        "survey",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "surveys:survey-answers": Page(
        "survey",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "surveys:survey-results-export": Page(
        "survey",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "surveys:survey-responses-export": Page(
        "survey",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "surveys:paper-add": Page(
        "survey",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "surveys:question-add": Page(
        "survey", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "surveys:question-edit": Page(
        "question", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "surveys:question-delete": Page(
        "question", get="POST only", post="offices admin xa.hanha@in"
    ),
    "surveys:question-move": Page(
        "question", get="POST only", post="offices admin xa.hanha@in"
    ),
    "surveys:public-start": Page("public_survey", get="everyone", post="everyone"),
    "surveys:public-send-code": Page("public_survey", get="POST only", post="everyone"),
    "surveys:public-answer": Page("public_survey", get="everyone", post="everyone"),
    "surveys:public-thanks": Page("public_survey", get="everyone", post="everyone"),
    "surveys:public-results": Page("public_survey", get="everyone", post="everyone"),
    "dossiers:dossier-list": Page(
        None,
        get="offices admin xa.hanha hoidong",
        post="offices admin xa.hanha hoidong",
    ),
    "dossiers:dossier-create": Page(None, get="admin xa.hanha", post="admin xa.hanha"),
    "dossiers:dossier-detail": Page(
        "dossier",
        get="offices admin xa.hanha@in hoidong",
        post="offices admin xa.hanha@in hoidong",
    ),
    "dossiers:dossier-assess": Page("dossier", get="POST only", post="xa.hanha@in"),
    "dossiers:evidence-add": Page("dossier", get="POST only", post="xa.hanha@in"),
    "dossiers:posting-add": Page("dossier", get="POST only", post="xa.hanha@in"),
    "dossiers:dossier-submit": Page("dossier", get="POST only", post="xa.hanha@in"),
    "dossiers:dossier-receive": Page("dossier", get="POST only", post="offices admin"),
    "dossiers:dossier-appraise": Page("dossier", get="hoidong", post="hoidong"),
    "dossiers:appraisal-complete": Page("dossier", get="POST only", post="hoidong"),
    "dossiers:dossier-vote": Page("dossier", get="POST only", post="hoidong"),
    "dossiers:dossier-decide": Page("dossier", get="POST only", post="admin"),
    "dossiers:dossier-revoke": Page("dossier", get="POST only", post="admin"),
    "dossiers:evidence-download": Page(
        "dossier_evidence",
        get="offices admin xa.hanha@in hoidong",
        post="offices admin xa.hanha@in hoidong",
    ),
    "dossiers:report-self-assessment": Page(
        "dossier",
        get="offices admin xa.hanha@in hoidong",
        post="offices admin xa.hanha@in hoidong",
    ),
    "dossiers:report-appraisal": Page(
        "dossier",
        get="offices admin xa.hanha@in hoidong",
        post="offices admin xa.hanha@in hoidong",
    ),
    "reports:assignment-list": Page(None, get="signed-in", post="signed-in"),
    "reports:year-open": Page(None, get="admin vhtt", post="admin vhtt"),
    "reports:completeness": Page("year", get="everyone", post="everyone"),
    "reports:completeness-export": Page("year", get="everyone", post="everyone"),
    "reports:consolidated-docx": Page("year", get="admin vhtt", post="admin vhtt"),
    "reports:consolidated-xlsx": Page("year", get="admin vhtt", post="admin vhtt"),
    "reports:submission-edit": Page(
        "submission", get="admin vhtt xa.hanha@in", post="vhtt@out xa.hanha@in"
    ),
    "reports:submission-return": Page("submission", get="POST only", post="admin vhtt"),
    "reports:submission-accept": Page("submission", get="POST only", post="admin vhtt"),
    "ocop:product-list": Page(None, get="everyone", post="everyone"),
    "ocop:product-detail": Page("product", get="everyone", post="everyone"),
    "ocop:product-edit": Page(
        "product",
        get="admin nnptnt xa.hanha@in sanxuat@in",
        post="admin nnptnt xa.hanha@in sanxuat@in",
    ),
    "ocop:product-import": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "ocop:product-template": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "ocop:product-export": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "ocop:entity-list": Page(None, get="everyone", post="everyone"),
    "ocop:entity-create": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "ocop:entity-import": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "ocop:entity-template": Page(
        None, get="admin nnptnt xa.hanha", post="admin nnptnt xa.hanha"
    ),
    "ocop:entity-export": Page(
        None, get="admin vhtt nnptnt xa.hanha", post="admin vhtt nnptnt xa.hanha"
    ),
    "ocop:entity-detail": Page("entity", get="everyone", post="everyone"),
    "ocop:entity-edit": Page(
        "entity",
        get="admin nnptnt xa.hanha@in sanxuat@in",
        post="admin nnptnt xa.hanha@in sanxuat@in",
    ),
    "ocop:product-create": Page(
        "entity_of",
        get="admin nnptnt xa.hanha@in sanxuat@in",
        post="admin nnptnt xa.hanha@in sanxuat@in",
    ),
    "ocop:channel-create": Page(
        "entity_of",
        get="admin nnptnt ktht xa.hanha@in sanxuat@in",
        post="admin nnptnt ktht xa.hanha@in sanxuat@in",
    ),
    "ocop:channel-edit": Page(
        "sales_channel",
        get="admin nnptnt ktht xa.hanha@in sanxuat@in",
        post="admin nnptnt ktht xa.hanha@in sanxuat@in",
    ),
    "ocop:green-create": Page(
        "entity_of",
        get="admin nnptnt xa.hanha@in sanxuat@in",
        post="admin nnptnt xa.hanha@in sanxuat@in",
    ),
    "ocop:green-edit": Page(
        "green",
        get="admin nnptnt xa.hanha@in sanxuat@in",
        post="admin nnptnt xa.hanha@in sanxuat@in",
    ),
    "ocop:green-evidence": Page(
        "green",
        get="offices@in admin@in xa.hanha@in sanxuat@in",
        post="offices@in admin@in xa.hanha@in sanxuat@in",
    ),
    "ocop:household-ecommerce": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "ocop:round-list": Page(
        None,
        get="offices admin xa.hanha hoidong",
        post="offices admin xa.hanha hoidong",
    ),
    "ocop:round-create": Page(None, get="admin nnptnt", post="admin nnptnt"),
    "ocop:round-detail": Page(
        "round", get="offices admin xa.hanha hoidong", post="admin nnptnt"
    ),
    "ocop:round-edit": Page("round", get="admin nnptnt", post="admin nnptnt"),
    "ocop:evaluation-detail": Page("ocop_evaluation", get="everyone", post="everyone"),
    "ocop:evaluation-score": Page("ocop_evaluation", get="hoidong", post="hoidong"),
    "ocop:evaluation-approve": Page("ocop_evaluation", get="POST only", post="nnptnt"),
    "ocop:evaluation-send-back": Page(
        "ocop_evaluation", get="POST only", post="nnptnt"
    ),
    "ocop:evaluation-certify": Page("ocop_evaluation", get="POST only", post="nnptnt"),
    "ocop:sheet-list": Page(None, get="everyone", post="everyone"),
    "ocop:sheet-upload": Page(None, get="POST only", post="admin"),
    "dashboards:plan-summary": Page(None, get="everyone", post="everyone"),
    "dashboards:plan-summary-export": Page(None, get="everyone", post="everyone"),
    "dashboards:plan-progress": Page(None, get="offices admin", post="offices admin"),
    "dashboards:plan-progress-export": Page(
        None, get="offices admin", post="offices admin"
    ),
    "dashboards:target-detail": Page(
        "dashboard_target", get="offices admin", post="offices admin"
    ),
    "dashboards:plan-map": Page(None, get="everyone", post="everyone"),
    "dashboards:plan-map-geojson": Page(None, get="everyone", post="everyone"),
    "traceability:home": Page(
        None,
        get="offices admin xa.hanha sanxuat",
        post="offices admin xa.hanha sanxuat",
    ),
    "traceability:area-declare": Page(
        None, get="nnptnt sanxuat", post="nnptnt sanxuat"
    ),
    "traceability:area-detail": Page(
        "area",
        get="offices admin xa.hanha@in sanxuat@in",
        post="offices admin xa.hanha@in sanxuat@in",
    ),
    "traceability:area-edit": Page(
        "area", get="nnptnt sanxuat@in", post="nnptnt sanxuat@in"
    ),
    "traceability:area-step": Page("area_step", get="POST only", post="nnptnt"),
    "traceability:certificate-add": Page(
        "area", get="POST only", post="nnptnt sanxuat@in"
    ),
    "traceability:diary-add": Page(
        "area", get="nnptnt sanxuat@in", post="nnptnt sanxuat@in"
    ),
    "traceability:lot-create": Page(None, get="nnptnt sanxuat", post="nnptnt sanxuat"),
    "traceability:lot-detail": Page(
        "lot",
        get="offices admin xa.hanha@in sanxuat@in",
        post="offices admin xa.hanha@in sanxuat@in",
    ),
    "traceability:event-add": Page(
        "lot", get="nnptnt sanxuat@in", post="nnptnt sanxuat@in"
    ),
    "traceability:lot-qr": Page(
        "lot_qr",
        get="offices admin xa.hanha@in sanxuat@in",
        post="offices admin xa.hanha@in sanxuat@in",
    ),
    "traceability:lot-labels": Page(
        "lot_labels",
        get="offices admin xa.hanha@in sanxuat@in",
        post="offices admin xa.hanha@in sanxuat@in",
    ),
    "traceability:tracing-list": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "core:export-list": Page(None, get="signed-in", post="signed-in"),
    "core:export-detail": Page("export", get="xa.hanha@in", post="xa.hanha@in"),
    "core:export-download": Page("export", get="xa.hanha@in", post=None),
    "opendata:catalogue": Page(None, get="everyone", post=None),
    "opendata:catalogue-jsonld": Page(None, get="everyone", post=None),
    "opendata:ogc-landing": Page(None, get="everyone", post=None),
    "opendata:ogc-conformance": Page(None, get="everyone", post=None),
    "opendata:ogc-openapi": Page(None, get="everyone", post=None),
    "opendata:ogc-collections": Page(None, get="everyone", post=None),
    "opendata:ogc-collection": Page("ogc_collection", get="everyone", post=None),
    "opendata:ogc-items": Page("ogc_collection", get="everyone", post=None),
    "opendata:dataset-detail": Page("dataset", get="everyone", post=None),
    "opendata:dataset-file": Page("dataset_file", get="everyone", post=None),
    "opendata:ogc-item": Page("ogc_item", get="everyone", post=None),
    "scan:scan-gtin": Page("scan_gtin", get="everyone", post="everyone"),
    "scan:scan-local": Page("scan_local", get="everyone", post="everyone"),
    # Digital addresses (households), the map, the know-how library and
    # environmental monitoring.
    "households:address-village": Page(
        "village",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "households:address-assign": Page(
        "village", get="POST only", post="admin xa.hanha@in thon.hanha1@in"
    ),
    "households:address-plates": Page(
        "village",
        get="offices admin xa.hanha@in thon.hanha1@in",
        post="offices admin xa.hanha@in thon.hanha1@in",
    ),
    "households:place-create": Page(
        "village",
        get="admin xa.hanha@in thon.hanha1@in",
        post="admin xa.hanha@in thon.hanha1@in",
    ),
    "addresses:address-page": Page("address", get="everyone", post="everyone"),
    "maps:boundary-import": Page(None, get="admin", post="admin"),
    "maps:map": Page(None, get="everyone", post="everyone"),
    "maps:unit-layer": Page(None, get="everyone", post="everyone"),
    "maps:household-layer": Page(None, get="everyone", post="everyone"),
    "maps:base-layer": Page(None, get="everyone", post="everyone"),
    "maps:search": Page(None, get="everyone", post="everyone"),
    "maps:thematic-layer": Page("layer", get="everyone", post="everyone"),
    "library:guide-list": Page(None, get="everyone", post="everyone"),
    "library:guide-create": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "library:guide-detail": Page("guide", get="everyone", post="everyone"),
    "library:guide-download": Page("guide", get="", post=""),
    "library:guide-edit": Page("guide", get="offices admin", post="offices admin"),
    "library:guide-delete": Page("guide", get="POST only", post="offices admin"),
    "environment:point-list": Page(None, get="everyone", post="everyone"),
    "environment:point-detail": Page("point", get="everyone", post="everyone"),
    "environment:lab-result": Page(
        "point", get="offices admin xa.hanha@in", post="offices admin xa.hanha@in"
    ),
    "environment:sensor-issue": Page(
        "point", get="POST only", post="offices admin xa.hanha@in"
    ),
    # rural tourism: public pages, keepers' forms and spreadsheets.
    "tourism:assessment-create": Page(
        "tourism_site", get="offices admin", post="offices admin"
    ),
    "tourism:site-map": Page(None, get="everyone", post="everyone"),
    "tourism:ranking": Page(None, get="everyone", post="everyone"),
    "tourism:site-detail": Page("tourism_site", get="everyone", post="everyone"),
    "tourism:route-detail": Page("tourism_route", get="everyone", post="everyone"),
    "tourism:photo-file": Page("tourism_photo", get="everyone", post=None),
    "tourism:site-create": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "tourism:route-create": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "tourism:site-layer-import": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "tourism:site-import": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "tourism:site-template": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "tourism:site-export": Page(
        None, get="offices admin xa.hanha", post="offices admin xa.hanha"
    ),
    "tourism:site-edit": Page(
        "tourism_site",
        get="offices admin xa.hanha@in",
        post="offices admin xa.hanha@in",
    ),
    "tourism:photo-add": Page(
        "tourism_site", get="POST only", post="offices admin xa.hanha@in"
    ),
    # Residents' feedback: public to report and follow; handled by the
    # commune's officers, the district admin and the category's office.
    "feedback:report-list": Page(None, get="everyone", post="everyone"),
    "feedback:report-geojson": Page(None, get="everyone", post="everyone"),
    "feedback:report-create": Page(None, get="everyone", post="everyone"),
    "feedback:report-nearby": Page(None, get="everyone", post="everyone"),
    "feedback:report-follow": Page("feedback", get="everyone", post="everyone"),
    "feedback:report-reopen": Page("feedback", get="POST only", post="everyone"),
    "feedback:report-join": Page("feedback", get="POST only", post="everyone"),
    "feedback:inbox": Page(
        None,
        get="offices admin xa.hanha thon.hanha1",
        post="offices admin xa.hanha thon.hanha1",
    ),
    "feedback:report-manage": Page(
        "feedback", get="admin ktht xa.hanha@in", post="admin ktht xa.hanha@in"
    ),
    "feedback:report-transition": Page(
        "feedback_action", get="POST only", post="admin ktht xa.hanha@in"
    ),
    # The village channel: the keepers of the village's register; residents
    # open an attachment and the opt-out from a message, without an account.
    "channel:village": Page("village", get=CHANNEL_KEEPERS, post=None),
    "channel:settings": Page("village", get=CHANNEL_KEEPERS, post=CHANNEL_KEEPERS),
    "channel:subscriber-list": Page(
        "village", get=CHANNEL_KEEPERS, post=CHANNEL_KEEPERS
    ),
    "channel:subscriber-import": Page(
        "village", get=CHANNEL_KEEPERS, post=CHANNEL_KEEPERS
    ),
    "channel:subscriber-template": Page("village", get=CHANNEL_KEEPERS, post=None),
    "channel:announcement-create": Page(
        "village", get=CHANNEL_KEEPERS, post=CHANNEL_KEEPERS
    ),
    "channel:announcement-detail": Page("announcement", get=CHANNEL_KEEPERS, post=None),
    "channel:attachment": Page("announcement_file", get="everyone", post=None),
    "channel:opt-out": Page("subscriber", get="everyone", post="everyone"),
    # The SMS gateway's door: only its shared token opens it, no role does.
    "channel:sms-receive": Page(None, get="POST only", post=""),
}

OPERATIONS = {
    "GET /api/v1/units": Operation(None, "everyone"),
    "GET /api/v1/units/{code}": Operation("api_unit", "everyone"),
    "GET /api/v1/units/{code}/children": Operation("api_unit", "everyone"),
    "GET /api/v1/households": Operation(None, "signed-in"),
    "POST /api/v1/households": Operation(None, "signed-in"),
    "GET /api/v1/households/{code}": Operation(
        "api_household", "offices admin xa.hanha@in thon.hanha1@in"
    ),
    "PATCH /api/v1/households/{code}": Operation(
        "api_household", "admin xa.hanha@in thon.hanha1@in"
    ),
    "DELETE /api/v1/households/{code}": Operation(
        "api_household", "admin xa.hanha@in thon.hanha1@in"
    ),
    "GET /api/v1/evaluations/{set_code}/{unit_code}": Operation(
        "api_evaluation", "everyone"
    ),
    "GET /api/v1/evaluations/{set_code}/{unit_code}/children": Operation(
        "api_evaluation", "everyone"
    ),
    "GET /api/v1/indicators/criteria-sets": Operation(None, "everyone"),
    "GET /api/v1/indicators/criteria-sets/{code}/{version}": Operation(
        "api_criteriaset", "everyone"
    ),
    "GET /api/v1/indicators": Operation(None, "everyone"),
    "GET /api/v1/indicators/values": Operation(None, "signed-in"),
    "PUT /api/v1/indicators/values": Operation(None, "signed-in"),
    "GET /api/v1/indicators/values/{value_id}": Operation(
        "api_value", "offices admin xa.hanha@in hoidong"
    ),
    "POST /api/v1/indicators/values/{value_id}/submit": Operation(
        "api_value", "offices admin xa.hanha@in"
    ),
    "POST /api/v1/indicators/values/{value_id}/approve": Operation(
        "api_value", "offices"
    ),
    "POST /api/v1/indicators/values/{value_id}/return": Operation(
        "api_value", "offices"
    ),
    "GET /api/v1/plans": Operation(None, "everyone"),
    "GET /api/v1/plans/{code}/targets": Operation("api_plan", "everyone"),
    "GET /api/v1/plans/{code}/tasks": Operation("api_plan", "offices admin xa.hanha"),
    "GET /api/v1/plans/{code}/tasks/{number}": Operation(
        "api_task", "offices admin xa.hanha"
    ),
    "POST /api/v1/plans/{code}/tasks/{number}/updates": Operation(
        "api_task", "admin vhtt"
    ),
    "GET /api/v1/plans/{code}/budget": Operation("api_plan", "offices admin"),
    "POST /api/v1/plans/{code}/budget": Operation("api_plan", "admin tckh"),
    "PATCH /api/v1/plans/{code}/budget/{line_id}": Operation(
        "api_budget", "admin tckh"
    ),
    "GET /api/v1/cooperatives": Operation(None, "everyone"),
    "POST /api/v1/cooperatives": Operation(None, "admin nnptnt xa.hanha"),
    "GET /api/v1/cooperatives/{code}": Operation("api_cooperative", "everyone"),
    "PATCH /api/v1/cooperatives/{code}": Operation(
        "api_cooperative", "admin nnptnt xa.hanha@in"
    ),
    "GET /api/v1/knowledge/trainings": Operation(None, "offices admin xa.hanha"),
    "POST /api/v1/knowledge/trainings": Operation(None, "offices admin xa.hanha"),
    "GET /api/v1/knowledge/trainings/{training_id}": Operation(
        "api_training", "offices admin xa.hanha"
    ),
    "PATCH /api/v1/knowledge/trainings/{training_id}": Operation(
        "api_training", "offices admin xa.hanha@in"
    ),
    "GET /api/v1/dossiers/": Operation(None, "everyone"),
    "GET /api/v1/dossiers/{dossier_id}": Operation(
        "api_dossier",
        "offices anonymous@in admin xa.hanha@in thon.hanha1@in hoidong sanxuat@in",
    ),
    "GET /api/v1/reports/{year}/": Operation("api_year", "everyone"),
    "GET /api/v1/reports/submissions/{pk}/": Operation(
        "api_submission", "admin vhtt xa.hanha@in"
    ),
    "GET /api/v1/reports/{year}/submissions": Operation("api_year", "signed-in"),
    "GET /api/v1/surveys/": Operation(None, "everyone"),
    "GET /api/v1/surveys/{slug}": Operation("api_survey", ""),
    "POST /api/v1/surveys/{slug}/responses": Operation("api_survey", "everyone"),
    "GET /api/v1/surveys/{slug}/results": Operation("api_survey", "everyone"),
    "GET /api/v1/ocop/entities": Operation(None, "everyone"),
    "POST /api/v1/ocop/entities": Operation(None, "admin nnptnt xa.hanha"),
    "GET /api/v1/ocop/entities/{entity_id}": Operation("api_entity", "everyone"),
    "PATCH /api/v1/ocop/entities/{entity_id}": Operation(
        "api_entity", "admin nnptnt xa.hanha@in sanxuat@in"
    ),
    "GET /api/v1/ocop/products": Operation(None, "everyone"),
    "GET /api/v1/ocop/products/{product_id}": Operation("api_product", "everyone"),
    "PATCH /api/v1/ocop/products/{product_id}": Operation(
        "api_product", "admin nnptnt xa.hanha@in sanxuat@in"
    ),
    "POST /api/v1/ocop/entities/{entity_id}/products": Operation(
        "api_entity", "admin nnptnt xa.hanha@in sanxuat@in"
    ),
    "GET /api/v1/ocop/evaluations": Operation(None, "everyone"),
    "GET /api/v1/ocop/evaluations/{evaluation_id}": Operation(
        "api_ocop_evaluation", "everyone"
    ),
    "POST /api/v1/ocop/evaluations/{evaluation_id}/score": Operation(
        "api_ocop_evaluation", "hoidong"
    ),
    "POST /api/v1/ocop/evaluations/{evaluation_id}/approve": Operation(
        "api_ocop_evaluation", "nnptnt"
    ),
    "POST /api/v1/ocop/evaluations/{evaluation_id}/send-back": Operation(
        "api_ocop_evaluation", "nnptnt"
    ),
    "POST /api/v1/ocop/evaluations/{evaluation_id}/certify": Operation(
        "api_ocop_evaluation", "nnptnt"
    ),
    "GET /api/v1/ocop/sales-channels": Operation(None, "everyone"),
    "POST /api/v1/ocop/entities/{entity_id}/sales-channels": Operation(
        "api_entity", "admin nnptnt ktht xa.hanha@in sanxuat@in"
    ),
    "PATCH /api/v1/ocop/sales-channels/{channel_id}": Operation(
        "api_channel", "admin nnptnt ktht xa.hanha@in sanxuat@in"
    ),
    "GET /api/v1/traceability/areas": Operation(None, "everyone"),
    "POST /api/v1/traceability/areas": Operation(None, ""),
    "GET /api/v1/traceability/areas/{area_id}": Operation("api_area", "everyone"),
    "GET /api/v1/traceability/areas/{area_id}/diary": Operation("api_area", "everyone"),
    "POST /api/v1/traceability/areas/{area_id}/diary": Operation(
        "api_area", "nnptnt sanxuat@in"
    ),
    "GET /api/v1/traceability/lots": Operation(None, "everyone"),
    "POST /api/v1/traceability/lots": Operation(None, "nnptnt"),
    "GET /api/v1/traceability/lots/{lot_id}": Operation("api_lot", "everyone"),
    "GET /api/v1/traceability/lots/{lot_id}/events": Operation("api_lot", "everyone"),
    "POST /api/v1/traceability/lots/{lot_id}/events": Operation(
        "api_lot", "nnptnt sanxuat@in"
    ),
    "GET /api/v1/traceability/lots/{lot_id}/epcis": Operation("api_lot", "everyone"),
    "POST /api/v1/traceability/areas/{area_id}/steps": Operation("api_area", "nnptnt"),
    "GET /api/v1/sync/register": Operation(None, "signed-in"),
    "POST /api/v1/sync/changes": Operation(None, "signed-in"),
    "GET /api/v1/addresses/{code}": Operation("api_address", "everyone"),
    "GET /api/v1/knowledge/guides": Operation(None, "everyone"),
    "GET /api/v1/knowledge/guides/{guide_id}": Operation("api_guide", "everyone"),
    # Sensors sign with their device key; no role's session or API key does.
    "POST /api/v1/environment/readings": Operation(None, ""),
    "GET /api/v1/environment/points": Operation(None, "everyone"),
    "GET /api/v1/environment/points/{code}/readings": Operation(
        "api_point", "everyone"
    ),
    "GET /api/v1/environment/alerts": Operation(None, "everyone"),
    "GET /api/v1/tourism/sites": Operation(None, "everyone"),
    "POST /api/v1/feedback/reports": Operation(None, "everyone"),
    "GET /api/v1/feedback/reports": Operation(None, "everyone"),
    "GET /api/v1/feedback/reports/{code}": Operation("feedback", "everyone"),
}
