import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.core.spreadsheets import build_workbook
from ntm.ocop.exports import ENTITIES
from ntm.ocop.models import Entity, Evaluation, GreenChain, SalesChannel, ScoringSheet
from ntm.ocop.services import SCORING_DIR, update_entity

from ..accounts.signin import sign_in_verified
from ..factories import EntityFactory, ProductFactory, make_member
from ..workbooks import export_workbook, exported, notes, workbook_of
from .conftest import points_for

pytestmark = pytest.mark.django_db
SECRET = "Nguyễn Văn Đại Diện"


@pytest.mark.parametrize("count", [1, 4])
def test_public_product_list_has_no_personal_data_nor_n_plus_one(
    client, make_evaluation, units, count, django_assert_num_queries
):
    for _n in range(count):
        entity = EntityFactory(unit=units["dai_dong"], representative=SECRET)
        make_evaluation(ProductFactory(entity=entity), total=80)

    with django_assert_num_queries(2):
        response = client.get(reverse("ocop:product-list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == count
    assert SECRET not in response.text
    assert "4 sao" in response.text


def test_public_product_page_shows_stars_validity_and_only_the_public_contact(
    client, make_evaluation, product
):
    make_evaluation(product, total=72, day=datetime.date(2025, 11, 25))
    entity = product.entity
    entity.contact_phone, entity.address = "02353888999", "Số 9 đường Bí Mật"
    entity.save()

    hidden = client.get(product.get_absolute_url()).text
    update_entity(entity, by=None, contact_is_public=True)
    shown = client.get(product.get_absolute_url()).text

    assert "Sản phẩm OCOP 4 sao, giấy chứng nhận còn hiệu lực đến 25/11/2028" in hidden
    for private in (SECRET, "0905111222", "02353888999", "Số 9 đường Bí Mật"):
        assert private not in hidden
    assert "02353888999" in shown and "Số 9 đường Bí Mật" in shown
    assert SECRET not in shown


def test_an_expired_certificate_is_shown_as_expired(client, make_evaluation, units):
    product = ProductFactory(entity=EntityFactory(unit=units["dai_dong"]))
    evaluation = make_evaluation(product, total=60, day=datetime.date(2025, 11, 25))
    Evaluation.objects.filter(pk=evaluation.pk).update(
        certificate_date=datetime.date(2022, 9, 5),
        valid_until=datetime.date(2025, 9, 5),
    )

    response = client.get(product.get_absolute_url())

    assert "đã hết hiệu lực từ sau ngày 05/09/2025" in response.text


def test_entity_page_hides_the_representative_from_the_public(
    client, login, entity, office
):
    assert SECRET not in client.get(entity.get_absolute_url()).text
    assert SECRET in login(office).get(entity.get_absolute_url()).text


def test_producer_edits_only_the_profile_of_its_own_entity(
    login, entity, producer, units
):
    other = EntityFactory(unit=entity.unit, name="Công ty khác")
    client = login(producer)

    response = client.post(
        reverse("ocop:entity-edit", args=[entity.pk]),
        {
            "name": "Công ty TNHH Mật ong Đại Đồng",
            "address": "Số 2",
            "contact_phone": "02353777666",
            "contact_is_public": "on",
            # Not on the producer's form: ignored.
            "unit": units["vu_gia"].pk,
            "code": "999",
        },
    )

    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.contact_phone, entity.unit, entity.code) == (
        "02353777666",
        units["dai_dong"],
        EntityFactory._meta.model.objects.get(pk=entity.pk).code,
    )
    assert entity.code != "999"
    assert client.get(reverse("ocop:entity-edit", args=[other.pk])).status_code == 403
    assert client.get(reverse("ocop:entity-create")).status_code == 403


def test_producer_records_a_sales_channel_and_outsiders_cannot(
    login, entity, producer, units
):
    url = reverse("ocop:channel-create", args=[entity.pk])
    data = {
        "kind": SalesChannel.Kind.ECOMMERCE,
        "name": "Gian hàng Mật ong",
        "url": "https://voso.vn/gian-hang/mat-ong",
        "listed_from": "2026-01-15",
    }

    response = login(producer).post(url, data)

    assert response.status_code == 302
    channel = SalesChannel.objects.get()
    assert (channel.entity, channel.listed_from) == (entity, datetime.date(2026, 1, 15))
    outsider = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)
    assert login(outsider).post(url, data).status_code == 403
    assert SalesChannel.objects.count() == 1


