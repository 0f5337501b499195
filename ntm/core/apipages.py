"""One page of a record list on the API, the same on every router.

``?page=`` (from 1) and ``?page_size=`` (at most MAX_PAGE_SIZE); the answer
is ``{count, page, pages, page_size, results}``. A page past the end gives
the last page, as the pages' Paginator does.
"""

from django.core.paginator import Paginator
from ninja import Query

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

PAGE = Query(1, ge=1, description="Trang, từ 1.")
SIZE = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Số dòng một trang.")


def page_of(rows, page=1, page_size=PAGE_SIZE, *, out=None):
    """The answer for one page of ``rows``; ``out`` turns each row into its
    answer (the rows themselves when None)."""
    paginator = Paginator(rows, min(page_size, MAX_PAGE_SIZE))
    current = paginator.get_page(page)
    results = list(current.object_list)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "page_size": paginator.per_page,
        "results": [out(row) for row in results] if out else results,
    }
