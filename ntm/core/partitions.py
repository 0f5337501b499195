"""Tables partitioned by province code on PostgreSQL (issue 15).

The tables that grow with the country hold a ``province_code`` column (the
first segment of their unit's path). On PostgreSQL a migration turns such a
table into a declaratively partitioned one, ``PARTITION BY LIST
(province_code)``: one partition per province and a default one for codes
not seen yet, so that a query naming a province reads only its partition.
On SQLite nothing changes: the column is an ordinary column.

PostgreSQL asks that every unique key of a partitioned table include the
partition key: the primary key becomes ``(id, province_code)`` (Django still
knows the table by ``id``, which stays unique through its sequence), and the
model's unique constraints list ``province_code`` too.

A foreign key into a partitioned table must name the whole key, province
code included, and Django's ``ForeignKey`` holds one column: the relations
into the partitioned households, entered values and survey responses are
kept by Django (``db_constraint=False``; it applies CASCADE and PROTECT
itself), and ``manage.py check_production`` counts rows whose household,
value or response is missing.
"""

import re

from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef

DEFAULT = "default"

# The tables the migrations partition (``partition_by_province``), for the
# database backend (ntm.core.postgresql); a test checks the list against the
# database's own.
PARTITIONED_TABLES = frozenset(
    {
        "environment_reading",
        "households_historicalhousehold",
        "households_household",
        "indicators_computedsnapshot",
        "indicators_indicatorvalue",
        "surveys_response",
        "traceability_event",
    }
)


def partition_by_province(table, pk="id"):
    """A migration function: turn ``table`` (primary key column ``pk``) into
    a partitioned table."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _rebuild(schema_editor.connection, table, pk, partitioned=True)
            ensure_province_partitions(schema_editor.connection)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _rebuild(schema_editor.connection, table, pk, partitioned=False)

    return forward, backward


def fill_province_codes(model, path):
    """A migration function: set ``province_code`` on the rows of ``model``
    ("app.Model") from the unit path that the lookup ``path`` reaches
    ("village__path"), one UPDATE per province."""

    def forward(apps, schema_editor):
        Unit = apps.get_model("units", "Unit")
        rows = apps.get_model(*model.split("."))._base_manager
        paths = Unit.objects.filter(level=1).values_list("path", flat=True)
        for code in sorted({p.split("/")[0] for p in paths}):
            rows.filter(**{f"{path}__startswith": f"{code}/"}).update(
                province_code=code
            )

    return forward


def orphans():
    """[(model label, field name, rows)] of the relations Django keeps
    (``db_constraint=False``) that point at a row no longer there: what the
    database would have refused, for ``manage.py check_production``.
    Versions (simple_history) are left out: they outlive what they describe."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if getattr(model, "instance_type", None) is not None:
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or getattr(field, "db_constraint", True):
                continue
            target = field.related_model._base_manager.filter(
                pk=OuterRef(field.attname)
            )
            count = (
                model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                .exclude(Exists(target))
                .count()
            )
            if count:
                found.append((model._meta.label, field.name, count))
    return found


def partitioned_tables(using=None):
    """Names of this database's tables partitioned by province code."""
    using = using or connection
    if using.vendor != "postgresql":
        return []
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_partitioned_table p "
            "JOIN pg_class c ON c.oid = p.partrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() ORDER BY c.relname"
        )
        return [name for (name,) in cursor.fetchall()]


def partition_of(table, province_code):
    return f"{table}_p{province_code}" if province_code else f"{table}_{DEFAULT}"


PARTITION_SUFFIX = re.compile(rf"_(?:p\d+|{DEFAULT})$")


def parent_table(table):
    """The partitioned table a partition's name belongs to (``table`` itself
    for any other name): PostgreSQL's errors name the partition."""
    return PARTITION_SUFFIX.sub("", table)


