"""Time the register as of a past day against one hand-written SQL query.

    .venv/bin/python bench/register_as_of.py
    DB_ENGINE=postgres DB_NAME=ntm_bench_asof .venv/bin/python bench/register_as_of.py

Runs on a throwaway database (a temporary SQLite file, or the PostgreSQL
database ``DB_NAME``, dropped at the end) with the demo district: 38,588
households and their dated versions (registered in 2023, carried into
today's villages on 01/07/2025, two years of progress, new families in
2026). For 31/12/2024 and 31/12/2025, and for today:

1. the engine's register provider (``household_shares(day)``: the shares of
   households with an address code, fibre, a smartphone, guided health-app
   users, per village, from ``Household.history.followed_on(day)``);
2. the same figures from one hand-written query that ranks each household's
   versions with a window function (``ROW_NUMBER() OVER (PARTITION BY id
   ORDER BY history_date DESC)``), the other way to pick a version;

and checks that both give the same numbers. The best of ``--repeat`` runs.
"""

import argparse
import datetime
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_asof", "ntm-bench-asof-")

import django  # noqa: E402

HAND_SQL = """
WITH ranked AS (
    SELECT village_id, address_code, has_fibre, smartphones, members,
           health_app_members, history_type, left_on,
           ROW_NUMBER() OVER (PARTITION BY id ORDER BY history_date DESC) AS n
    FROM households_historicalhousehold
    WHERE history_date < %s
)
SELECT village_id,
       COUNT(*),
       SUM(CASE WHEN address_code IS NOT NULL AND address_code <> ''
           THEN 1 ELSE 0 END),
       SUM(CASE WHEN has_fibre THEN 1 ELSE 0 END),
       SUM(CASE WHEN smartphones > 0 THEN 1 ELSE 0 END),
       SUM(members),
       SUM(health_app_members)
FROM ranked
WHERE n = 1 AND history_type <> '-' AND (left_on IS NULL OR left_on > %s)
GROUP BY village_id
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    throwaway_db.recreate()
    django.setup()
    try:
        _run(args.repeat)
    finally:
        throwaway_db.drop()


def _run(repeat):
    from django.core.management import call_command
    from django.db import connection

    from ntm.demo.builders import load_demo
    from ntm.households.models import Household

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo()
    print(
        f"Migrated and loaded the demo in {time.perf_counter() - started:.1f} s: "
        f"{Household.objects.count():,} households, "
        f"{Household.history.count():,} versions"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{'day':>12} {'engine':>10} {'hand SQL':>10} {'ratio':>6}  register count")
    for day in (datetime.date(2024, 12, 31), datetime.date(2025, 12, 31), None):
        _compare(day, repeat)


def _best(repeat, work):
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def _compare(day, repeat):
    from django.db import connection

    from ntm.households.history import end_of, households_on
    from ntm.households.indicators import household_shares

    engine_time, engine = _best(repeat, lambda: household_shares(day))
    count_time, count = _best(repeat, lambda: households_on(day).count())
    label = day.strftime("%d/%m/%Y") if day else "hôm nay"
    if day is None:
        print(
            f"{label:>12} {engine_time * 1000:8.1f} ms {'(live table)':>10} "
            f"{'':>6}  {count:,} in {count_time * 1000:.1f} ms"
        )
        return

    def hand():
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, [end_of(day), day])
            return cursor.fetchall()

    hand_time, rows = _best(repeat, hand)
    for village, total, coded, fibre, phones, members, guided in rows:
        assert engine["SV.FIBRE"][village] == (fibre, total), village
        assert engine["SV.ADDRESS_CODE"][village] == (coded, total), village
        assert engine["SV.SMARTPHONE"][village] == (phones, total), village
        assert engine["SV.HEALTH_APP"][village] == (guided, members), village
    assert len(rows) == len(engine["SV.FIBRE"])
    assert sum(row[1] for row in rows) == count
    print(
        f"{label:>12} {engine_time * 1000:8.1f} ms {hand_time * 1000:8.1f} ms "
        f"{engine_time / hand_time:6.2f}  {count:,} in {count_time * 1000:.1f} ms"
        f"  (same figures, {len(rows)} villages)"
    )


if __name__ == "__main__":
    main()
