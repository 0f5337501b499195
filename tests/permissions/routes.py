"""What the matrix runs against: every named route of the URL resolver and
every operation of the OpenAPI document, and how a request's answer counts.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from ntm.api import api

REFUSED_STATUSES = {401, 403, 404}
SIGN_IN_PATHS = ("/tai-khoan/dang-nhap/", "/tai-khoan/bao-mat/", "/quan-tri/login/")


def page_routes():
    """(name, route) of every route outside the API, namespaces included.

    The API's routes are the operations of its OpenAPI document (below); a
    route without a name is reported under its path so that it is counted.
    """
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = ":".join(filter(None, [namespace, inner]))
                walk(pattern, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name or f"<unnamed {route}>"
                found.append((f"{namespace}:{name}" if namespace else name, route))

    walk(get_resolver(), "", "")
    return [(name, route) for name, route in found if not name.startswith("api:")]


def api_operations():
    """(METHOD, path template) of every operation in the OpenAPI document."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ], schema


def fill_path(template, values):
    """The OpenAPI path template with its {name} parameters filled in."""
    return re.sub(r"{(\w+)}", lambda match: str(values[match.group(1)]), template)


def outcome(response):
    """ "ok" (the request got through), "refused", or "method" (405)."""
    status = response.status_code
    if status == 405:
        return "method"
    if status in REFUSED_STATUSES:
        return "refused"
    if status in (301, 302, 303) and response["Location"].startswith(SIGN_IN_PATHS):
        return "refused"
    return "ok"


def sample_body(schema, document):
    """A body the operation's schema accepts: its required fields, each with
    a plain value of its type (so that validation passes and the permission
    check, not the parser, answers)."""
    schema = _resolve(schema, document)
    if "anyOf" in schema:
        return sample_body(schema["anyOf"][0], document)
    if "allOf" in schema:
        return sample_body(schema["allOf"][0], document)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            name: sample_body(properties[name], document)
            for name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-01-15"
    if schema.get("format") == "date-time":
        return "2026-01-15T08:00:00+07:00"
    return "x"


def _resolve(schema, document):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema
