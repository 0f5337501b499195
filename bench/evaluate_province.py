"""Time the indicator engine on generated provinces against hand-written SQL.

    .venv/bin/python bench/evaluate_province.py \\
        [--communes 3000 --villages 30000 --households 6000000]
    DB_ENGINE=postgres DB_NAME=ntm_bench_eval \\
        .venv/bin/python bench/evaluate_province.py
    # the country after the 2025 reform (issue 15):
    DB_ENGINE=postgres DB_NAME=ntm_bench_eval .venv/bin/python \\
        bench/evaluate_province.py --provinces 34 --communes 3321 \\
        --villages 99630 --households 26999730 --repeat 1

Runs on a throwaway database: a temporary SQLite file, or the PostgreSQL
database ``DB_NAME`` (default ``ntm_bench_eval``; dropped and created again,
dropped at the end unless ``--keep``). Three parts:

1. the demo district (``load_demo``: 5 communes, 161 villages, 38,588
   households): change one household's fibre and time the new evaluation of
   the 5 communes and their villages for the open year, with a context
   scoped to them (``Context(within=…)``) and with an unscoped one; again
   once the generated units are there;
2. generated provinces (``--provinces``, ``--communes`` communes in all,
   ``--villages`` villages, ``--households`` households written by one
   ``INSERT … SELECT`` from ``generate_series`` on PostgreSQL or a recursive
   CTE on SQLite): ``evaluate()`` of the smart-village set for every village
   and for every commune;
3. one hand-written SQL query per level computing the same shares with
   conditional sums and comparing them with the thresholds — the floor any
   engine has to pay — and the ratio engine / SQL; then every other active
   criteria set evaluated for every generated unit of its level (their
   indicators are entered values and roll-ups: no hand SQL to compare).

It prints the peak memory (RSS) of the process at the end.
"""

import argparse
import os
import resource
import statistics
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_eval", "ntm-bench-eval-")
ROOT = throwaway_db.ROOT
POSTGRES = throwaway_db.POSTGRES
PROVINCE_OF_UNIT = throwaway_db.PROVINCE_OF_UNIT

import django  # noqa: E402

# Generated provinces get codes 60, 61, …: after the real ones (48, 49).
FIRST_PROVINCE = 60
GENERATED = ("60/", "94/")  # every generated path sorts between these
YEAR = 2026  # the open year on the day the figures were taken: read live
SET_FILE = ROOT / "ntm/indicators/criteria/10_thon_thong_minh_dai_loc.json"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--communes", type=int, default=3_000)
    parser.add_argument("--villages", type=int, default=30_000)
    parser.add_argument("--households", type=int, default=6_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--changes", type=int, default=20, help="change runs")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on a database kept by --keep (implies --keep)",
    )
    args = parser.parse_args()
    if args.villages % args.communes:
        parser.error("--villages must be a multiple of --communes")
    if not 1 <= args.provinces <= 34:
        parser.error("--provinces must be from 1 to 34")
    args.keep = args.keep or args.reuse
    if not args.reuse:
        throwaway_db.recreate()
    django.setup()
    try:
        _measure(args) if args.reuse else _run(args)
    finally:
        if not args.keep:
            throwaway_db.drop()
        else:
            print(f"Database kept: {os.environ['DB_NAME']}")


def _run(args):
    from django.core.management import call_command
    from django.db import connection

    from ntm.demo.builders import load_demo
    from ntm.indicators.services import load_criteria_file

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo()
    criteria_set, _action = load_criteria_file(SET_FILE)
    with connection.cursor() as cursor:
        # What autovacuum would have done by now: plans from real statistics.
        cursor.execute("ANALYZE")
    print(f"Migrated and loaded the demo in {time.perf_counter() - started:.1f} s")

    _change_latency(criteria_set, args.changes, scoped=True)
    _change_latency(criteria_set, 5, scoped=False)

    started = time.perf_counter()
    _generate(args.provinces, args.communes, args.villages, args.households)
    print(
        f"Generated {args.provinces} provinces, {args.communes:,} communes, "
        f"{args.villages:,} villages, {args.households:,} households in "
        f"{time.perf_counter() - started:.1f} s"
    )
    _measure(args, criteria_set)


