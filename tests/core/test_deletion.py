import datetime

import pytest
from django.utils import timezone

from ntm.core.deletion import delete_or_refuse, deletion_refusal
from ntm.households.models import Household
from ntm.households.services import HouseholdError
from ntm.surveys.models import Response, Survey
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def households_answering(villages):
    def make(answers):
        household = HouseholdFactory(village=villages["hn1"])
        now = timezone.now()
        for number in range(answers):
            survey = Survey.objects.create(
                title=f"Khảo sát {number}",
                slug=f"khao-sat-{number}",
                unit=villages["hn1"].parent,
                opens_at=now,
                closes_at=now + datetime.timedelta(days=1),
            )
            Response.objects.create(survey=survey, household=household)
        return household

    return make


def test_deletion_refusal_is_none_for_a_record_nothing_keeps(villages):
    household = HouseholdFactory(village=villages["hn1"])

    assert deletion_refusal(household, hint="Gợi ý.") is None


def test_delete_or_refuse_deletes_a_record_nothing_keeps(villages):
    household = HouseholdFactory(village=villages["hn1"])

    delete_or_refuse(household, error=HouseholdError)

    assert not Household.all_objects.exists()


def test_delete_or_refuse_names_the_rows_that_keep_it_and_deletes_nothing(
    households_answering,
):
    household = households_answering(answers=2)
    expected = (
        f"Không thể xóa hộ gia đình “{household}”: còn 2 phiếu trả lời gắn với nó."
        " Gợi ý."
    )

    with pytest.raises(HouseholdError) as refused:
        delete_or_refuse(household, error=HouseholdError, hint="Gợi ý.")

    assert str(refused.value) == expected
    assert deletion_refusal(household, hint="Gợi ý.") == expected
    assert Household.all_objects.get() == household
