from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.surveys.models import Question, Survey
from ntm.surveys.xlsforms import XlsformError, import_xlsform

from .conftest import make_survey

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::UserWarning"),
]
DATA = Path(__file__).parent / "data"


def upload(name):
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


@pytest.fixture
def draft(units):
    return make_survey(units["ha_nha"], status=Survey.Status.DRAFT)


def test_import_xlsform_tutorial_refuses_unsupported_types_listing_them(draft):
    with pytest.raises(XlsformError) as error:
        import_xlsform(upload("tutorial.xlsx"), survey=draft, by=None)

    message = str(error.value)
    assert "chưa hỗ trợ" in message
    assert "photo (photo)" in message
    assert "location (geopoint)" in message
    assert draft.questions.count() == 0


def test_import_xlsform_tutorial_keeps_skip_logic_and_multiple_choice(draft):
    report = import_xlsform(
        upload("tutorial.xlsx"), survey=draft, by=None, skip_unsupported=True
    )

    questions = {q.xlsform_name: q for q in draft.questions.all()}
    assert report.imported == 6
    assert sorted(name for name, _w, _r in report.skipped) == [
        "date",
        "location",
        "photo",
    ]
    assert list(questions) == [
        "name",
        "age",
        "gender",
        "pizza_fan",
        "pizza_type",
        "favorite_toppings",
    ]
    toppings = questions["favorite_toppings"]
    assert toppings.kind == Question.Kind.MULTIPLE
    assert toppings.choices.count() == 6
    assert toppings.relevant_question == questions["pizza_fan"]
    assert toppings.relevant_choice.value == "yes"
    assert questions["age"].kind == Question.Kind.TEXT


def test_import_xlsform_multilingual_picks_the_default_language(draft):
    report = import_xlsform(upload("multi_lingual_form.xlsx"), survey=draft, by=None)

    fruits = draft.questions.get(xlsform_name="Fruits")
    assert report.language == "English"
    assert fruits.text == "Fruits"
    assert fruits.choices.first().label == "Apple"
    assert fruits.kind == Question.Kind.MULTIPLE


def test_import_xlsform_household_refuses_repeats(draft):
    with pytest.raises(XlsformError, match="repeat"):
        import_xlsform(upload("household.xlsx"), survey=draft, by=None)


def test_import_xlsform_big_form_imports_part_with_a_report(draft):
    with pytest.raises(XlsformError, match="chưa hỗ trợ"):
        import_xlsform(upload("subdistrict_profiling_tool.xlsx"), survey=draft, by=None)

    report = import_xlsform(
        upload("subdistrict_profiling_tool.xlsx"),
        survey=draft,
        by=None,
        skip_unsupported=True,
    )

    assert report.imported == draft.questions.count()
    assert report.imported > 0
    assert len(report.skipped) > 0


def test_import_xlsform_refuses_a_file_that_is_not_a_form(draft):
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")

    with pytest.raises(XlsformError, match="không phải là tệp Excel"):
        import_xlsform(bad, survey=draft, by=None)


def test_import_xlsform_refuses_open_survey(units):
    survey = make_survey(units["ha_nha"])

    with pytest.raises(XlsformError, match="nháp"):
        import_xlsform(upload("tutorial.xlsx"), survey=survey, by=None)
