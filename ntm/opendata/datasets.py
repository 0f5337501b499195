"""The datasets published today, one declaration each.

Every row function reads through the domain apps' QuerySets and the
indicator engine, and returns only what may be published: no household, no
person (representatives, heads of household), no phone, no private address.
Producers registered as household businesses are named by their kind only,
since such a business is usually named after the head of the household.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.channel.models import Announcement, ChannelSettings
from ntm.cooperatives.models import Cooperative
from ntm.core.spreadsheets import Column, Kind
from ntm.households.models import Facility, Household, VillageChannel
from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    evaluate,
)
from ntm.indicators.models import (
    ComputedSnapshot,
    CriteriaSet,
    IndicatorValue,
    Period,
)
from ntm.ocop.models import Entity, Evaluation, Product
from ntm.plans.models import Plan
from ntm.plans.progress import plan_results
from ntm.tourism.models import Site as TourismSite
from ntm.traceability.models import GrowingArea
from ntm.units.models import Unit

from .registry import Dataset, register

STATUS_LABELS = {
    MET: _("Đạt"),
    NOT_MET: _("Chưa đạt"),
    NO_DATA: _("Chưa có số liệu"),
    NOT_APPLICABLE: _("Không áp dụng"),
}
# Evaluations are published for the last three years of each set (the years
# the district has records for), as the scorecards open on them.
EVALUATION_YEARS = 3
ENGINE_SOURCES = (IndicatorValue, ComputedSnapshot, Unit, Household, Facility)


def _years_of(criteria_set):
    this_year = timezone.localdate().year
    first = max(criteria_set.first_year or 0, this_year - EVALUATION_YEARS + 1)
    last = min(criteria_set.last_year or this_year, this_year)
    return range(first, last + 1)


def _sets_at(level):
    """The newest active version of each criteria set of ``level``."""
    newest = {}
    for criteria_set in CriteriaSet.objects.active().filter(level=level):
        # Ordered by -version: the first seen of a code is its newest.
        newest.setdefault(criteria_set.code, criteria_set)
    return list(newest.values())


def _evaluations(level):
    """(year, criteria set, unit, UnitEvaluation) for every unit of ``level``
    existing in each year of each set, one engine run per set and year."""
    for criteria_set in _sets_at(level):
        for year in _years_of(criteria_set):
            period = Period.year(year)
            units = list(
                Unit.objects.valid_on(period.reference_day)
                .at_level(level)
                .select_related("parent")
                .in_natural_order()
            )
            if not units:
                continue
            evaluations = evaluate(criteria_set, units, period, Context(period))
            for unit in units:
                yield year, criteria_set, unit, evaluations[unit.pk]


def _evaluation_rows(level):
    """One row per (year, criteria set, unit): the set's result and counts."""
    rows = []
    for year, criteria_set, unit, evaluation in _evaluations(level):
        counts = evaluation.counts()
        rows.append(
            {
                "id": f"{year}-{criteria_set.code}-{unit.code}",
                "year": year,
                "criteria_set": criteria_set.code,
                "criteria_set_name": criteria_set.name,
                "unit_code": unit.code,
                "unit_name": unit.name,
                "parent_name": unit.parent.name if unit.parent else "",
                "status": evaluation.status,
                "status_label": str(STATUS_LABELS[evaluation.status]),
                "criteria_met": counts[MET],
                "criteria_not_met": counts[NOT_MET],
                "criteria_no_data": counts[NO_DATA],
                "criteria_total": len(evaluation.criteria),
                "boundary_is_approximate": unit.boundary_is_approximate,
                "geometry": unit.boundary,
            }
        )
    return rows


def _requirement_rows(level):
    """One row per (year, set, unit, requirement): value and status."""
    rows = []
    for year, criteria_set, unit, evaluation in _evaluations(level):
        for criterion in evaluation.criteria:
            for result in criterion.results:
                requirement = result.requirement
                rows.append(
                    {
                        "year": year,
                        "criteria_set": criteria_set.code,
                        "unit_code": unit.code,
                        "unit_name": unit.name,
                        "parent_name": unit.parent.name if unit.parent else "",
                        "criterion": str(criterion.criterion.number),
                        "requirement": requirement.code,
                        "requirement_name": requirement.name,
                        "measure": str(requirement.indicator.get_measure_display()),
                        "threshold": requirement.threshold_display,
                        "value": result.value,
                        "status": result.status,
                        "status_label": str(STATUS_LABELS[result.status]),
                    }
                )
    return rows


