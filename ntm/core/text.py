"""Vietnamese text folding, so that "dai loc" finds "Đại Lộc"."""

import re
import unicodedata

# đ/Đ are letters of their own, not d with a mark: NFD leaves them alone.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text):
    """Lower-case ``text`` and strip its diacritics: "Đại Lộc" -> "dai loc"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold_terms(query):
    """The folded words of a search box, each to be matched on its own."""
    return fold(query).split()


# Python strings may hold them; no database stores them: PostgreSQL refuses a
# NUL (SQLite keeps it), and a lone surrogate has no UTF-8 form at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text):
    """True when ``text`` holds a NUL or a lone UTF-16 surrogate."""
    return _UNSTORABLE.search(text) is not None


_DIGITS = re.compile(r"\d+")
# Wide enough for any number in a name; longer runs (codes) keep their length.
NATURAL_WIDTH = 10


def natural_key(text):
    """A key that sorts names as people count: "Thôn 2" before "Thôn 10".

    The folded text with every run of digits zero-padded, so that plain
    string order (a database ORDER BY) is the natural order.
    """
    return _DIGITS.sub(lambda m: m.group().zfill(NATURAL_WIDTH), fold(text))
