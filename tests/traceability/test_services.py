import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ntm.core.models import ActionLog
from ntm.traceability import epcis
from ntm.traceability.models import CropKind, DiaryEntry, Event, GrowingArea, Lot
from ntm.traceability.services import (
    TraceabilityError,
    add_certificate,
    change_area_status,
    create_lot,
    declare_area,
    record_diary_entry,
    record_event,
    update_area,
)

from .conftest import TODAY, square

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _step(area, action, by, days_ago=0, reason="Đạt"):
    return change_area_status(
        area, action, by=by, on=TODAY - days_ago * DAY, reason=reason
    )


def test_declare_area_measures_it_and_records_the_first_step(declared, producer):
    assert declared.status == GrowingArea.Status.DECLARED
    assert Decimal("10") < declared.area_ha < Decimal("11.5")
    assert [(s.action, s.to_status, s.by) for s in declared.steps.all()] == [
        ("declare", "khai_bao", producer)
    ]
    assert ActionLog.objects.filter(action="traceability.area.declared").count() == 1


@pytest.mark.parametrize(
    ("kind", "side", "refused"),
    [
        # 0.003° ≈ 334 m: 10.7 ha; 0.0009° ≈ 100 m: 0.96 ha; 0.0002°: 0.05 ha.
        (CropKind.PERENNIAL, 0.0009, True),
        (CropKind.PERENNIAL, 0.003, False),
        (CropKind.ANNUAL, 0.0002, True),
        (CropKind.ANNUAL, 0.0009, False),
    ],
)
def test_declare_area_refuses_less_than_the_minimum_of_its_crop_kind(
    entity, producer, units, kind, side, refused
):
    def declare():
        return declare_area(
            entity=entity,
            name="Vườn bưởi",
            unit=units["ha_nha"],
            crop="Bưởi",
            crop_kind=kind,
            boundary=square(side),
            by=producer,
        )

    if refused:
        with pytest.raises(TraceabilityError, match="nhỏ hơn mức tối thiểu"):
            declare()
        assert GrowingArea.objects.count() == 0
    else:
        assert declare().area_ha > 0


def test_declare_area_refuses_a_unit_that_is_not_a_current_commune(
    entity, producer, units
):
    for unit in (units["district"], units["dai_dong"]):
        with pytest.raises(TraceabilityError):
            declare_area(
                entity=entity,
                name="Vùng",
                unit=unit,
                crop="Rau",
                boundary=square(),
                by=producer,
            )


def test_code_lifecycle_issues_a_code_in_the_qd_3156_pattern(declared, office):
    _step(declared, "inspect", office, 3, "Biên bản kiểm tra: đạt")
    _step(declared, "issue", office, 2, "Đủ điều kiện")
    _step(declared, "supervise", office, 1, "Giám sát định kỳ: đạt")
    _step(declared, "suspend", office, 1, "Phát hiện dư lượng thuốc")
    _step(declared, "reinstate", office, 0, "Đã khắc phục")
    _step(declared, "revoke", office, 0, "Chủ thể xin dừng sản xuất")

    declared.refresh_from_db()
    assert declared.code == f"VN-48-20515-01-{TODAY - 2 * DAY:%y}"
    assert declared.status == GrowingArea.Status.REVOKED
    assert [(s.action, s.from_status, s.to_status) for s in declared.steps.all()] == [
        ("declare", "", "khai_bao"),
        ("inspect", "khai_bao", "da_kiem_tra"),
        ("issue", "da_kiem_tra", "da_cap_ma"),
        ("supervise", "da_cap_ma", "giam_sat"),
        ("suspend", "giam_sat", "tam_dung"),
        ("reinstate", "tam_dung", "giam_sat"),
        ("revoke", "giam_sat", "thu_hoi"),
    ]
    assert declared.steps.last().reason == "Chủ thể xin dừng sản xuất"
    assert all(s.by == office for s in declared.steps.all()[1:])


