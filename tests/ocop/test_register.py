import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.core.models import ActionLog
from ntm.ocop.models import Entity, GreenChain, ProductGroup, SalesChannel
from ntm.ocop.services import (
    OcopError,
    create_entity,
    create_green_chain,
    create_product,
    create_sales_channel,
    update_entity,
    update_product,
    update_sales_channel,
)

from ..factories import (
    EcommercePlatformFactory,
    HouseholdFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _entity_fields(unit, **extra):
    return {
        "code": "4001234567",
        "name": "Hợp tác xã Nấm Hà Nha",
        "kind": Entity.Kind.ENTERPRISE,
        "unit": unit,
        "address": "Thôn 1, Hà Nha",
        **extra,
    }


def test_create_entity_logs_its_fields(units, office):
    entity = create_entity(by=office, **_entity_fields(units["ha_nha"]))

    entry = ActionLog.objects.for_object(entity).get()
    assert entry.action == "ocop.entity.created"
    assert entry.data["changes"]["name"]["new"] == "Hợp tác xã Nấm Hà Nha"
    assert entity.search_text == "4001234567 hop tac xa nam ha nha thon 1, ha nha"


def test_create_entity_refuses_a_unit_above_the_commune(units, office):
    with pytest.raises(OcopError, match="xã hoặc một thôn"):
        create_entity(by=office, **_entity_fields(units["district"]))


def test_create_entity_refuses_a_code_already_registered(units, office):
    create_entity(by=office, **_entity_fields(units["ha_nha"]))

    with pytest.raises(OcopError, match="đã có"):
        create_entity(by=office, **_entity_fields(units["vu_gia"]))


def test_household_link_only_for_a_household_business(villages, office):
    household = HouseholdFactory(village=villages["hn1"], is_business=True)

    with pytest.raises(OcopError, match="hộ sản xuất"):
        create_entity(by=office, household=household, **_entity_fields(villages["hn1"]))
    entity = create_entity(
        by=office,
        household=household,
        **_entity_fields(villages["hn1"], kind=Entity.Kind.HOUSEHOLD_BUSINESS),
    )
    assert household.ocop_entity == entity


def test_accounts_must_hold_the_producer_role(units, office, producer):
    stranger = UserFactory()

    with pytest.raises(OcopError, match="Chủ thể sản xuất"):
        create_entity(by=office, accounts=[stranger], **_entity_fields(units["ha_nha"]))
    entity = create_entity(
        by=office, accounts=[producer], **_entity_fields(units["ha_nha"])
    )
    assert list(entity.accounts.all()) == [producer]


def test_entity_fields_go_through_their_validators(units, office):
    with pytest.raises(OcopError, match="GLN"):
        create_entity(by=office, gln="123", **_entity_fields(units["ha_nha"]))
    with pytest.raises(OcopError, match="GS1"):
        create_entity(
            by=office, gs1_company_prefix="89x", **_entity_fields(units["ha_nha"])
        )


def test_update_entity_logs_only_what_changed(entity, office):
    update_entity(entity, by=office, name=entity.name)
    update_entity(entity, by=office, contact_is_public=True)

    (entry,) = ActionLog.objects.for_object(entity).filter(action="ocop.entity.changed")
    assert list(entry.data["changes"]) == ["contact_is_public"]


def test_product_gtin_is_checked_and_stored_in_14_digits(entity, office):
    product = create_product(
        entity=entity,
        by=office,
        name="Mật ong",
        group=ProductGroup.FOOD,
        gtin="4006381333931",
    )

    assert product.gtin == "04006381333931"
    with pytest.raises(OcopError, match="Số kiểm tra"):
        create_product(
            entity=entity, by=office, name="Trà", group=ProductGroup.DRINK,
            gtin="4006381333932",
        )  # fmt: skip
    with pytest.raises(OcopError, match="sản phẩm khác"):
        create_product(
            entity=entity, by=office, name="Trà", group=ProductGroup.DRINK,
            gtin="04006381333931",
        )  # fmt: skip


def test_product_names_are_unique_within_an_entity(entity, office):
    product = ProductFactory(entity=entity, name="Nấm rơm")
    other = ProductFactory(entity=entity, name="Nấm linh chi")

    with pytest.raises(OcopError, match="Nấm rơm"):
        update_product(other, by=office, name="Nấm rơm")
    assert product.name == "Nấm rơm"


def test_ecommerce_listing_needs_its_link(entity, office):
    platform = EcommercePlatformFactory(name="Voso.vn")

    with pytest.raises(OcopError, match="đường dẫn"):
        create_sales_channel(
            entity=entity,
            by=office,
            kind=SalesChannel.Kind.ECOMMERCE,
            platform=platform,
            listed_from=datetime.date(2025, 1, 1),
        )
    channel = create_sales_channel(
        entity=entity,
        by=office,
        kind=SalesChannel.Kind.ECOMMERCE,
        platform=platform,
        url="https://voso.vn/gian-hang/mat-ong",
        listed_from=datetime.date(2025, 1, 1),
    )
    assert str(channel) == "Sàn thương mại điện tử: Voso.vn"


def test_sales_channel_dates_and_product_must_agree(entity, office):
    with pytest.raises(OcopError, match="không được trước"):
        create_sales_channel(
            entity=entity,
            by=office,
            kind=SalesChannel.Kind.SUPERMARKET,
            name="Co.opmart",
            listed_from=datetime.date(2025, 5, 1),
            listed_to=datetime.date(2025, 4, 30),
        )
    foreign = ProductFactory(entity__unit=entity.unit)
    with pytest.raises(OcopError, match="không thuộc chủ thể"):
        create_sales_channel(
            entity=entity,
            by=office,
            kind=SalesChannel.Kind.SUPERMARKET,
            name="Co.opmart",
            product=foreign,
            listed_from=datetime.date(2025, 5, 1),
        )


def test_ending_a_channel_is_an_end_date_logged(entity, office):
    channel = create_sales_channel(
        entity=entity,
        by=office,
        kind=SalesChannel.Kind.CONVENIENCE_STORE,
        name="WinMart+",
        listed_from=datetime.date(2024, 3, 1),
    )

    update_sales_channel(channel, by=office, listed_to=datetime.date(2026, 2, 1))

    entry = ActionLog.objects.for_object(channel).first()
    assert entry.action == "ocop.channel.changed"
    assert entry.data["changes"]["listed_to"]["new"] == "2026-02-01"


def test_green_chain_needs_evidence_and_a_raw_material_area(entity, office):
    fields = {
        "kind": GreenChain.Kind.GREEN,
        "description": "Bao bì giấy, phụ phẩm làm phân",
        "valid_from": datetime.date(2025, 1, 1),
    }

    with pytest.raises(OcopError, match="minh chứng"):
        create_green_chain(
            entity=entity, by=office, raw_material_area="Rừng keo", **fields
        )
    with pytest.raises(OcopError, match="vùng nguyên liệu"):
        create_green_chain(
            entity=entity, by=office, evidence_url="https://example.vn/a", **fields
        )
    chain = create_green_chain(
        entity=entity,
        by=office,
        raw_material_area="Vùng keo Đại Đồng",
        area_ha=Decimal("12.5"),
        evidence_file=SimpleUploadedFile("chung-nhan.pdf", PDF),
        **fields,
    )
    assert chain.counts_for_target is True
    assert chain.evidence_name == "chung-nhan.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ", "Chỉ nhận tệp"),
        ("gia.pdf", b"MZ\x90\x00", "không đúng với đuôi .pdf"),
        ("lon.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "quá lớn"),
    ],
)
def test_green_chain_evidence_is_type_and_size_checked(
    entity, office, name, content, message
):
    with pytest.raises(OcopError, match=message):
        create_green_chain(
            entity=entity,
            by=office,
            kind=GreenChain.Kind.CIRCULAR,
            description="x",
            raw_material_area="Vùng sắn",
            valid_from=datetime.date(2025, 1, 1),
            evidence_file=SimpleUploadedFile(name, content),
        )
    assert not GreenChain.objects.exists()