def test_a_refused_channel_form_keeps_what_was_typed(login, entity, producer):
    response = login(producer).post(
        reverse("ocop:channel-create", args=[entity.pk]),
        {"kind": SalesChannel.Kind.ECOMMERCE, "name": "Gian hàng X",
         "listed_from": "2026-01-15"},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Hãy dán đường dẫn của gian hàng." in response.text
    assert 'value="Gian hàng X"' in response.text


def test_economy_office_keeps_channels_but_not_the_entity(login, entity, units):
    economy = make_member(units["district"], Role.OFFICE_STAFF, office=Office.ECONOMY)
    client = login(economy)

    assert (
        client.get(reverse("ocop:channel-create", args=[entity.pk])).status_code == 200
    )
    assert client.get(reverse("ocop:entity-edit", args=[entity.pk])).status_code == 403


def test_producer_adds_a_green_chain_with_its_evidence_file(login, entity, producer):
    response = login(producer).post(
        reverse("ocop:green-create", args=[entity.pk]),
        {
            "kind": GreenChain.Kind.GREEN,
            "description": "Bao bì giấy tái chế",
            "raw_material_area": "Vùng keo Đại Đồng",
            "valid_from": "2025-03-01",
            "evidence_upload": SimpleUploadedFile("chung-nhan.pdf", b"%PDF-1.4 x"),
        },
    )

    assert response.status_code == 302
    chain = GreenChain.objects.get()
    assert chain.counts_for_target
    download = login(producer).get(reverse("ocop:green-evidence", args=[chain.pk]))
    assert download.status_code == 200


def test_the_council_scores_the_whole_sheet_in_one_form(
    login, make_evaluation, product, council
):
    evaluation = make_evaluation(product, until="enter")
    data = {f"c{pk}": str(points) for pk, points in points_for(evaluation, 88).items()}

    response = login(council).post(
        reverse("ocop:evaluation-score", args=[evaluation.pk]), data
    )

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.stars) == (Evaluation.Status.SCORED, 4)


def test_scoring_over_a_maximum_keeps_the_form(
    login, make_evaluation, product, council
):
    evaluation = make_evaluation(product, until="enter")
    data = {f"c{pk}": "1" for pk in points_for(evaluation, 50)}
    first = next(iter(data))
    data[first] = "16"

    response = login(council).post(
        reverse("ocop:evaluation-score", args=[evaluation.pk]), data
    )

    assert response.status_code == 400
    assert 'value="16"' in response.text
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_who_may_take_each_step(
    login, make_evaluation, product, council, office, units
):
    evaluation = make_evaluation(product, until="score")
    culture = make_member(units["district"], Role.OFFICE_STAFF, office=Office.CULTURE)
    approve = reverse("ocop:evaluation-approve", args=[evaluation.pk])
    certify = reverse("ocop:evaluation-certify", args=[evaluation.pk])
    score = reverse("ocop:evaluation-score", args=[evaluation.pk])

    assert login(council).post(approve).status_code == 403
    assert login(culture).post(approve).status_code == 403
    assert login(culture).get(score).status_code == 403
    assert login(office).get(score).status_code == 403
    assert login(office).post(approve).status_code == 302
    assert login(council).post(certify, {"number": "1"}).status_code == 403
    response = login(office).post(
        certify, {"number": "45/QĐ-UBND", "certificate_date": "2025-11-25"}
    )

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.CERTIFIED


def test_evaluation_page_offers_only_the_steps_the_user_may_take(
    login, make_evaluation, product, council, office
):
    evaluation = make_evaluation(product, until="score")
    url = evaluation.get_absolute_url()

    as_council = login(council).get(url)
    as_office = login(office).get(url)

    assert as_council.context.get("score_action") is not None
    assert as_council.context.get("approve_action") is None
    assert as_office.context.get("approve_action") is not None
    assert as_office.context.get("certify_action") is None


def test_evaluation_page_links_its_round_only_for_those_who_may_open_it(
    client, make_evaluation, product, office
):
    evaluation = make_evaluation(product)  # certified: public
    round_url = reverse("ocop:round-detail", args=[evaluation.round.pk])

    public = client.get(evaluation.get_absolute_url()).content.decode()
    client.force_login(office)
    as_office = client.get(evaluation.get_absolute_url()).content.decode()

    assert evaluation.round.name in public
    assert f'href="{round_url}"' not in public
    assert client.get(round_url).status_code == 200
    assert f'href="{round_url}"' in as_office


def test_results_in_progress_are_not_public(client, make_evaluation, product):
    evaluation = make_evaluation(product, until="score")

    assert client.get(evaluation.get_absolute_url()).status_code == 403


def test_office_opens_a_round_and_puts_a_product_in(
    login, office, units, product, sheets
):
    client = login(office)
    response = client.post(
        reverse("ocop:round-create"),
        {
            "name": "Đợt 1 năm 2026",
            "year": 2026,
            "council_level": "tinh",
            "unit": units["city"].pk,
            "held_on": "2026-10-01",
        },
    )

    assert response.status_code == 302
    added = client.post(response.url, {"product": product.pk})
    assert added.status_code == 302
    assert product.evaluations.get().round.name == "Đợt 1 năm 2026"