@pytest.mark.parametrize(
    ("done", "refused"),
    [
        ([], "issue"),  # no code without an inspection
        ([], "supervise"),
        ([], "suspend"),
        ([], "revoke"),
        (["inspect"], "inspect"),
        (["inspect"], "supervise"),
        (["inspect"], "reinstate"),
        (["inspect", "issue"], "reinstate"),
        (["inspect", "issue", "revoke"], "reinstate"),
        (["inspect", "issue", "revoke"], "supervise"),
    ],
)
def test_code_lifecycle_refuses_skipped_or_closed_steps(
    declared, office, done, refused
):
    for action in done:
        _step(declared, action, office)
    before = declared.status

    with pytest.raises(TraceabilityError, match="Không thể"):
        _step(declared, refused, office)

    declared.refresh_from_db()
    assert declared.status == before
    assert declared.steps.count() == 1 + len(done)


def test_code_lifecycle_needs_a_reason_and_an_ordered_past_date(declared, office):
    with pytest.raises(TraceabilityError, match="lý do"):
        _step(declared, "inspect", office, 0, "  ")
    with pytest.raises(TraceabilityError, match="tương lai"):
        _step(declared, "inspect", office, -1)
    with pytest.raises(TraceabilityError, match="trước bước trước"):
        _step(declared, "inspect", office, 200)


def test_issue_numbers_areas_of_a_commune_one_after_another(
    declared, office, entity, producer, units
):
    second = declare_area(
        entity=entity,
        name="Vùng 2",
        unit=units["ha_nha"],
        crop="Rau",
        boundary=square(lon=108.03),
        by=producer,
    )
    for area in (declared, second):
        _step(area, "inspect", office)
        _step(area, "issue", office)

    assert [declared.code, second.code] == [
        f"VN-48-20515-01-{TODAY:%y}",
        f"VN-48-20515-02-{TODAY:%y}",
    ]


def test_update_area_remeasures_and_refuses_a_revoked_area(coded, office):
    update_area(coded, by=office, boundary=square(0.002), crop="Rau muống")

    coded.refresh_from_db()
    assert Decimal("4") < coded.area_ha < Decimal("5")
    assert coded.crop == "Rau muống"
    _step(coded, "revoke", office)
    with pytest.raises(TraceabilityError, match="thu hồi"):
        update_area(coded, by=office, crop="Lúa")


def test_add_certificate_refuses_reversed_dates(coded, office):
    with pytest.raises(TraceabilityError):
        add_certificate(
            coded,
            kind="vietgap",
            number="VG-01",
            issuer="Trung tâm",
            issued_on=TODAY,
            valid_until=TODAY - DAY,
            by=office,
        )


# -- diary and pre-harvest intervals -------------------------------------------


def test_harvest_inside_a_pre_harvest_interval_is_refused_with_the_reason(
    coded, producer
):
    record_diary_entry(
        coded,
        kind=DiaryEntry.Kind.PESTICIDE,
        on=TODAY - 3 * DAY,
        input_name="Radiant 60SC",
        dose="20 ml/bình 16 lít",
        preharvest_days=7,
        by=producer,
    )
    safe = TODAY - 3 * DAY + 7 * DAY

    with pytest.raises(TraceabilityError) as refusal:
        record_diary_entry(
            coded,
            kind=DiaryEntry.Kind.HARVEST,
            on=TODAY,
            quantity_kg=Decimal("300"),
            by=producer,
        )

    assert str(refusal.value) == (
        f"Chưa được thu hoạch ngày {TODAY:%d/%m/%Y}: lần phun Radiant 60SC ngày "
        f"{TODAY - 3 * DAY:%d/%m/%Y} có thời gian cách ly 7 ngày, chỉ được thu "
        f"hoạch từ ngày {safe:%d/%m/%Y}."
    )
    assert coded.diary.harvests().count() == 0


def test_harvest_names_the_spraying_whose_interval_ends_last(coded, producer):
    for days_ago, product, interval in ((10, "Thuốc A", 14), (2, "Thuốc B", 3)):
        record_diary_entry(
            coded,
            kind=DiaryEntry.Kind.PESTICIDE,
            on=TODAY - days_ago * DAY,
            input_name=product,
            preharvest_days=interval,
            by=producer,
        )

    with pytest.raises(TraceabilityError, match="Thuốc A"):
        record_diary_entry(
            coded, kind="thu_hoach", on=TODAY, quantity_kg=Decimal(1), by=producer
        )


def test_harvest_on_the_first_safe_day_is_accepted(coded, producer):
    record_diary_entry(
        coded,
        kind="phun_thuoc",
        on=TODAY - 7 * DAY,
        input_name="Radiant 60SC",
        preharvest_days=7,
        by=producer,
    )

    harvest = record_diary_entry(
        coded, kind="thu_hoach", on=TODAY, quantity_kg=Decimal(5), by=producer
    )

    assert harvest.pk is not None