def _measure(args, criteria_set=None):
    """The figures at size (the generated units are there)."""
    if criteria_set is None:
        from ntm.indicators.models import CriteriaSet

        criteria_set = CriteriaSet.objects.get(code="THON_THONG_MINH_DAI_LOC")
    _change_latency(criteria_set, args.changes, scoped=True)
    _change_latency(criteria_set, 1, scoped=False)
    _pruning()
    _compare(criteria_set, args.repeat)
    _other_sets(criteria_set)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of this process: {peak:,.0f} MB")


# -- 1. household change → evaluation of the demo district ---------------------


def _change_latency(criteria_set, runs, *, scoped):
    from ntm.households.models import Household
    from ntm.households.services import update_household
    from ntm.indicators.evaluation import Context, evaluate
    from ntm.indicators.models import Period
    from ntm.units.models import Unit

    period = Period.year(YEAR)
    day = period.reference_day
    communes = Unit.objects.communes().valid_on(day).filter(path__startswith="48/")
    timings = []
    for attempt in range(runs):
        household = Household.objects.filter(village__path__startswith="48/").order_by(
            "pk"
        )[attempt * 997 % 38_000]
        started = time.perf_counter()
        update_household(household, has_fibre=not household.has_fibre, by=None)
        units = list(
            Unit.objects.valid_on(day)
            .filter(path__startswith="48/", level__gte=Unit.Level.COMMUNE)
            .defer("boundary")
        )
        # The district: its communes (the city "48/" holds them since 2025).
        context = Context(period, within=communes if scoped else None)
        evaluations = evaluate(criteria_set, units, period, context)
        timings.append(time.perf_counter() - started)
        village = evaluations[household.village_id].result_for("TM.5")
        assert village.measurement.numerator is not None
    households = Household.objects.count()
    print(
        f"Demo district ({households:,} households in the database): change one "
        f"household → {'scoped' if scoped else 'unscoped'} evaluation of "
        f"{communes.count()} communes + {len(units) - communes.count()} villages, "
        f"{runs} runs: median {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms",
        flush=True,
    )


def _pruning():
    """The partitions of the households that a district's register pass
    reads (issue 15 item 3), from PostgreSQL's EXPLAIN of its query."""
    import re

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from ntm.households.register_pass import today_by_village
    from ntm.indicators.models import Period
    from ntm.indicators.providers import Within
    from ntm.units.models import Unit

    if connection.vendor != "postgresql":
        return
    commune = Unit.objects.communes().filter(path__startswith="48/").first()
    # A full query log (DEBUG) would leave the capture nothing to slice.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        today_by_village(Period.year(YEAR), Within((commune.path,)))
    [sql] = [q["sql"] for q in queries if 'FROM "households_household"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = " ".join(line for (line,) in cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM pg_inherits "
            "WHERE inhparent = 'households_household'::regclass"
        )
        (total,) = cursor.fetchone()
    read = sorted(set(re.findall(r"households_household_(?:p\d+|default)\b", plan)))
    print(
        f"Partition pruning (EXPLAIN): the register pass of {commune.name} reads "
        f"{', '.join(read)}: {len(read)} of the {total} partitions of the "
        "households",
        flush=True,
    )


# -- 2. the generated province --------------------------------------------------