def test_council_members_cannot_open_rounds(login, council):
    assert login(council).get(reverse("ocop:round-create")).status_code == 403


def test_district_admin_uploads_a_new_sheet_version_and_the_office_cannot(
    client, login, units, office, sheets
):
    admin = make_member(units["city"], Role.DISTRICT_ADMIN)
    content = (SCORING_DIR / "20_do_uong.json").read_bytes()
    content = content.replace(b'"version": 1', b'"version": 2')
    upload = SimpleUploadedFile("20_do_uong.json", content)

    refused = login(office).post(reverse("ocop:sheet-upload"), {"file": upload})
    upload.seek(0)
    response = sign_in_verified(client, admin).post(
        reverse("ocop:sheet-upload"), {"file": upload}
    )

    assert refused.status_code == 403
    assert response.status_code == 302
    assert ScoringSheet.objects.filter(group="do_uong", version=2).exists()


def test_sheet_page_flags_unconfirmed_criteria(client, sheets):
    response = client.get(reverse("ocop:sheet-list"))

    assert response.text.count("chưa xác minh") >= 48


def test_import_page_reports_bad_rows_and_saves_nothing(login, office, units):
    rows = [{"code": "1", "name": "A", "kind": "Doanh nghiệp", "unit_code": "0",
             "address": "x"}]  # fmt: skip
    upload = SimpleUploadedFile("e.xlsx", build_workbook((ENTITIES, rows)))

    response = login(office).post(reverse("ocop:entity-import"), {"file": upload})

    assert response.status_code == 422
    assert "Không có xã hoặc thôn mang mã 0." in response.text
    assert not Entity.objects.exists()


def test_import_page_is_for_keepers_only(login, producer):
    assert login(producer).get(reverse("ocop:entity-import")).status_code == 403


def test_exports_are_for_staff(client, login, office, entity):
    assert client.get(reverse("ocop:entity-export")).status_code == 302
    response = exported(login(office), reverse("ocop:entity-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_household_ecommerce_page_is_for_staff(login, office, producer):
    assert login(office).get(reverse("ocop:household-ecommerce")).status_code == 200
    assert login(producer).get(reverse("ocop:household-ecommerce")).status_code == 403


def test_menu_has_ocop_entries_for_the_right_roles(client, login, producer, council):
    anonymous = [item["label"] for item in client.get("/").context["nav_items"]]
    as_producer = [
        item["label"] for item in login(producer).get("/").context["nav_items"]
    ]
    as_council = [
        item["label"] for item in login(council).get("/").context["nav_items"]
    ]

    assert "Sản phẩm OCOP" in anonymous
    assert "Chủ thể OCOP của tôi" in as_producer
    assert "Đánh giá OCOP" not in as_producer
    assert "Đánh giá OCOP" in as_council


def test_entity_export_is_marked_as_personal_data(login, office, entity):
    book = export_workbook(
        login(office), reverse("ocop:entity-export"), purpose="Xúc tiến"
    )

    info = notes(book)
    assert "Nghị định 13/2023/NĐ-CP" in info["du lieu ca nhan"]
    assert office.username in info["nguoi xuat"]
    assert info["muc dich su dung"] == "Xúc tiến"


def test_product_export_holds_no_personal_data_and_is_not_marked(
    login, office, product
):
    book = workbook_of(login(office).get(reverse("ocop:product-export")))

    assert "du lieu ca nhan" not in notes(book)


@pytest.mark.parametrize("office", [Office.POLICE, Office.FINANCE, Office.ECONOMY])
def test_entity_export_is_refused_to_offices_that_export_no_personal_data(
    login, units, office, entity
):
    staff = make_member(units["district"], Role.OFFICE_STAFF, office=office)

    response = login(staff).get(reverse("ocop:entity-export"))

    assert response.status_code == 403


def test_product_pages_of_a_past_day_show_the_certificate_valid_then(
    client, make_evaluation, product, units
):
    import datetime

    from ..factories import EvaluationRoundFactory

    held = EvaluationRoundFactory(
        unit=units["city"], year=2022, held_on=datetime.date(2022, 1, 5)
    )
    # Valid 36 months: through 2024, expired today.
    make_evaluation(product, total=80, day=datetime.date(2022, 1, 10), round_=held)
    listing = reverse("ocop:product-list")
    page = reverse("ocop:product-detail", args=[product.pk])

    then = client.get(listing, {"ngay": "2024-12-31"})
    now = client.get(listing)

    assert [p.current_stars for p in then.context["page"]] == [4]
    assert [p.current_stars for p in now.context["page"]] == [None]
    assert 'data-as-of="2024-12-31"' in then.text
    assert client.get(page, {"ngay": "2024-12-31"}).context["current"].stars == 4
    assert client.get(page).context["current"] is None