def test_a_backdated_spraying_over_a_recorded_harvest_is_refused(coded, producer):
    record_diary_entry(
        coded, kind="thu_hoach", on=TODAY - DAY, quantity_kg=Decimal(5), by=producer
    )

    with pytest.raises(TraceabilityError, match="nằm trong thời gian cách ly"):
        record_diary_entry(
            coded,
            kind="phun_thuoc",
            on=TODAY - 3 * DAY,
            input_name="Thuốc A",
            preharvest_days=5,
            by=producer,
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "phun_thuoc", "input_name": "Thuốc A"}, "thời gian cách ly"),
        ({"kind": "thu_hoach"}, "sản lượng"),
        ({"kind": "tuoi_nuoc", "on": TODAY + DAY}, "tương lai"),
    ],
)
def test_record_diary_entry_refuses_incomplete_entries(
    coded, producer, fields, message
):
    fields.setdefault("on", TODAY)

    with pytest.raises(TraceabilityError, match=message):
        record_diary_entry(coded, by=producer, **fields)


# -- lots and the hash chain ---------------------------------------------------


def test_create_lot_takes_the_gtin_and_records_the_harvest_event(lot, product):
    (event,) = lot.events.all()

    assert lot.gtin == product.gtin
    assert lot.link_path == f"/01/{product.gtin}/10/HN-001"
    assert event.kind == Event.Kind.HARVEST
    assert event.previous_hash == epcis.GENESIS
    assert event.hash == epcis.digest(event.document)
    assert event.document["quantityList"] == [
        {
            "epcClass": f"https://id.gs1.org/01/{product.gtin}/10/HN-001",
            "quantity": 500.0,
            "uom": "KGM",
        }
    ]
    assert event.document["ilmd"]["ntm:growingAreaCode"] == lot.area.code


def test_create_lot_gives_a_product_without_gtin_one_local_id_for_good(
    sprayed, local_product, producer
):
    lots = [
        create_lot(
            product=local_product,
            area=sprayed,
            number=number,
            quantity_kg=Decimal(10),
            produced_on=TODAY,
            by=producer,
        )
        for number in ("A-1", "A-2")
    ]

    assert lots[0].gtin == ""
    assert lots[0].local_id == lots[1].local_id
    assert lots[0].link_path == f"/sp/{lots[0].local_id}/10/A-1"
    assert lots[0].local_id.startswith("L") and not lots[0].local_id.isdigit()


@pytest.mark.parametrize(
    ("status_steps", "message"),
    [([], "chưa có mã"), (["suspend"], "chưa có mã")],
)
def test_create_lot_needs_an_area_with_a_code_in_force(
    declared, office, product, producer, status_steps, message
):
    if status_steps:
        _step(declared, "inspect", office)
        _step(declared, "issue", office)
    for action in status_steps:
        _step(declared, action, office)

    with pytest.raises(TraceabilityError, match=message):
        create_lot(
            product=product,
            area=declared,
            number="X-1",
            quantity_kg=Decimal(1),
            produced_on=TODAY,
            by=producer,
        )


def test_create_lot_refuses_another_entitys_product_and_bad_numbers(
    coded, producer, other_entity
):
    from ntm.ocop.models import Product

    foreign = Product.objects.create(entity=other_entity, name="Mít", group="thuc_pham")
    with pytest.raises(TraceabilityError, match="cùng một chủ thể"):
        create_lot(
            product=foreign,
            area=coded,
            number="X-1",
            quantity_kg=Decimal(1),
            produced_on=TODAY,
            by=producer,
        )
    for number in ("LÔ 1", "A/B", "X" * 21):
        with pytest.raises(TraceabilityError, match="Số lô"):
            create_lot(
                product=coded.entity.products.create(
                    name=f"Rau {number}", group="thuc_pham"
                ),
                area=coded,
                number=number,
                quantity_kg=Decimal(1),
                produced_on=TODAY,
                by=producer,
            )


