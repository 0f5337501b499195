import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.core.models import ActionLog
from ntm.core.spreadsheets import build_workbook
from ntm.ocop.exports import ENTITIES, PRODUCTS, export_entities, export_products
from ntm.ocop.imports import OcopImportError, import_entities, import_products
from ntm.ocop.models import Entity, Product

from ..factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _file(sheet, rows):
    return SimpleUploadedFile("ocop.xlsx", build_workbook((sheet, rows)))


def _entity_row(**values):
    return {
        "code": "4001112223",
        "name": "Công ty TNHH Nấm Hà Nha",
        "kind": "Doanh nghiệp",
        "unit_code": "20515",
        "address": "Thôn 1, Hà Nha",
        **values,
    }


def test_import_entities_creates_then_updates_by_code(units, office):
    created = import_entities(_file(ENTITIES, [_entity_row()]), by=office)
    updated = import_entities(
        _file(ENTITIES, [_entity_row(contact_phone="02353111222")]), by=office
    )
    same = import_entities(
        _file(ENTITIES, [_entity_row(contact_phone="02353111222")]), by=office
    )

    assert (created.created, updated.updated, same.unchanged) == (1, 1, 1)
    entity = Entity.objects.get()
    # 20515 today is Xã Hà Nha (Xã Đại Đồng carried it before 2025).
    assert entity.unit == units["ha_nha"]
    assert entity.contact_phone == "02353111222"


def test_a_bad_row_refuses_the_whole_file_with_a_report(units, villages, office):
    HouseholdFactory(code="HGD1", village=villages["hn1"])
    rows = [
        _entity_row(),
        _entity_row(code="4001112224", unit_code="99999", kind="Quán ăn"),
        _entity_row(code="4001112225", gln="123", household_code="HGD9"),
        _entity_row(),  # repeats row 2
        _entity_row(code="4001112226", kind="hop tac xa", address=""),
    ]

    with pytest.raises(OcopImportError) as refused:
        import_entities(_file(ENTITIES, rows), by=office)

    report = {error.row: error.message for error in refused.value.errors}
    assert sorted(report) == [3, 4, 5, 6]
    assert "Loại hình “Quán ăn” không có trong danh sách." in report[3]
    assert "Không có xã hoặc thôn mang mã 99999." in report[3]
    assert "Không có hộ mã HGD9." in report[4]
    assert "Trùng với dòng 2." in report[5]
    assert "Thiếu địa chỉ sản xuất, kinh doanh." in report[6]
    assert not Entity.objects.exists()
    assert not ActionLog.objects.filter(action__startswith="ocop.").exists()


def test_a_service_refusal_rolls_back_the_rows_before_it(units, office):
    rows = [_entity_row(), _entity_row(code="4001112224", gln="4006381333930")]

    with pytest.raises(OcopImportError) as refused:
        import_entities(_file(ENTITIES, rows), by=office)

    assert [e.row for e in refused.value.errors] == [3]
    assert "GLN" in refused.value.errors[0].message
    assert not Entity.objects.exists()


def test_a_unit_outside_the_importers_scope_is_refused(units, commune_officer):
    rows = [_entity_row(unit_code="20539")]  # Vu Gia; the officer keeps Hà Nha

    with pytest.raises(OcopImportError) as refused:
        import_entities(_file(ENTITIES, rows), by=commune_officer)

    assert "không thuộc phạm vi bạn quản lý" in refused.value.errors[0].message


def test_exported_entities_and_products_import_back_unchanged(entity, product, office):
    entities = SimpleUploadedFile(
        "e.xlsx", export_entities(Entity.objects.select_related("unit"))
    )
    products = SimpleUploadedFile(
        "p.xlsx",
        export_products(
            Product.objects.with_certificate(datetime.date(2026, 1, 1)).select_related(
                "entity"
            )
        ),
    )

    assert import_entities(entities, by=office).unchanged == 1
    assert import_products(products, by=office).unchanged == 1


def test_import_products_checks_entity_group_and_gtin(entity, office):
    rows = [
        {"entity_code": entity.code, "name": "Trà gừng", "group": "Đồ uống",
         "gtin": "4006381333931"},
        {"entity_code": "000", "name": "Trà", "group": "do_uong"},
        {"entity_code": entity.code, "name": "Nấm", "group": "Thực phẩm",
         "gtin": "4006381333932"},
    ]  # fmt: skip

    with pytest.raises(OcopImportError) as refused:
        import_products(_file(PRODUCTS, rows), by=office)

    report = {error.row: error.message for error in refused.value.errors}
    assert "Không có chủ thể mã 000." in report[3]
    assert "Số kiểm tra" in report[4]
    assert not Product.objects.filter(name="Trà gừng").exists()
    result = import_products(_file(PRODUCTS, rows[:1]), by=office)
    assert result.created == 1
    assert Product.objects.get(name="Trà gừng").gtin == "04006381333931"