def _year_span(rows, key="year"):
    years = [row[key] for row in rows if row.get(key)]
    if not years:
        return None
    return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)


def _day_span(rows, *keys):
    days = [row[key] for row in rows for key in keys if row.get(key)]
    return (min(days), max(days)) if days else None


def _evaluation_columns(unit_header, parent_header):
    return [
        Column("year", _("Năm"), kind=Kind.INTEGER, width=8),
        Column("criteria_set", _("Mã bộ tiêu chí"), width=26),
        Column("criteria_set_name", _("Bộ tiêu chí"), width=40),
        Column("unit_code", _("Mã đơn vị"), width=12),
        Column("unit_name", unit_header, width=24),
        Column("parent_name", parent_header, width=24),
        Column("status", _("Mã kết quả"), width=10),
        Column("status_label", _("Kết quả"), width=16),
        Column("criteria_met", _("Số tiêu chí đạt"), kind=Kind.INTEGER, width=12),
        Column(
            "criteria_not_met", _("Số tiêu chí chưa đạt"), kind=Kind.INTEGER, width=12
        ),
        Column(
            "criteria_no_data",
            _("Số tiêu chí chưa có số liệu"),
            kind=Kind.INTEGER,
            width=12,
        ),
        Column("criteria_total", _("Tổng số tiêu chí"), kind=Kind.INTEGER, width=12),
        Column(
            "boundary_is_approximate",
            _("Ranh giới gần đúng"),
            kind=Kind.YES_NO,
            width=12,
        ),
    ]


register(
    Dataset(
        code="danh-gia-xa-ntm",
        title=_("Kết quả đánh giá xã nông thôn mới theo năm"),
        title_en="New Rural commune evaluation results by year",
        description=_(
            "Kết quả của từng xã theo các bộ tiêu chí xã nông thôn mới, nâng cao, "
            "kiểu mẫu, do hệ thống tính từ số liệu đã phê duyệt: đạt, chưa đạt "
            "hoặc chưa có số liệu, và số tiêu chí đạt."
        ),
        description_en=(
            "Each commune's result against the New Rural commune criteria sets "
            "(standard, advanced, model), computed from approved figures."
        ),
        theme="AGRI",
        keywords=(_("nông thôn mới"), _("đánh giá"), _("xã"), "NTM"),
        spatial=True,
        columns=_evaluation_columns(_("Xã"), _("Huyện / thành phố")),
        rows=lambda: _evaluation_rows(Unit.Level.COMMUNE),
        sources=ENGINE_SOURCES,
        temporal=_year_span,
    )
)

register(
    Dataset(
        code="danh-gia-thon",
        title=_("Thôn thông minh: kết quả đánh giá thôn theo năm"),
        title_en="Smart villages: village evaluation results by year",
        description=_(
            "Kết quả của từng thôn theo bộ tiêu chí thôn thông minh của huyện (và "
            "các bộ tiêu chí cấp thôn khác khi có): Wi-Fi nhà văn hóa, mã địa chỉ "
            "số, cáp quang, điện thoại thông minh, thương mại điện tử…"
        ),
        description_en=(
            "Each village's result against the district's smart-village criteria "
            "(and any other village-level set)."
        ),
        theme="AGRI",
        keywords=(_("thôn thông minh"), _("nông thôn mới"), _("thôn")),
        spatial=True,
        columns=_evaluation_columns(_("Thôn"), _("Xã")),
        rows=lambda: _evaluation_rows(Unit.Level.VILLAGE),
        sources=(*ENGINE_SOURCES, VillageChannel, ChannelSettings, Announcement),
        temporal=_year_span,
    )
)

