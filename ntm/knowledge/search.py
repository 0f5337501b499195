"""Full-text search of the know-how library, by the database's own engine.

Both engines read the folded columns (``Guide.search_title``,
``Guide.search_body``: lower case, no diacritics, "đ" as "d"), so a query
typed without marks finds the marked text, and "Đồng" finds "dong" as
"dong" finds "Đồng". Every word must match; the last may be a prefix (people
search as they type). A title match ranks above a match in the text.

- PostgreSQL: ``to_tsvector('simple', …)`` weighted A (title) and B (text),
  ranked by ``ts_rank``. The 'simple' configuration, because the folded text
  is already normalised and Vietnamese has no stemmer; ``unaccent`` is not
  needed for the same reason (and does not fold "đ" on every version).
- SQLite: an FTS5 table over the same columns (created with its triggers by
  migration 0004), ranked by ``bm25`` with the title weighted ten times.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Value, When

from ntm.core.text import fold

FTS_TABLE = "knowledge_guide_fts"
# bm25 weights per column of FTS_TABLE: title, text.
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# A search answers at most this many guides, best first.
MAX_RESULTS = 500
_WORD = re.compile(r"\w+")


def words(text):
    """The folded words of a search box; punctuation and operators dropped,
    so nothing typed can reach the engine's query syntax."""
    return _WORD.findall(fold(text))


def ranked(guides, text):
    """``guides`` matching every word of ``text``, best first."""
    terms = words(text)
    if not terms:
        return guides
    if connection.vendor == "postgresql":
        return _postgres(guides, terms)
    return _sqlite(guides, terms)


def _postgres(guides, terms):
    vector = SearchVector("search_title", weight="A", config="simple") + SearchVector(
        "search_body", weight="B", config="simple"
    )
    query = SearchQuery(
        _prefix_query(terms, "&", ":*"), config="simple", search_type="raw"
    )
    # ts_rank gives non-matching rows a tiny rank, not 0: match with @@.
    return (
        guides.alias(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "-created_at", "pk")
    )


def _sqlite(guides, terms):
    match = _prefix_query(terms, " ", "*", quote=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}, %s, %s) LIMIT %s",
            [match, TITLE_WEIGHT, BODY_WEIGHT, MAX_RESULTS],
        )
        ids = [row[0] for row in cursor.fetchall()]
    order = Case(
        *(When(pk=pk, then=Value(place)) for place, pk in enumerate(ids)),
        output_field=IntegerField(),
    )
    if not ids:
        return guides.none()
    return guides.filter(pk__in=ids).annotate(rank=order).order_by("rank")


def _prefix_query(terms, joiner, prefix, *, quote=False):
    """Every word whole, the last also as a prefix: "trong lu" finds "lua"."""
    quoted = [f'"{term}"' if quote else term for term in terms]
    quoted[-1] += prefix
    return joiner.join(quoted)
