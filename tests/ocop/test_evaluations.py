import datetime
from decimal import Decimal

import pytest

from ntm.core.models import ActionLog
from ntm.ocop.models import CouncilLevel, Evaluation, Score
from ntm.ocop.services import (
    OcopError,
    approve_evaluation,
    certify_evaluation,
    create_round,
    enter_product,
    score_evaluation,
    send_back_evaluation,
)

from ..factories import EvaluationRoundFactory, ProductFactory
from .conftest import points_for

pytestmark = pytest.mark.django_db
Status = Evaluation.Status


def test_enter_product_uses_the_current_sheet_of_its_group(
    sheets, evaluation_round, product, office
):
    evaluation = enter_product(evaluation_round, product=product, by=office)

    assert evaluation.status == Status.DRAFT
    assert evaluation.sheet == sheets["thuc_pham"]
    with pytest.raises(OcopError, match="đã có trong đợt"):
        enter_product(evaluation_round, product=product, by=office)


def test_enter_product_refuses_a_group_without_a_sheet(
    evaluation_round, product, office
):
    with pytest.raises(OcopError, match="Chưa nạp phiếu"):
        enter_product(evaluation_round, product=product, by=office)


def test_score_totals_the_sheet_and_ranks_it(make_evaluation, product, council):
    evaluation = make_evaluation(product, total=Decimal("69.99"), until="score")

    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.total, evaluation.stars) == (
        Status.SCORED,
        Decimal("69.99"),
        3,
    )
    assert evaluation.scored_by == council
    assert Score.objects.filter(evaluation=evaluation).count() == 8
    assert ActionLog.objects.for_object(evaluation).first().action == (
        "ocop.evaluation.scored"
    )


def test_score_needs_every_criterion_within_its_maximum(
    make_evaluation, product, council
):
    evaluation = make_evaluation(product, until="enter")
    points = points_for(evaluation, 50)
    first, *_rest = points

    with pytest.raises(OcopError, match="Còn thiếu điểm"):
        score_evaluation(evaluation, points={first: 5}, by=council)
    too_many = {**points, first: Decimal("15.01")}
    with pytest.raises(OcopError, match="từ 0 đến 15"):
        score_evaluation(evaluation, points=too_many, by=council)
    with pytest.raises(OcopError, match="không phải là số"):
        score_evaluation(evaluation, points={**points, first: "x"}, by=council)

    evaluation.refresh_from_db()
    assert evaluation.status == Status.DRAFT
    assert not evaluation.scores.exists()


def test_no_step_can_be_skipped(make_evaluation, product, office, council):
    evaluation = make_evaluation(product, until="enter")

    with pytest.raises(OcopError, match="Duyệt kết quả"):
        approve_evaluation(evaluation, by=office)
    with pytest.raises(OcopError, match="Ghi nhận giấy chứng nhận"):
        certify_evaluation(
            evaluation,
            number="1",
            certificate_date=datetime.date(2025, 11, 1),
            by=office,
        )
    score_evaluation(evaluation, points=points_for(evaluation, 80), by=council)
    with pytest.raises(OcopError, match="Ghi nhận giấy chứng nhận"):
        certify_evaluation(
            evaluation,
            number="1",
            certificate_date=datetime.date(2025, 11, 1),
            by=office,
        )
    approve_evaluation(evaluation, by=office)
    with pytest.raises(OcopError, match="Chấm điểm"):
        score_evaluation(evaluation, points=points_for(evaluation, 90), by=council)

    evaluation.refresh_from_db()
    assert evaluation.status == Status.APPROVED


def test_approve_refuses_the_person_who_scored(make_evaluation, product, council):
    evaluation = make_evaluation(product, until="score")

    with pytest.raises(OcopError, match="không tự duyệt"):
        approve_evaluation(evaluation, by=council)


