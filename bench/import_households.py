"""Time the household Excel import against a plain bulk_create of the same rows.

    .venv/bin/python bench/import_households.py [--rows 40000]
    DB_ENGINE=postgres .venv/bin/python bench/import_households.py

Runs on a throwaway database: a temporary SQLite file, or the PostgreSQL
database ``ntm_bench`` (dropped and created again; override with DB_NAME).
"""

import argparse
import random
import time
import zipfile
from io import BytesIO

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench", "ntm-bench-")
ROOT = throwaway_db.ROOT
POSTGRES = throwaway_db.POSTGRES

import django  # noqa: E402

VILLAGES_PER_COMMUNE = 12
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Lan", "Mai", "Nam", "Phúc"]
PLATFORMS = ["Voso.vn", "PostMart.vn", "Shopee"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    rows = parser.parse_args().rows
    throwaway_db.recreate()
    django.setup()
    try:
        _run(rows)
    finally:
        throwaway_db.drop()


def _run(count):
    from django.core.management import call_command
    from django.db import connection

    from ntm.accounts.models import Membership, Role, User
    from ntm.core.models import ActionLog
    from ntm.households.exports import HOUSEHOLDS
    from ntm.households.imports import import_households
    from ntm.households.models import EcommercePlatform, Household
    from ntm.units.models import Unit
    from ntm.units.services import create_unit, load_reference_units

    call_command("migrate", verbosity=0)
    load_reference_units(by=None)
    communes = list(Unit.objects.communes().valid_on())
    villages = [
        create_unit(
            code=f"{commune.code}{number:02d}",
            name=f"Thôn {number}",
            kind=Unit.Kind.VILLAGE,
            parent=commune,
            valid_from=commune.valid_from,
            is_demo=True,
            by=None,
        )
        for commune in communes
        for number in range(1, VILLAGES_PER_COMMUNE + 1)
    ]
    top = Unit.objects.valid_on().order_by("level").first()
    user = User.objects.create(username="bench", full_name="Benchmark")
    Membership.objects.create(user=user, unit=top, role=Role.DISTRICT_ADMIN)
    for name in PLATFORMS:
        EcommercePlatform.objects.create(name=name)

    data = _rows(count, villages)
    workbook = _workbook(data, HOUSEHOLDS.columns)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    with zipfile.ZipFile(BytesIO(workbook)) as package:
        unpacked = sum(member.file_size for member in package.infolist())
    print(
        f"Rows: {count:,} across {len(villages)} villages; file {len(workbook):,}"
        f" bytes, {unpacked:,} bytes unpacked"
    )

    started = time.perf_counter()
    result = import_households(BytesIO(workbook), by=user)
    import_seconds = time.perf_counter() - started
    assert result.created == count, result

    started = time.perf_counter()
    again = import_households(BytesIO(workbook), by=user)
    reimport_seconds = time.perf_counter() - started
    assert again.unchanged == count, again

    Household.ecommerce_platforms.through.objects.all().delete()
    Household.objects.all().delete()
    ActionLog.objects.filter(action__startswith="households.").delete()
    by_code = {village.code: village for village in villages}
    started = time.perf_counter()
    households = []
    for values in data:
        household = Household(
            code=values["code"],
            village=by_code[values["village_code"]],
            head_name=values["head_name"],
            members=values["members"],
            phone=values["phone"],
            address=values["address"],
            address_code=values["address_code"],
            has_fibre=values["has_fibre"] == "có",
            smartphones=values["smartphones"],
            health_app_members=values["health_app_members"],
            is_business=values["is_business"] == "có",
        )
        household.search_text = household.build_search_text()
        household.set_province_code()
        households.append(household)
    Household.objects.bulk_create(households, batch_size=1000)
    baseline_seconds = time.perf_counter() - started

    print(
        f"Import (create):      {import_seconds:7.2f} s  "
        f"{count / import_seconds:9,.0f} rows/s"
    )
    print(
        f"Re-import (no change):{reimport_seconds:7.2f} s  "
        f"{count / reimport_seconds:9,.0f} rows/s"
    )
    print(
        f"bulk_create baseline: {baseline_seconds:7.2f} s  "
        f"{count / baseline_seconds:9,.0f} rows/s"
    )
    print(f"Import / baseline:    {import_seconds / baseline_seconds:7.1f}x")


def _rows(count, villages):
    rng = random.Random(2025)
    rows = []
    for number in range(count):
        village = villages[number % len(villages)]
        members = rng.randint(1, 8)
        rows.append(
            {
                "code": f"HGD{number:07d}",
                "village_code": village.code,
                "village_name": village.name,
                "head_name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} "
                f"{rng.choice(GIVEN)}",
                "members": members,
                "phone": f"09{rng.randint(0, 99_999_999):08d}",
                "address": f"Tổ {rng.randint(1, 12)}, {village.name}",
                "address_code": f"DL{number:08d}" if rng.random() < 0.8 else None,
                "lat": None,
                "lon": None,
                "has_fibre": "có" if rng.random() < 0.8 else "không",
                "smartphones": rng.randint(0, members),
                "health_app_members": rng.randint(0, members),
                "is_business": "có" if rng.random() < 0.15 else "không",
                "ecommerce_platforms": rng.choice(
                    ["", "", "", "Voso.vn", "Voso.vn; Shopee"]
                ),
                "uses_traceability": "không",
            }
        )
    return rows


def _workbook(rows, columns):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hộ gia đình")
    sheet.append([column.title for column in columns])
    for values in rows:
        sheet.append([values.get(column.key) for column in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
