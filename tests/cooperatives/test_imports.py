from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.cooperatives.exports import COOPERATIVES, LINKAGES
from ntm.cooperatives.imports import (
    CooperativeImportError,
    import_cooperatives,
    import_linkage_models,
)
from ntm.cooperatives.models import Cooperative, LinkageModel

from ..factories import make_member
from ..workbooks import (
    FORMULA,
    column,
    content_of,
    export_workbook,
    exported,
    is_number,
    is_text,
    notes,
    workbook_of,
)
from .conftest import xlsx

pytestmark = pytest.mark.django_db
HEADER = [c.title for c in COOPERATIVES.columns]
LINK_HEADER = [c.title for c in LINKAGES.columns]


@pytest.fixture
def agriculture(units):
    user = make_member(units["district"], Role.OFFICE_STAFF, Office.AGRICULTURE)
    user.memberships.create(
        unit=units["city"], role=Role.OFFICE_STAFF, office=Office.AGRICULTURE
    )
    return user


def _coop(code, commune, founded="01/03/2018", **extra):
    row = dict.fromkeys(c.key for c in COOPERATIVES.columns)
    row.update(code=code, name=f"HTX {code}", commune_code=commune, founded_on=founded)
    row.update(extra)
    return [row[c.key] for c in COOPERATIVES.columns]


def _link(coop, name, **extra):
    row = dict.fromkeys(c.key for c in LINKAGES.columns)
    row.update(cooperative_code=coop, name=name)
    row.update(extra)
    return [row[c.key] for c in LINKAGES.columns]


def test_import_reads_the_commune_code_on_the_founding_date(agriculture):
    result = import_cooperatives(
        xlsx(
            HEADER,
            [
                _coop(
                    "H1",
                    "20515",
                    applies_digital_technology="có",
                    technologies="Thương mại điện tử; Truy xuất nguồn gốc",
                ),
                _coop("H2", "20515", founded="01/09/2025"),
            ],  # fmt: skip
            title="Hợp tác xã",
        ),
        by=agriculture,
    )

    assert result.created == 2
    communes = dict(Cooperative.objects.values_list("code", "commune__name"))
    assert communes == {"H1": "Xã Đại Đồng", "H2": "Xã Hà Nha"}
    assert Cooperative.objects.get(code="H1").technologies.count() == 2


def test_import_names_bad_rows_and_saves_nothing(agriculture):
    with pytest.raises(CooperativeImportError) as caught:
        import_cooperatives(
            xlsx(
                HEADER,
                [
                    _coop("H1", "20515"),
                    _coop("H2", "99999"),
                    _coop("H1", "20515"),
                    _coop("H3", "20515", founded="31/02/2020"),
                    _coop("H4", "20515", technologies="Blockchain"),
                    _coop("H5", "20515", applies_digital_technology="có"),
                ],
                title="Hợp tác xã",
            ),
            by=agriculture,
        )

    rows = {e.row: e.message for e in caught.value.errors}
    assert sorted(rows) == [3, 4, 5, 6, 7]
    assert "99999" in rows[3]
    assert "dòng 2" in rows[4]
    assert "dd/mm/yyyy" in rows[5]
    assert "Blockchain" in rows[6]
    assert "ít nhất một" in rows[7]
    assert not Cooperative.objects.exists()


def test_import_refuses_communes_outside_the_officers_commune(commune_officer):
    with pytest.raises(CooperativeImportError) as caught:
        import_cooperatives(
            xlsx(HEADER, [_coop("H1", "20539")], title="Hợp tác xã"),
            by=commune_officer,
        )

    assert "phạm vi" in caught.value.errors[0].message


def test_linkage_import_creates_then_updates_by_name(
    agriculture, old, make_cooperative
):
    make_cooperative(old["20515"], code="H1")
    file = [
        _link("H1", "Liên kết lúa", tied_to_sales="x",
              has_raw_material_area="có", raw_material_area="Cánh đồng 1",
              area_ha="12,5", started_year=2021),
    ]  # fmt: skip

    first = import_linkage_models(
        xlsx(LINK_HEADER, file, title="Mô hình liên kết"), by=agriculture
    )
    file[0][LINK_HEADER.index("Diện tích (ha)")] = 20
    second = import_linkage_models(
        xlsx(LINK_HEADER, file, title="Mô hình liên kết"), by=agriculture
    )

    assert (first.created, second.updated) == (1, 1)
    model = LinkageModel.objects.get()
    assert (model.tied_to_sales, model.area_ha, model.started_year) == (True, 20, 2021)