register(
    Dataset(
        code="tieu-chi-thon",
        title=_("Thôn thông minh: kết quả từng tiêu chí của từng thôn"),
        title_en="Smart villages: each village's result on each criterion",
        description=_(
            "Giá trị và kết quả của từng thôn ở từng yêu cầu của bộ tiêu chí thôn "
            "thông minh, theo năm (một dòng cho mỗi thôn, yêu cầu và năm)."
        ),
        description_en=(
            "Each village's value and result on each requirement of the "
            "smart-village criteria, by year (one row per village, requirement "
            "and year)."
        ),
        theme="AGRI",
        keywords=(_("thôn thông minh"), _("tiêu chí"), _("thôn")),
        columns=[
            Column("year", _("Năm"), kind=Kind.INTEGER, width=8),
            Column("criteria_set", _("Mã bộ tiêu chí"), width=26),
            Column("unit_code", _("Mã thôn"), width=12),
            Column("unit_name", _("Thôn"), width=20),
            Column("parent_name", _("Xã"), width=20),
            Column("criterion", _("Tiêu chí số"), width=8),
            Column("requirement", _("Mã yêu cầu"), width=10),
            Column("requirement_name", _("Yêu cầu"), width=50),
            Column("measure", _("Đơn vị tính"), width=14),
            Column("threshold", _("Mức phải đạt"), width=12),
            Column("value", _("Giá trị"), kind=Kind.DECIMAL, width=12),
            Column("status", _("Mã kết quả"), width=10),
            Column("status_label", _("Kết quả"), width=16),
        ],
        rows=lambda: _requirement_rows(Unit.Level.VILLAGE),
        sources=(*ENGINE_SOURCES, VillageChannel, ChannelSettings, Announcement),
        temporal=_year_span,
    )
)


def _plan_rows():
    rows = []
    for plan in Plan.objects.select_related("unit"):
        for year, results in sorted(plan_results(plan).items()):
            for result in results:
                target = result.target
                indicator = target.indicator
                rows.append(
                    {
                        "plan": plan.code,
                        "plan_title": plan.title,
                        "year": year,
                        "target": target.number,
                        "target_title": target.title,
                        "indicator": indicator.code,
                        "indicator_name": indicator.name,
                        "measure": str(indicator.get_measure_display()),
                        "requirement": target.requirement.threshold_display,
                        "value": result.value,
                        "status": result.status,
                        "status_label": str(STATUS_LABELS[result.status]),
                        "deadline": target.deadline,
                    }
                )
    return rows


register(
    Dataset(
        code="muc-tieu-ke-hoach",
        title=_("Mức độ đạt các mục tiêu của kế hoạch theo năm"),
        title_en="Plan targets: results by year",
        description=_(
            "Mỗi mục tiêu của kế hoạch chuyển đổi số trong xây dựng nông thôn mới: "
            "chỉ tiêu, mức phải đạt, giá trị hệ thống tính được và kết quả từng năm."
        ),
        description_en=(
            "Each target of the district's digital-transformation plan: its "
            "indicator, the level required, the computed value and the result."
        ),
        theme="GOVE",
        keywords=(_("kế hoạch"), _("chuyển đổi số"), _("mục tiêu")),
        columns=[
            Column("plan", _("Mã kế hoạch"), width=20),
            Column("plan_title", _("Kế hoạch"), width=40),
            Column("year", _("Năm"), kind=Kind.INTEGER, width=8),
            Column("target", _("Mục tiêu số"), width=8),
            Column("target_title", _("Mục tiêu"), width=50),
            Column("indicator", _("Mã chỉ tiêu"), width=16),
            Column("indicator_name", _("Chỉ tiêu"), width=40),
            Column("measure", _("Đơn vị tính"), width=14),
            Column("requirement", _("Mức phải đạt"), width=14),
            Column("value", _("Giá trị"), kind=Kind.DECIMAL, width=12),
            Column("status", _("Mã kết quả"), width=10),
            Column("status_label", _("Kết quả"), width=16),
            Column("deadline", _("Thời hạn"), kind=Kind.DATE, width=12),
        ],
        rows=_plan_rows,
        sources=(*ENGINE_SOURCES, Plan),
        temporal=_year_span,
    )
)


def _producer(entity):
    """The producer's published name: a household business's is withheld."""
    if entity.kind == Entity.Kind.HOUSEHOLD_BUSINESS:
        return ""
    return entity.name


def _commune_of(unit):
    return unit.parent if unit.level == Unit.Level.VILLAGE and unit.parent else unit