def _generate(province_count, commune_count, village_count, household_count):
    from django.db import connection, transaction
    from django.utils import timezone

    from ntm.core.partitions import ensure_province_partitions
    from ntm.core.text import fold
    from ntm.households.models import EcommercePlatform
    from ntm.units.models import Unit

    now = timezone.now()
    per_commune = village_count // commune_count
    with transaction.atomic():
        provinces = Unit.objects.bulk_create(
            [
                Unit(
                    code=str(FIRST_PROVINCE + p),
                    name=f"Tỉnh Thử Nghiệm {p + 1}",
                    name_folded=fold(f"Tỉnh Thử Nghiệm {p + 1}"),
                    kind=Unit.Kind.PROVINCE,
                    level=Unit.Level.PROVINCE,
                    path=f"{FIRST_PROVINCE + p}/",
                    is_demo=True,
                )
                for p in range(province_count)
            ]
        )
        # Commune n in province n mod the count; codes 5 digits as the GSO's.
        communes = Unit.objects.bulk_create(
            [
                Unit(
                    code=f"{n:05d}",
                    name=f"Xã {n}",
                    name_folded=f"xa {n}",
                    kind=Unit.Kind.COMMUNE,
                    level=Unit.Level.COMMUNE,
                    parent=province,
                    path=f"{province.path}{n:05d}/",
                    is_demo=True,
                )
                for n in range(1, commune_count + 1)
                for province in [provinces[n % province_count]]
            ],
            batch_size=2000,
        )
        Unit.objects.bulk_create(
            [
                Unit(
                    code=f"{commune.code}{v:03d}",
                    name=f"Thôn {v}",
                    name_folded=f"thon {v}",
                    kind=Unit.Kind.VILLAGE,
                    level=Unit.Level.VILLAGE,
                    parent=commune,
                    path=f"{commune.path}{commune.code}{v:03d}/",
                    is_demo=True,
                )
                for commune in communes
                for v in range(1, per_commune + 1)
            ],
            batch_size=2000,
        )
        platform, _created = EcommercePlatform.objects.get_or_create(name="Voso.vn")
    # A partition per new province, as loading reference units makes them
    # (ntm.core.partitions): the households below go straight into theirs.
    ensure_province_partitions()
    first, last = (
        Unit.objects.villages()
        .filter(path__gte=GENERATED[0], path__lt=GENERATED[1])
        .order_by("pk")
        .values_list("pk", flat=True)[i]
        for i in (0, village_count - 1)
    )
    assert last - first + 1 == village_count, "village ids are not contiguous"

    per_village = household_count // village_count
    # Flags from multiplicative hashes of the row number; rates vary by village
    # so that some villages meet a requirement and others do not.
    v = f"((g.i - 1) / {per_village})"
    i = "g.i" if not POSTGRES else "g.i::bigint"
    members = f"(1 + ({i} * 31) % 6)"
    select = f"""
        SELECT
            '{now.isoformat()}', '{now.isoformat()}',
            'B' || g.i, 'Hộ ' || g.i, {members}, '', '',
            CASE WHEN ({i} * 13) % 100 < 93 + {v} % 8 THEN 'A' || g.i END,
            NULL, NULL,
            ({i} * 7919) % 100 < 70 + {v} % 31,
            CASE WHEN ({i} * 104729) % 100 < 85 + {v} % 16 THEN 1 + {i} % 3
                 ELSE 0 END,
            ({i} * 17) % ({members} + 1),
            ({i} * 389) % 100 < 15,
            ({i} * 389) % 100 < 15 AND ({i} * 577) % 100 < 60 + {v} % 41,
            FALSE, '', '', '',
            u.id, {PROVINCE_OF_UNIT}
    """
    columns = (
        "created_at, updated_at, code, head_name, members, phone, address, "
        "address_code, lat, lon, has_fibre, smartphones, health_app_members, "
        "is_business, uses_traceability, is_demo, search_text, left_reason, "
        "water_source, village_id, province_code"
    )
    # The village's row, for its province (the partition key).
    village = f"JOIN units_unit u ON u.id = {first} + {v}"
    step = 1_000_000
    with connection.cursor() as cursor:
        if not POSTGRES:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -2000000")
        for start in range(1, household_count + 1, step):
            stop = min(start + step - 1, household_count)
            if POSTGRES:
                source = f"FROM generate_series({start}, {stop}) AS g(i) {village}"
                sql = f"INSERT INTO households_household ({columns}) {select} {source}"
            else:
                sql = (
                    f"WITH RECURSIVE g(i) AS (SELECT {start} UNION ALL "
                    f"SELECT i + 1 FROM g WHERE i < {stop}) "
                    f"INSERT INTO households_household ({columns}) {select} FROM g "
                    f"{village}"
                )
            began = time.perf_counter()
            with transaction.atomic():
                cursor.execute(sql)
            print(
                f"  households {start:,}–{stop:,}: {time.perf_counter() - began:.1f} s",
                flush=True,
            )
        hashed = "h.id::bigint" if POSTGRES else "h.id"
        with transaction.atomic():
            # About half of the businesses sell on one platform.
            cursor.execute(
                "INSERT INTO households_household_ecommerce_platforms "
                "(household_id, ecommerceplatform_id) "
                f"SELECT h.id, {platform.pk} FROM households_household h "
                f"WHERE h.village_id >= {first} AND h.is_business "
                f"AND ({hashed} * 7) % 100 < 40 + h.village_id % 61"
            )
            cursor.execute(
                "INSERT INTO households_facility (created_at, updated_at, kind, name, "
                "has_wifi, address_code, lat, lon, is_demo, village_id) "
                f"SELECT '{now.isoformat()}', '{now.isoformat()}', 'cultural_house', "
                f"'Nhà văn hóa', (u.id * 7) % 10 < 8, '', NULL, NULL, "
                f"TRUE, u.id FROM units_unit u "
                f"WHERE u.level = 4 AND u.id BETWEEN {first} AND {last}"
            )
        _channels(first, village_count)
        if POSTGRES:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _channels(first, village_count):
    """What SV.CHANNEL reads (``ntm.channel.indicators``): nine villages in
    ten run an active channel with one subscriber; they announce once in
    every quarter of YEAR begun so far (one in seven skips the last quarter)
    and four in five received a feedback report in YEAR.

    Written through the ORM in bulk (about 30,000 villages: a few hundred
    thousand rows), at mid-quarter times so that the UTC quarter the hand
    SQL reads is the local one the engine reads.
    """
    import datetime

    from django.utils import timezone

    from ntm.channel.indicators import quarters
    from ntm.channel.models import Announcement, ChannelSettings, Delivery, Subscriber
    from ntm.feedback.models import Category, Report
    from ntm.units.models import Unit

    started = time.perf_counter()
    parents = dict(
        Unit.objects.filter(pk__range=(first, first + village_count - 1)).values_list(
            "pk", "parent_id"
        )
    )
    villages = [v for v in sorted(parents) if v % 10]
    year_start = datetime.date(YEAR, 1, 1)
    begun = quarters(year_start, min(datetime.date(YEAR, 12, 31), timezone.localdate()))

    def moment(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))

    ChannelSettings.objects.bulk_create(
        [ChannelSettings(village_id=v, is_active=True, is_demo=True) for v in villages],
        batch_size=5000,
    )
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                village_id=v,
                name="Cư dân",
                phone="0905000000",
                consented_on=year_start,
                is_demo=True,
            )
            for v in villages
        ],
        batch_size=5000,
    )
    announcements = Announcement.objects.bulk_create(
        [
            Announcement(
                village_id=v,
                title="Thông báo",
                body="Họp thôn",
                posted_at=moment(quarter + datetime.timedelta(days=40)),
                is_demo=True,
            )
            for v in villages
            for quarter in (begun[:-1] if v % 7 == 0 else begun)
        ],
        batch_size=5000,
    )
    subscriber_of = {s.village_id: s.pk for s in subscribers}
    Delivery.objects.bulk_create(
        [
            Delivery(
                announcement_id=a.pk,
                subscriber_id=subscriber_of[a.village_id],
                adapter="sms",
                status=Delivery.Status.SENT,
                attempts=1,
                sent_at=a.posted_at,
            )
            for a in announcements
        ],
        batch_size=5000,
    )
    category = Category.objects.order_by("code").first()
    received = moment(datetime.date(YEAR, 2, 15))
    Report.objects.bulk_create(
        [
            Report(
                category=category,
                text="Phản ánh",
                lat=0,
                lon=0,
                village_id=v,
                commune_id=parents[v],
                received_at=received,
                due_at=received + datetime.timedelta(days=10),
            )
            for v in villages
            if v % 5
        ],
        batch_size=5000,
    )
    print(
        f"  channels of {len(villages):,} villages ({len(announcements):,} "
        f"announcements): {time.perf_counter() - started:.1f} s",
        flush=True,
    )