def test_linkage_import_names_unknown_cooperatives(agriculture):
    with pytest.raises(CooperativeImportError) as caught:
        import_linkage_models(
            xlsx(LINK_HEADER, [_link("KHONG", "A")], title="Mô hình liên kết"),
            by=agriculture,
        )

    assert "KHONG" in caught.value.errors[0].message
    assert not LinkageModel.objects.exists()


def test_import_view_reports_422_and_refuses_outsiders(
    login, agriculture, village_head
):
    file = xlsx(HEADER, [_coop("H1", "00000")], title="Hợp tác xã")

    response = login(agriculture).post(
        reverse("cooperatives:cooperative-import"), {"file": file}
    )
    assert response.status_code == 422
    denied = login(village_head).post(
        reverse("cooperatives:cooperative-import"),
        {"file": xlsx(HEADER, [_coop("H1", "20515")], title="Hợp tác xã")},
    )
    assert denied.status_code == 403
    assert not Cooperative.objects.exists()


def test_export_reimports_unchanged(login, agriculture, old, make_cooperative):
    make_cooperative(old["20515"], digital=True, code="H1")
    response = exported(login(agriculture), reverse("cooperatives:cooperative-export"))

    result = import_cooperatives(
        SimpleUploadedFile("x.xlsx", content_of(response)), by=agriculture
    )

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_export_writes_numbers_as_numbers_and_formulas_as_text(
    login, agriculture, old, make_cooperative
):
    make_cooperative(old["20515"], code="H1", name=FORMULA, members=12)

    book = export_workbook(
        login(agriculture), reverse("cooperatives:cooperative-export")
    )

    sheet = book["Hợp tác xã"]
    members = column(sheet, "Số thành viên")[0]
    assert (is_number(members), members.value) == (True, 12)
    assert is_text(column(sheet, "Tên hợp tác xã (*)")[0], FORMULA)
    assert column(sheet, "Đã ngừng hoạt động")[0].value == "không"


def test_linkage_export_reimports_unchanged_with_numbers_as_numbers(
    login, agriculture, old, make_cooperative, make_linkage
):
    cooperative = make_cooperative(old["20515"], code="H1")
    make_linkage(
        cooperative,
        name=FORMULA,
        has_raw_material_area=True,
        area_ha=Decimal("12.5"),
        started_year=2021,
    )
    response = login(agriculture).get(reverse("cooperatives:linkage-export"))

    result = import_linkage_models(
        SimpleUploadedFile("x.xlsx", response.content), by=agriculture
    )

    sheet = workbook_of(response)["Mô hình liên kết"]
    area = column(sheet, "Diện tích (ha)")[0]
    assert (is_number(area), area.value) == (True, 12.5)
    assert is_text(column(sheet, "Tên mô hình liên kết (*)")[0], FORMULA)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_cooperative_export_is_marked_as_personal_data(
    login, agriculture, old, make_cooperative
):
    make_cooperative(old["20515"], code="H1", representative="Lê Văn A")

    book = export_workbook(
        login(agriculture), reverse("cooperatives:cooperative-export"), purpose="Hỗ trợ"
    )

    info = notes(book)
    assert "Nghị định 13/2023/NĐ-CP" in info["du lieu ca nhan"]
    assert "người đại diện" in info["du lieu ca nhan"]
    assert agriculture.username in info["nguoi xuat"]
    assert info["muc dich su dung"] == "Hỗ trợ"


def test_linkage_export_holds_no_personal_data_and_is_not_marked(
    login, agriculture, old, make_cooperative, make_linkage
):
    make_linkage(make_cooperative(old["20515"], code="H1"))

    book = workbook_of(login(agriculture).get(reverse("cooperatives:linkage-export")))

    assert "du lieu ca nhan" not in notes(book)