def _ocop_rows():
    today = timezone.localdate()
    evaluations = (
        Evaluation.objects.certified()
        .select_related("product__entity__unit__parent", "round")
        .order_by("product__name", "product_id", "-certificate_date", "-pk")
    )
    rows = []
    for evaluation in evaluations:
        product = evaluation.product
        entity = product.entity
        commune = _commune_of(entity.unit)
        rows.append(
            {
                "product_id": product.pk,
                "product": product.name,
                "group": str(product.get_group_display()),
                "gtin": product.gtin,
                "producer": _producer(entity),
                "producer_kind": str(entity.get_kind_display()),
                "commune_code": commune.code,
                "commune": commune.name,
                "stars": evaluation.stars,
                "year": evaluation.round.year,
                "council": str(evaluation.round.get_council_level_display()),
                "certificate_number": evaluation.certificate_number,
                "certificate_date": evaluation.certificate_date,
                "valid_until": evaluation.valid_until,
                "valid_today": evaluation.is_valid_on(today),
            }
        )
    return rows


register(
    Dataset(
        code="san-pham-ocop",
        title=_("Sản phẩm OCOP: hạng sao và hiệu lực giấy chứng nhận"),
        title_en="OCOP products: star ratings and certificate validity",
        description=_(
            "Mỗi giấy chứng nhận sản phẩm OCOP của huyện: sản phẩm, nhóm, chủ thể, "
            "xã, hạng sao, số và ngày cấp, hiệu lực (36 tháng)."
        ),
        description_en=(
            "Every OCOP product certificate of the district: product, group, "
            "producer, commune, stars, number, dates and validity."
        ),
        theme="ECON",
        keywords=("OCOP", _("sản phẩm"), _("hạng sao")),
        columns=[
            Column("product_id", _("Mã sản phẩm trên hệ thống"), kind=Kind.INTEGER),
            Column("product", _("Sản phẩm"), width=32),
            Column("group", _("Nhóm sản phẩm"), width=20),
            Column("gtin", _("Mã GTIN"), width=16),
            Column("producer", _("Chủ thể"), width=32),
            Column("producer_kind", _("Loại hình chủ thể"), width=24),
            Column("commune_code", _("Mã xã"), width=10),
            Column("commune", _("Xã"), width=20),
            Column("stars", _("Hạng sao"), kind=Kind.INTEGER, width=8),
            Column("year", _("Năm đánh giá"), kind=Kind.INTEGER, width=8),
            Column("council", _("Cấp hội đồng"), width=20),
            Column("certificate_number", _("Số quyết định / giấy chứng nhận")),
            Column("certificate_date", _("Ngày cấp"), kind=Kind.DATE, width=12),
            Column("valid_until", _("Hiệu lực đến"), kind=Kind.DATE, width=12),
            Column("valid_today", _("Còn hiệu lực"), kind=Kind.YES_NO, width=10),
        ],
        rows=_ocop_rows,
        sources=(Evaluation, Product, Entity),
        temporal=lambda rows: _day_span(rows, "certificate_date", "valid_until"),
        privacy_note=_(
            "Không công bố người đại diện, điện thoại, địa chỉ; tên hộ sản xuất, "
            "kinh doanh không được công bố (thường là tên chủ hộ)."
        ),
    )
)


def _area_rows():
    areas = GrowingArea.objects.public().select_related("unit", "entity")
    return [
        {
            "id": area.code,
            "code": area.code,
            "name": area.name,
            "commune_code": area.unit.code,
            "commune": area.unit.name,
            "crop": area.crop,
            "variety": area.variety,
            "crop_kind": str(area.get_crop_kind_display()),
            "season": area.season,
            "area_ha": area.area_ha,
            "expected_yield_tonnes": area.expected_yield_tonnes,
            "status": str(area.get_status_display()),
            "status_changed_on": area.status_changed_on,
            "producer": _producer(area.entity),
            "producer_kind": str(area.entity.get_kind_display()),
            "geometry": area.boundary,
        }
        for area in areas
    ]