def test_create_lot_refuses_a_repeated_number_and_a_harvest_inside_an_interval(
    lot, product, producer
):
    with pytest.raises(TraceabilityError, match="đã có lô"):
        create_lot(
            product=product,
            area=lot.area,
            number="HN-001",
            quantity_kg=Decimal(1),
            produced_on=TODAY,
            by=producer,
        )
    record_diary_entry(
        lot.area,
        kind="phun_thuoc",
        on=TODAY - DAY,
        input_name="Thuốc C",
        preharvest_days=10,
        by=producer,
    )
    with pytest.raises(TraceabilityError, match="Thuốc C"):
        create_lot(
            product=product,
            area=lot.area,
            number="HN-002",
            quantity_kg=Decimal(1),
            produced_on=TODAY,
            by=producer,
        )
    assert Lot.objects.count() == 1


def _events(lot, producer):
    now = timezone.now()
    record_event(
        lot,
        kind="dong_goi",
        occurred_at=now - datetime.timedelta(hours=5),
        packages=50,
        packaging="Túi 10 kg",
        by=producer,
    )
    record_event(
        lot,
        kind="che_bien",
        occurred_at=now - datetime.timedelta(hours=4),
        output_quantity=Decimal(480),
        output_uom="KGM",
        process="Sơ chế, rửa sạch",
        by=producer,
    )
    record_event(
        lot,
        kind="van_chuyen",
        occurred_at=now - datetime.timedelta(hours=2),
        destination="Siêu thị Co.opmart Đà Nẵng",
        by=producer,
    )
    record_event(
        lot,
        kind="ban_hang",
        occurred_at=now - datetime.timedelta(hours=1),
        channel="Siêu thị Co.opmart Đà Nẵng",
        by=producer,
    )
    return list(lot.events.order_by("sequence"))


def test_events_chain_each_to_the_hash_of_the_one_before(lot, producer):
    events = _events(lot, producer)

    assert [e.document["type"] for e in events] == [
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "ObjectEvent",
        "ObjectEvent",
    ]
    assert [e.previous_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert epcis.verify_chain(events) == epcis.ChainCheck(True, 5)


def test_chain_check_detects_a_tampered_past_event(lot, producer):
    _events(lot, producer)
    # Someone with database access makes the harvest look bigger.
    harvest = lot.events.get(sequence=1)
    harvest.document["quantityList"][0]["quantity"] = 5000.0
    Event.objects.filter(pk=harvest.pk).update(document=harvest.document)

    check = epcis.verify_chain(list(lot.events.order_by("sequence")))

    assert (check.ok, check.broken_at) == (False, 1)
    assert "đã bị thay đổi" in check.reason


def test_chain_check_detects_a_tampered_event_whose_hash_was_recomputed(lot, producer):
    _events(lot, producer)
    packing = lot.events.get(sequence=2)
    packing.document["ntm:packages"] = 60
    Event.objects.filter(pk=packing.pk).update(
        document=packing.document, hash=epcis.digest(packing.document)
    )

    check = epcis.verify_chain(list(lot.events.order_by("sequence")))

    assert (check.ok, check.broken_at) == (False, 3)
    assert "không nối" in check.reason


def test_record_event_refuses_a_second_harvest_and_events_out_of_order(lot, producer):
    with pytest.raises(TraceabilityError, match="sự kiện đầu tiên"):
        record_event(lot, kind="thu_hoach", occurred_at=timezone.now(), by=producer)
    with pytest.raises(TraceabilityError, match="trước sự kiện gần nhất"):
        record_event(
            lot,
            kind="van_chuyen",
            occurred_at=timezone.now() - datetime.timedelta(days=30),
            by=producer,
        )
    with pytest.raises(TraceabilityError, match="tương lai"):
        record_event(
            lot,
            kind="van_chuyen",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            by=producer,
        )
    assert lot.events.count() == 1


def test_writes_bump_the_cache_version_of_the_lots_they_change(lot, producer, office):
    versions = [lot.cache_version]
    record_event(lot, kind="van_chuyen", occurred_at=timezone.now(), by=producer)
    lot.refresh_from_db()
    versions.append(lot.cache_version)
    record_diary_entry(lot.area, kind="tuoi_nuoc", on=TODAY, by=producer)
    lot.refresh_from_db()
    versions.append(lot.cache_version)
    _step(lot.area, "supervise", office)
    lot.refresh_from_db()
    versions.append(lot.cache_version)

    assert versions == [1, 2, 3, 4]