def ensure_province_partitions(using=None):
    """A partition for every province in the units table, in every
    partitioned table; rows already in the default partition move into
    their province's new partition. Called after migrations and after the
    reference units are loaded; safe to call again."""
    using = using or connection
    tables = partitioned_tables(using)
    if not tables:
        return
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT split_part(path, '/', 1) FROM units_unit WHERE level = 1"
        )
        codes = sorted(code for (code,) in cursor.fetchall() if code.isdigit())
        for table in tables:
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i "
                "JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
                [table],
            )
            existing = {name for (name,) in cursor.fetchall()}
            default = partition_of(table, "")
            for code in codes:
                name = partition_of(table, code)
                if name in existing:
                    continue
                cursor.execute(
                    f'SELECT 1 FROM "{default}" WHERE province_code = %s LIMIT 1',
                    [code],
                )
                if cursor.fetchone() is None:
                    cursor.execute(
                        f'CREATE TABLE "{name}" PARTITION OF "{table}" '
                        f"FOR VALUES IN ('{code}')"
                    )
                    continue
                # A default partition holding rows of the new province would
                # refuse it: set it aside, add the province, move its rows.
                cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{default}"')
                cursor.execute(
                    f'CREATE TABLE "{name}" PARTITION OF "{table}" '
                    f"FOR VALUES IN ('{code}')"
                )
                cursor.execute(
                    f'WITH moved AS (DELETE FROM "{default}" '
                    f"WHERE province_code = '{code}' RETURNING *) "
                    f'INSERT INTO "{table}" SELECT * FROM moved'
                )
                cursor.execute(
                    f'ALTER TABLE "{table}" ATTACH PARTITION "{default}" DEFAULT'
                )


def ensure_partitions_after_migrate(sender, using, **kwargs):
    """post_migrate: partitions for provinces that migrations loaded."""
    from django.db import connections

    ensure_province_partitions(connections[using])


def _definitions(cursor, table):
    """(index definitions, constraint definitions) of ``table`` other than
    its primary key and NOT NULL / CHECK constraints (LIKE copies those)."""
    cursor.execute(
        "SELECT indexdef FROM pg_indexes i WHERE i.tablename = %s "
        "AND i.schemaname = current_schema() AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        "  AND c.conrelid = %s::regclass)",
        [table, table],
    )
    indexes = [definition for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
        [table],
    )
    return indexes, cursor.fetchall()


def _rebuild(connection, table, pk, partitioned):
    """Copy ``table`` into a new table of the same name, partitioned or not,
    with its indexes, constraints, rows and ``pk`` sequence."""
    old = f"{table}_old"
    sequence = f"{table}_{pk}_seq"
    with connection.cursor() as cursor:
        # A foreign key into the table would be dropped with the old table
        # (CASCADE) without a word: the relation must be Django's own first
        # (``db_constraint=False``), as the households' and values' are.
        cursor.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint "
            "WHERE confrelid = %s::regclass AND contype = 'f' "
            "AND conrelid <> confrelid",
            [table],
        )
        referring = sorted(name for (name,) in cursor.fetchall())
        if referring and partitioned:
            raise RuntimeError(
                f"{table} is referred to by foreign keys of {', '.join(referring)}"
            )
        indexes, constraints = _definitions(cursor, table)
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
        cursor.execute(f'ALTER TABLE "{old}" ALTER COLUMN {pk} DROP IDENTITY IF EXISTS')
        cursor.execute(f'ALTER TABLE "{old}" ALTER COLUMN {pk} DROP DEFAULT')
        cursor.execute(f'DROP SEQUENCE IF EXISTS "{sequence}"')
        cursor.execute(f'CREATE SEQUENCE "{sequence}"')
        suffix = " PARTITION BY LIST (province_code)" if partitioned else ""
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS '
            f"INCLUDING CONSTRAINTS){suffix}"
        )
        cursor.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN {pk} '
            f"SET DEFAULT nextval('{sequence}')"
        )
        cursor.execute(f'ALTER SEQUENCE "{sequence}" OWNED BY "{table}".{pk}')
        if partitioned:
            default = partition_of(table, "")
            cursor.execute(f'CREATE TABLE "{default}" PARTITION OF "{table}" DEFAULT')
        cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')
        cursor.execute(
            f"SELECT setval('{sequence}', COALESCE(MAX({pk}), 0) + 1, false) "
            f'FROM "{table}"'
        )
        cursor.execute(f'DROP TABLE "{old}" CASCADE')
        # After the drop: the old key's index still held the name.
        key = f"{pk}, province_code" if partitioned else pk
        cursor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_pkey" PRIMARY KEY ({key})'
        )
        # Read before the rename, so they name ``table``; an index of a
        # partitioned table reads "ON ONLY", which would skip the partitions.
        for definition in indexes:
            cursor.execute(definition.replace(" ON ONLY ", " ON "))
        for name, definition in constraints:
            cursor.execute(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            )