# -- 3. engine against hand-written SQL ------------------------------------------

# The same shares as the household providers, compared with the set's
# thresholds (TM.1–TM.8), one row per unit. Production households, their
# e-commerce and their traceability follow the providers' rules: a household
# running an OCOP entity produces, and is judged by the entity's live
# listings and traced lots of the year; a business running none counts on
# what it declared. Households that left the register do not count.
HAND_SQL = """
WITH producers AS (
    SELECT e.household_id,
           bool_or(EXISTS (
               SELECT 1 FROM ocop_saleschannel s
               WHERE s.entity_id = e.id AND s.kind = 'san_tmdt'
                 AND s.listed_from <= %(today)s
                 AND (s.listed_to IS NULL OR s.listed_to >= %(today)s))) AS listed,
           bool_or(EXISTS (
               SELECT 1 FROM ocop_product p
               JOIN traceability_lot l ON l.product_id = p.id
               WHERE p.entity_id = e.id AND l.produced_on >= %(year_start)s
                 AND l.produced_on <= %(year_end)s)) AS traced
    FROM ocop_entity e
    WHERE e.household_id IS NOT NULL
    GROUP BY e.household_id
),
shares AS (
    SELECT
        {group} AS unit_id,
        COUNT(*) AS households,
        SUM(CASE WHEN h.address_code IS NOT NULL AND h.address_code <> ''
                 THEN 1 ELSE 0 END) AS with_code,
        SUM(CASE WHEN h.has_fibre THEN 1 ELSE 0 END) AS with_fibre,
        SUM(CASE WHEN h.smartphones > 0 THEN 1 ELSE 0 END) AS with_phone,
        SUM(h.members) AS residents,
        SUM(h.health_app_members) AS guided,
        SUM(CASE WHEN h.is_business OR pr.household_id IS NOT NULL
                 THEN 1 ELSE 0 END) AS businesses,
        SUM(CASE WHEN pr.listed THEN 1
                 WHEN pr.household_id IS NULL AND h.is_business AND EXISTS (
                     SELECT 1 FROM households_household_ecommerce_platforms p
                     WHERE p.household_id = h.id) THEN 1 ELSE 0 END) AS online,
        SUM(CASE WHEN pr.traced THEN 1
                 WHEN pr.household_id IS NULL AND h.is_business
                      AND h.uses_traceability THEN 1 ELSE 0 END) AS tracing
    FROM households_household h
    LEFT JOIN producers pr ON pr.household_id = h.id {join}
    WHERE h.left_on IS NULL
    GROUP BY {group}
),
announced AS (
    SELECT a.village_id, COUNT(DISTINCT {{quarter}}) AS quarters
    FROM channel_announcement a
    WHERE a.posted_at >= %(since)s AND a.posted_at < %(until)s
      AND EXISTS (SELECT 1 FROM channel_delivery d
                  WHERE d.announcement_id = a.id AND d.status = 'sent')
    GROUP BY a.village_id
),
heard AS (
    SELECT r.village_id, COUNT(*) AS reports
    FROM feedback_report r
    WHERE r.received_at >= %(since)s AND r.received_at < %(until)s
    GROUP BY r.village_id
),
village_channel AS (
    SELECT s.village_id,
           CASE WHEN s.is_active AND COALESCE(an.quarters, 0) >= %(quarters)s
                     AND COALESCE(h.reports, 0) >= 1 THEN 1 ELSE 0 END AS meets
    FROM channel_channelsettings s
    LEFT JOIN announced an ON an.village_id = s.village_id
    LEFT JOIN heard h ON h.village_id = s.village_id
),
channel AS (
    -- Every village of the unit meets the rule (a village without channel
    -- settings does not).
    SELECT {channel_group} AS unit_id
    FROM units_unit u {channel_join}
    LEFT JOIN village_channel vc ON vc.village_id = u.id
    WHERE u.level = 4 AND u.path >= %(first_path)s AND u.path < %(last_path)s
    GROUP BY {channel_group}
    HAVING MIN(COALESCE(vc.meets, 0)) = 1
),
wifi AS (
    SELECT {wifi_group} AS unit_id, COUNT(*) AS houses,
           SUM(CASE WHEN f.has_wifi THEN 1 ELSE 0 END) AS with_wifi
    FROM households_facility f {wifi_join}
    WHERE f.kind = 'cultural_house'
    GROUP BY {wifi_group}
)
SELECT s.unit_id,
       c.unit_id IS NOT NULL,
       100.0 * s.online / NULLIF(s.businesses, 0) >= 100,
       w.with_wifi = w.houses,
       100.0 * s.with_code / s.households >= 100,
       100.0 * s.with_fibre / s.households >= 80,
       100.0 * s.with_phone / s.households >= 90,
       100.0 * s.guided / NULLIF(s.residents, 0) >= 70,
       100.0 * s.tracing / NULLIF(s.businesses, 0) >= 100
FROM shares s LEFT JOIN wifi w ON w.unit_id = s.unit_id
LEFT JOIN channel c ON c.unit_id = s.unit_id
"""