def test_send_back_needs_a_reason_and_returns_to_draft(
    make_evaluation, product, office, council
):
    evaluation = make_evaluation(product, until="score")

    with pytest.raises(OcopError, match="lý do"):
        send_back_evaluation(evaluation, reason="  ", by=office)
    send_back_evaluation(evaluation, reason="Thiếu phiếu kiểm nghiệm", by=office)

    evaluation.refresh_from_db()
    assert evaluation.status == Status.DRAFT
    assert evaluation.return_reason == "Thiếu phiếu kiểm nghiệm"
    score_evaluation(evaluation, points=points_for(evaluation, 60), by=council)
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.return_reason) == (Status.SCORED, "")


def test_certify_records_the_certificate_valid_36_months(make_evaluation, product):
    evaluation = make_evaluation(
        product, total=Decimal("70"), day=datetime.date(2025, 11, 25)
    )

    evaluation.refresh_from_db()
    assert evaluation.status == Status.CERTIFIED
    assert evaluation.stars == 4
    assert evaluation.valid_until == datetime.date(2028, 11, 25)
    assert list(
        ActionLog.objects.for_object(evaluation).values_list("action", flat=True)
    ) == [
        "ocop.evaluation.certified",
        "ocop.evaluation.approved",
        "ocop.evaluation.scored",
        "ocop.evaluation.created",
    ]


def test_certify_refuses_fewer_than_three_stars(make_evaluation, product, office):
    evaluation = make_evaluation(product, total=Decimal("49.99"), until="approve")

    with pytest.raises(OcopError, match="từ 3 sao"):
        certify_evaluation(
            evaluation,
            number="1/QĐ",
            certificate_date=datetime.date(2025, 11, 25),
            by=office,
        )


def test_certify_refuses_more_stars_than_the_council_recognises(
    make_evaluation, units, product, office
):
    district_round = EvaluationRoundFactory(
        unit=units["district"],
        year=2024,
        council_level=CouncilLevel.DISTRICT,
        held_on=datetime.date(2024, 8, 1),
    )
    evaluation = make_evaluation(
        product, total=Decimal("70"), until="approve", round_=district_round
    )

    with pytest.raises(OcopError, match="đến 3 sao"):
        certify_evaluation(
            evaluation,
            number="1/QĐ",
            certificate_date=datetime.date(2024, 9, 1),
            by=office,
        )


def test_certify_refuses_a_date_before_the_council_or_in_the_future(
    make_evaluation, product, office
):
    evaluation = make_evaluation(product, until="approve")

    with pytest.raises(OcopError, match="trước ngày họp"):
        certify_evaluation(
            evaluation,
            number="1",
            certificate_date=datetime.date(2025, 1, 1),
            by=office,
        )
    with pytest.raises(OcopError, match="sau hôm nay"):
        certify_evaluation(
            evaluation,
            number="1",
            certificate_date=datetime.date.today() + datetime.timedelta(days=1),
            by=office,
        )


def test_a_transition_rechecks_the_state_it_was_given(make_evaluation, product, office):
    evaluation = make_evaluation(product, until="score")
    stale = Evaluation.objects.get(pk=evaluation.pk)
    approve_evaluation(evaluation, by=office)

    # The stale copy still says "scored"; the locked re-read refuses.
    with pytest.raises(OcopError):
        send_back_evaluation(stale, reason="Muộn", by=office)


def test_district_councils_end_with_qd_1489(units, office):
    with pytest.raises(OcopError, match="06/07/2025"):
        create_round(
            by=office,
            name="Đợt huyện",
            year=2025,
            council_level=CouncilLevel.DISTRICT,
            unit=units["district"],
            held_on=datetime.date(2025, 7, 6),
        )
    evaluation_round = create_round(
        by=office,
        name="Đợt huyện",
        year=2025,
        council_level=CouncilLevel.DISTRICT,
        unit=units["district"],
        held_on=datetime.date(2025, 7, 5),
    )
    assert evaluation_round.pk


def test_enter_product_refuses_an_inactive_product(
    sheets, evaluation_round, entity, office
):
    product = ProductFactory(entity=entity, is_active=False)

    with pytest.raises(OcopError, match="không còn"):
        enter_product(evaluation_round, product=product, by=office)