register(
    Dataset(
        code="vung-trong",
        title=_("Vùng trồng được cấp mã số"),
        title_en="Growing areas with issued codes",
        description=_(
            "Vùng trồng đã được cấp mã số (kể cả mã đang tạm dừng hoặc đã thu hồi): "
            "mã số, cây trồng, diện tích, trạng thái mã và ranh giới."
        ),
        description_en=(
            "Growing areas whose code was issued (including suspended or revoked "
            "codes): code, crop, area, code status and boundary."
        ),
        theme="AGRI",
        keywords=(_("mã số vùng trồng"), _("truy xuất nguồn gốc"), _("nông nghiệp")),
        spatial=True,
        columns=[
            Column("code", _("Mã số vùng trồng"), width=24),
            Column("name", _("Tên vùng trồng"), width=30),
            Column("commune_code", _("Mã xã"), width=10),
            Column("commune", _("Xã"), width=20),
            Column("crop", _("Cây trồng"), width=16),
            Column("variety", _("Giống"), width=16),
            Column("crop_kind", _("Loại cây"), width=14),
            Column("season", _("Mùa vụ"), width=18),
            Column("area_ha", _("Diện tích (ha)"), kind=Kind.DECIMAL, width=12),
            Column(
                "expected_yield_tonnes",
                _("Sản lượng dự kiến (tấn/năm)"),
                kind=Kind.DECIMAL,
                width=12,
            ),
            Column("status", _("Trạng thái mã"), width=16),
            Column("status_changed_on", _("Ngày đổi trạng thái"), kind=Kind.DATE),
            Column("producer", _("Chủ thể"), width=30),
            Column("producer_kind", _("Loại hình chủ thể"), width=24),
        ],
        rows=_area_rows,
        sources=(GrowingArea, Entity),
        privacy_note=_(
            "Không công bố các hộ tham gia vùng trồng, nhật ký sản xuất, người đại "
            "diện; tên hộ sản xuất, kinh doanh không được công bố."
        ),
    )
)


def _facility_rows(facilities):
    facilities = facilities.select_related("village__parent").order_by(
        "village__sort_key", "kind", "name", "pk"
    )
    rows = []
    for facility in facilities:
        located = facility.lat is not None and facility.lon is not None
        village = facility.village
        rows.append(
            {
                "id": facility.pk,
                "name": facility.name,
                "kind": str(facility.get_kind_display()),
                "has_wifi": facility.has_wifi,
                "village_code": village.code,
                "village": village.name,
                "commune": village.parent.name if village.parent else "",
                "address_code": facility.address_code,
                "lat": facility.lat,
                "lon": facility.lon,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(facility.lon), float(facility.lat)],
                }
                if located
                else None,
            }
        )
    return rows


FACILITY_COLUMNS = [
    Column("name", _("Tên"), width=30),
    Column("kind", _("Loại"), width=20),
    Column("has_wifi", _("Có Wi-Fi miễn phí"), kind=Kind.YES_NO, width=10),
    Column("village_code", _("Mã thôn"), width=12),
    Column("village", _("Thôn"), width=20),
    Column("commune", _("Xã"), width=20),
    Column("address_code", _("Mã địa chỉ số"), width=20),
    Column("lat", _("Vĩ độ"), kind=Kind.DECIMAL, number_format="0.000000"),
    Column("lon", _("Kinh độ"), kind=Kind.DECIMAL, number_format="0.000000"),
]

register(
    Dataset(
        code="diem-wifi",
        title=_("Điểm Wi-Fi công cộng miễn phí"),
        title_en="Free public Wi-Fi points",
        description=_(
            "Điểm Wi-Fi công cộng và nhà văn hóa thôn có Wi-Fi miễn phí, với vị trí."
        ),
        description_en="Public Wi-Fi points and village cultural houses with free "
        "Wi-Fi, with their location.",
        theme="TECH",
        keywords=("Wi-Fi", _("hạ tầng số"), _("thôn thông minh")),
        spatial=True,
        columns=FACILITY_COLUMNS,
        rows=lambda: _facility_rows(Facility.objects.filter(has_wifi=True)),
        sources=(Facility,),
    )
)

register(
    Dataset(
        code="nha-van-hoa",
        title=_("Nhà văn hóa thôn"),
        title_en="Village cultural houses",
        description=_("Nhà văn hóa của các thôn: vị trí, mã địa chỉ số, có Wi-Fi."),
        description_en="The villages' cultural houses: location, digital address, "
        "Wi-Fi.",
        theme="EDUC",
        keywords=(_("nhà văn hóa"), _("thiết chế văn hóa"), _("thôn")),
        spatial=True,
        columns=FACILITY_COLUMNS,
        rows=lambda: _facility_rows(
            Facility.objects.filter(kind=Facility.Kind.CULTURAL_HOUSE)
        ),
        sources=(Facility,),
    )
)


