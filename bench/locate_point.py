"""Time finding which commune holds a map point, among the country's communes.

    .venv/bin/python bench/locate_point.py [--communes 3321] [--points 200]
    DB_ENGINE=postgres .venv/bin/python bench/locate_point.py

On a throwaway database: the reference units of Đại Lộc, then ``--communes``
generated communes of one generated province, each a square cell of a grid
drawn as a 65-vertex polygon (about the detail of a commune outline). Then
``--points`` random points inside the grid are located as
``ntm.feedback.services.locate`` finds a report's commune
(``ntm.units.spatial.units_near``): on PostgreSQL with PostGIS through the
GiST index on the boundaries, and, for the baseline in the same run, by
shapely over every boundary (``near_by_shapely``, what SQLite and a server
without PostGIS do). Both must
find the same commune for every point. Prints the median and 95th percentile
per point.
"""

import argparse
import math
import random
import statistics
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_locate", "ntm-bench-locate-")

import django  # noqa: E402

WEST, SOUTH = 104.0, 10.0  # the grid's corner, inside Việt Nam's box
CELL = 0.05  # degrees: about 5.5 km, a rural commune


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=3321)
    parser.add_argument("--points", type=int, default=200)
    args = parser.parse_args()
    throwaway_db.recreate()
    django.setup()
    try:
        _run(args)
    finally:
        throwaway_db.drop()


def _outline(west, south):
    """A square cell as 65 vertices (16 per side), closed."""
    ring = []
    for side in range(4):
        for step in range(16):
            t = step / 16
            x, y = [
                (west + t * CELL, south),
                (west + CELL, south + t * CELL),
                (west + CELL - t * CELL, south + CELL),
                (west, south + CELL - t * CELL),
            ][side]
            ring.append([round(x, 6), round(y, 6)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _run(args):
    from django.core.management import call_command
    from django.db import connection

    from ntm.feedback import services
    from ntm.units import spatial
    from ntm.units.models import Unit
    from ntm.units.services import load_reference_units

    call_command("migrate", verbosity=0)
    load_reference_units(by=None)
    province = Unit.objects.create(
        code="90",
        name="Tỉnh sinh thử",
        kind=Unit.Kind.PROVINCE,
        level=Unit.Level.PROVINCE,
        path="90/",
        sort_key="90/",
    )
    side = math.ceil(math.sqrt(args.communes))
    communes = []
    for n in range(args.communes):
        row, column = divmod(n, side)
        code = f"9{n:05d}"
        communes.append(
            Unit(
                code=code,
                name=f"Xã sinh thử {n + 1}",
                kind=Unit.Kind.COMMUNE,
                level=Unit.Level.COMMUNE,
                parent=province,
                path=f"90/{code}/",
                sort_key=f"90/{code}/",
                boundary=_outline(WEST + column * CELL, SOUTH + row * CELL),
            )
        )
    Unit.objects.bulk_create(communes, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE units_unit" if throwaway_db.POSTGRES else "ANALYZE")
    rng = random.Random(13)
    rows = args.communes // side
    points = [
        (
            SOUTH + rng.uniform(0.1, rows - 0.1) * CELL,
            WEST + rng.uniform(0.1, side - 0.1) * CELL,
        )
        for _n in range(args.points)
    ]
    print(
        f"Database: {connection.vendor}; PostGIS: "
        f"{'enabled' if spatial.postgis() else 'not installed'}; "
        f"{Unit.objects.filter(boundary__isnull=False).count():,} units with a "
        f"boundary; {len(points)} points"
    )

    communes = Unit.objects.valid_on().filter(
        level=Unit.Level.COMMUNE, boundary__isnull=False
    )

    def timed(locate):
        timings, answers = [], []
        for lat, lon in points:
            started = time.perf_counter()
            near = locate(lat, lon)
            timings.append(time.perf_counter() - started)
            answers.append(min(near, key=lambda pair: pair[0])[1].code)
        return timings, answers

    results = {}
    if spatial.postgis():
        results["PostGIS (GiST index)"] = timed(
            lambda lat, lon: spatial.units_near(
                communes.all(), lat, lon, services.TOLERANCE
            )
        )
    results["shapely over every boundary"] = timed(
        lambda lat, lon: spatial.near_by_shapely(communes, lat, lon, services.TOLERANCE)
    )
    answers = {tuple(found) for _timings, found in results.values()}
    assert len(answers) == 1, "the two ways found different communes"
    for name, (timings, _found) in results.items():
        timings.sort()
        print(
            f"{name}: median {statistics.median(timings) * 1000:.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)] * 1000:.1f} ms per point"
        )


if __name__ == "__main__":
    main()
