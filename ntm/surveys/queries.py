"""Survey results: counts per choice, ratings, satisfaction, response rates.

How a household's answers make it "satisfied" (reference/indicators_found.md
§E): the 2021-2025 guidance (Hướng dẫn 90/HD-MTTW-BTT) asks households on a
phiếu with content items answered hài lòng / không hài lòng and reports the
share of households satisfied (Duy Xuyên: 98.87 % of the households that
answered). How the items combine into one household's verdict is not in the
sources read, so the rule is ours and kept here: a household is satisfied
when at least half of the satisfaction questions it answered are answered
satisfied. With the recommended phiếu (one overall question counted), that is
simply its overall answer. Content areas are reported separately as satisfied
answers / answers, as Vĩnh Tường reported per area.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Q

from ntm.core.numbers import round_half_up
from ntm.households.models import Household
from ntm.units.models import Unit
from ntm.units.scope import within_paths

from .models import SATISFIED_RATING, Answer, Question

SATISFIED_SHARE = Decimal("0.5")


def percent(part, whole):
    if not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole), 2)


def judged_answers(responses):
    """Rows (response id, question id, content area, satisfied) for counted
    questions; a multiple-choice question is satisfied if any choice is."""
    return (
        Answer.objects.filter(
            response__in=responses, question__counts_for_satisfaction=True
        )
        .values("response_id", "question_id", "question__content_area")
        .annotate(
            ok=Count(
                "id",
                filter=Q(choice__satisfied=True) | Q(rating__gte=SATISFIED_RATING),
            )
        )
        .order_by()
    )


def verdicts(responses):
    """{response id: satisfied?} for responses with a counted answer."""
    tally = defaultdict(lambda: [0, 0])
    for row in judged_answers(responses):
        counts = tally[row["response_id"]]
        counts[0] += 1 if row["ok"] else 0
        counts[1] += 1
    return {
        pk: Decimal(ok) >= SATISFIED_SHARE * total for pk, (ok, total) in tally.items()
    }


def results_figures(survey_pk):
    """Everything the results pages show of a survey, in one value to keep."""
    from .models import Survey

    survey = Survey.objects.select_related("unit").get(pk=survey_pk)
    return {
        "summary": summary(survey),
        "areas": content_areas(survey),
        "breakdown": unit_breakdown(survey),
        "results": question_results(survey),
    }


def question_results(survey):
    """Per question: counts per choice, rating mean and spread, text count."""
    questions = list(survey.questions.prefetch_related("choices"))
    choice_counts = dict(
        Answer.objects.filter(question__survey=survey, choice__isnull=False)
        .values("choice_id")
        .annotate(n=Count("response", distinct=True))
        .values_list("choice_id", "n")
    )
    answered = dict(
        Answer.objects.filter(question__survey=survey)
        .values("question_id")
        .annotate(n=Count("response", distinct=True))
        .values_list("question_id", "n")
    )
    ratings = defaultdict(dict)
    for row in (
        Answer.objects.filter(question__survey=survey, rating__isnull=False)
        .values("question_id", "rating")
        .annotate(n=Count("id"))
    ):
        ratings[row["question_id"]][row["rating"]] = row["n"]
    means = dict(
        Answer.objects.filter(question__survey=survey, rating__isnull=False)
        .values("question_id")
        .annotate(mean=Avg("rating"))
        .values_list("question_id", "mean")
    )
    results = []
    for question in questions:
        total = answered.get(question.pk, 0)
        item = {
            "question": question,
            "answered": total,
            "choices": [],
            "ratings": [],
            "is_text": question.kind == Question.Kind.TEXT,
        }
        for choice in question.choices.all():
            n = choice_counts.get(choice.pk, 0)
            item["choices"].append(
                {"choice": choice, "count": n, "percent": percent(n, total)}
            )
        if question.kind == Question.Kind.RATING:
            spread = ratings[question.pk]
            item["ratings"] = [
                {
                    "rating": r,
                    "count": spread.get(r, 0),
                    "percent": percent(spread.get(r, 0), total),
                }
                for r in range(1, 6)
            ]
            mean = means.get(question.pk)
            item["mean"] = None if mean is None else round_half_up(mean, 2)
        results.append(item)
    return results


def text_answers(survey, *, within):
    """The free-text answers of households living ``within`` these unit paths,
    newest first, with the village and the day but nothing else of the
    household that wrote them."""
    return (
        Answer.objects.filter(
            question__survey=survey, question__kind=Question.Kind.TEXT
        )
        .filter(within_paths(within, "response__household__village"))
        .exclude(text="")
        .select_related("question", "response__household__village")
        .only(
            "text",
            "question__order",
            "question__text",
            "response__submitted_at",
            "response__channel",
            "response__household__village__name",
        )
        .order_by("-response__submitted_at", "-pk")
    )


def content_areas(survey):
    """[(area, satisfied answers, answers, percent)] of counted questions."""
    tally = defaultdict(lambda: [0, 0])
    for row in judged_answers(survey.responses.all()):
        area = row["question__content_area"] or "—"
        tally[area][0] += 1 if row["ok"] else 0
        tally[area][1] += 1
    return [
        {"area": area, "satisfied": ok, "answers": total, "percent": percent(ok, total)}
        for area, (ok, total) in sorted(tally.items())
    ]


def summary(survey):
    """Responses, households in scope, response rate and satisfaction."""
    responses = survey.responses.all()
    judged = verdicts(responses)
    households = Household.objects.in_unit(survey.unit).count()
    count = responses.count()
    satisfied = sum(judged.values())
    return {
        "responses": count,
        "online": responses.online().count(),
        "paper": count - responses.online().count(),
        "households": households,
        "response_rate": percent(count, households),
        "judged": len(judged),
        "satisfied": satisfied,
        "satisfaction": percent(satisfied, len(judged)),
    }


def unit_breakdown(survey):
    """Rows per commune (a survey above communes) or per village.

    Households are placed by their current village, as the register keeps them.
    """
    by_commune = survey.unit.level < Unit.Level.COMMUNE
    key = "village__parent_id" if by_commune else "village_id"
    households = dict(
        Household.objects.in_unit(survey.unit)
        .values(key)
        .annotate(n=Count("id"))
        .values_list(key, "n")
    )
    responses = list(survey.responses.values_list("pk", f"household__{key}"))
    judged = verdicts(survey.responses.all())
    rows = defaultdict(lambda: {"responses": 0, "judged": 0, "satisfied": 0})
    for pk, unit_id in responses:
        row = rows[unit_id]
        row["responses"] += 1
        if pk in judged:
            row["judged"] += 1
            row["satisfied"] += int(judged[pk])
    units = (
        Unit.objects.filter(pk__in=set(households) | set(rows))
        .in_natural_order()
        .values_list("pk", "name")
    )
    names = dict(units)
    result = []
    for unit_id in names:
        row = rows[unit_id]
        result.append(
            {
                "unit": names.get(unit_id, "—"),
                "households": households.get(unit_id, 0),
                "responses": row["responses"],
                "response_rate": percent(row["responses"], households.get(unit_id, 0)),
                "satisfaction": percent(row["satisfied"], row["judged"]),
            }
        )
    return result