def _cooperative_rows():
    cooperatives = (
        Cooperative.objects.select_related("commune")
        .prefetch_related("technologies")
        .order_by("commune__sort_key", "name", "pk")
    )
    return [
        {
            "code": cooperative.code,
            "name": cooperative.name,
            "commune_code": cooperative.commune.code,
            "commune": cooperative.commune.name,
            "founded_on": cooperative.founded_on,
            "members": cooperative.members,
            "main_products": cooperative.main_products,
            "applies_digital_technology": cooperative.applies_digital_technology,
            "technologies": [t.name for t in cooperative.technologies.all()],
            "is_active": cooperative.is_active,
        }
        for cooperative in cooperatives
    ]


register(
    Dataset(
        code="hop-tac-xa",
        title=_("Hợp tác xã và ứng dụng công nghệ số"),
        title_en="Cooperatives and their use of digital technology",
        description=_(
            "Hợp tác xã của huyện: mã số, xã, năm thành lập, số thành viên, sản phẩm "
            "chính, công nghệ số đang ứng dụng."
        ),
        description_en=(
            "The district's cooperatives: registration code, commune, founding "
            "date, members, main products, digital technologies applied."
        ),
        theme="ECON",
        keywords=(_("hợp tác xã"), _("kinh tế tập thể"), _("chuyển đổi số")),
        columns=[
            Column("code", _("Mã số HTX / số đăng ký"), width=16),
            Column("name", _("Tên hợp tác xã"), width=36),
            Column("commune_code", _("Mã xã"), width=10),
            Column("commune", _("Xã"), width=20),
            Column("founded_on", _("Ngày thành lập"), kind=Kind.DATE, width=12),
            Column("members", _("Số thành viên"), kind=Kind.INTEGER, width=10),
            Column("main_products", _("Sản phẩm, dịch vụ chính"), width=36),
            Column(
                "applies_digital_technology",
                _("Ứng dụng công nghệ số"),
                kind=Kind.YES_NO,
                width=10,
            ),
            Column("technologies", _("Công nghệ số"), width=30),
            Column("is_active", _("Đang hoạt động"), kind=Kind.YES_NO, width=10),
        ],
        rows=_cooperative_rows,
        sources=(Cooperative,),
        privacy_note=_("Không công bố người đại diện và số điện thoại."),
    )
)


def _tourism_rows():
    sites = TourismSite.objects.published().select_related("unit")
    return [
        {
            "id": site.code,
            "code": site.code,
            "name": site.name,
            "name_en": site.name_en,
            "kind": str(site.get_kind_display()),
            "unit_code": site.unit.code,
            "unit": site.unit.name,
            "address_code": site.address_code,
            "opening_hours": site.opening_hours,
            "price": site.price,
            "business": site.business_name,
            "lat": site.lat,
            "lon": site.lon,
            "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]}
            if site.lat is not None and site.lon is not None
            else None,
        }
        for site in sites
    ]


register(
    Dataset(
        code="diem-du-lich",
        title=_("Điểm du lịch nông thôn"),
        title_en="Rural tourism sites",
        description=_(
            "Điểm tham quan, di tích, làng nghề, homestay, dịch vụ và trải nghiệm du "
            "lịch nông thôn: loại, đơn vị, giờ mở cửa, giá, cơ sở kinh doanh, vị trí."
        ),
        description_en=(
            "Rural attractions, heritage sites, craft villages, homestays, services "
            "and experiences: kind, unit, opening hours, price, business, location."
        ),
        theme="REGI",
        keywords=(_("du lịch nông thôn"), _("du lịch cộng đồng"), _("homestay")),
        spatial=True,
        columns=[
            Column("code", _("Mã điểm"), width=18),
            Column("name", _("Tên"), width=30),
            Column("name_en", _("Tên tiếng Anh"), width=30),
            Column("kind", _("Loại"), width=18),
            Column("unit_code", _("Mã đơn vị"), width=10),
            Column("unit", _("Đơn vị"), width=20),
            Column("address_code", _("Mã địa chỉ số"), width=18),
            Column("opening_hours", _("Giờ mở cửa"), width=20),
            Column("price", _("Giá"), width=24),
            Column("business", _("Cơ sở kinh doanh"), width=28),
            Column("lat", _("Vĩ độ"), kind=Kind.DECIMAL, number_format="0.000000"),
            Column("lon", _("Kinh độ"), kind=Kind.DECIMAL, number_format="0.000000"),
        ],
        rows=_tourism_rows,
        sources=(TourismSite,),
        privacy_note=_(
            "Chỉ công bố tên cơ sở kinh doanh; không công bố số điện thoại, thư "
            "điện tử hay thông tin của hộ gia đình."
        ),
    )
)