def _hand_sql(level):
    from django.db import connection

    if level == "village":
        sql = HAND_SQL.format(
            group="h.village_id",
            join="",
            wifi_group="f.village_id",
            wifi_join="",
            channel_group="u.id",
            channel_join="",
        )
    elif level == "commune":
        sql = HAND_SQL.format(
            group="v.parent_id",
            join="JOIN units_unit v ON v.id = h.village_id",
            wifi_group="v.parent_id",
            wifi_join="JOIN units_unit v ON v.id = f.village_id",
            channel_group="u.parent_id",
            channel_join="",
        )
    else:
        up = "JOIN units_unit c ON c.id = v.parent_id"
        sql = HAND_SQL.format(
            group="c.parent_id",
            join=f"JOIN units_unit v ON v.id = h.village_id {up}",
            wifi_group="c.parent_id",
            wifi_join=f"JOIN units_unit v ON v.id = f.village_id {up}",
            channel_group="c.parent_id",
            channel_join="JOIN units_unit c ON c.id = u.parent_id",
        )
    import datetime

    from django.utils import timezone

    from ntm.channel.indicators import quarters

    quarter = (
        "EXTRACT(QUARTER FROM a.posted_at)"
        if POSTGRES
        else "(CAST(strftime('%%m', a.posted_at) AS INTEGER) + 2) / 3"
    )
    end = min(datetime.date(YEAR, 12, 31), timezone.localdate())
    params = {
        "since": timezone.make_aware(datetime.datetime(YEAR, 1, 1)),
        "until": timezone.make_aware(
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
        ),
        "quarters": len(quarters(datetime.date(YEAR, 1, 1), end)),
        "today": timezone.localdate(),
        "year_start": datetime.date(YEAR, 1, 1),
        "year_end": datetime.date(YEAR, 12, 31),
        "first_path": GENERATED[0],
        "last_path": GENERATED[1],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{quarter}", quarter), params)
        return cursor.fetchall()


def _compare(criteria_set, repeat):
    from ntm.indicators.evaluation import MET, Context, evaluate
    from ntm.indicators.models import Period
    from ntm.units.models import Unit

    period = Period.year(YEAR)
    units = generated_units()
    levels = {
        "village": list(units.filter(level=Unit.Level.VILLAGE)),
        "commune": list(units.filter(level=Unit.Level.COMMUNE)),
        "province": list(units.filter(level=Unit.Level.PROVINCE)),
    }
    for level, chosen in levels.items():
        engine, hand = [], []
        for _attempt in range(repeat):
            started = time.perf_counter()
            evaluations = evaluate(criteria_set, chosen, period, Context(period))
            engine.append(time.perf_counter() - started)
            started = time.perf_counter()
            rows = _hand_sql(level)
            hand.append(time.perf_counter() - started)
        met = sum(e.status == MET for e in evaluations.values())
        # Every requirement, unit by unit: the engine's verdict against the
        # hand SQL's comparison (columns 1–8 are TM.1–TM.8).
        by_unit = {row[0]: row for row in rows}
        for number in range(1, 9):
            code = f"TM.{number}"
            differ = [
                pk
                for pk, e in evaluations.items()
                if (e.result_for(code).status == MET)
                != bool(by_unit.get(pk, (None,) * 9)[number])
            ]
            assert not differ, (code, differ[:5])
        fibre = sum(e.result_for("TM.5").status == MET for e in evaluations.values())
        channel = sum(e.result_for("TM.1").status == MET for e in evaluations.values())
        best_engine, best_hand = min(engine), min(hand)
        print(
            f"{len(chosen):,} {level}s: evaluate() {best_engine:.2f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in engine)}); hand SQL "
            f"{best_hand:.2f} s (runs: {', '.join(f'{t:.2f}' for t in hand)}); "
            f"ratio {best_engine / best_hand:.2f}× — the same verdicts on TM.1–TM.8 "
            f"({fibre:,} meet TM.5 and {channel:,} TM.1, the channel), "
            f"{met:,} meet the whole set"
        )


def generated_units():
    from ntm.units.models import Unit

    return Unit.objects.filter(path__gte=GENERATED[0], path__lt=GENERATED[1]).defer(
        "boundary"
    )


def _other_sets(smart_village_set):
    """Every other set active in YEAR, for every generated unit of its level."""
    from ntm.indicators.evaluation import MET, Context, evaluate
    from ntm.indicators.models import CriteriaSet, Period

    period = Period.year(YEAR)
    sets = CriteriaSet.objects.active().for_year(YEAR).exclude(pk=smart_village_set.pk)
    for criteria_set in sets.order_by("level", "code"):
        units = list(generated_units().filter(level=criteria_set.level))
        if not units:
            continue
        started = time.perf_counter()
        evaluations = evaluate(criteria_set, units, period, Context(period))
        took = time.perf_counter() - started
        met = sum(e.status == MET for e in evaluations.values())
        print(
            f"{criteria_set.code} ({criteria_set.criteria.count()} criteria) for "
            f"{len(units):,} units: evaluate() {took:.2f} s, {met:,} met",
            flush=True,
        )


if __name__ == "__main__":
    main()
