import pytest

from ntm.core.text import fold, fold_terms, natural_key, unstorable


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đại Lộc", "dai loc"),
        ("ĐẠI LỘC", "dai loc"),
        ("Nguyễn Thị Hương", "nguyen thi huong"),
        ("  Xã   Hà Nha ", "xa ha nha"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_diacritics_and_case(text, folded):
    assert fold(text) == folded


def test_fold_terms_splits_the_query_into_folded_words():
    assert fold_terms("  Đại  lộc ") == ["dai", "loc"]


def test_unstorable_finds_nul_and_lone_surrogates_only():
    texts = ["Đại Lộc", "a\x00b", "\ud800", "x\udfff", "😀"]

    assert [unstorable(text) for text in texts] == [False, True, True, True, False]


def test_natural_key_sorts_numbers_as_people_count():
    names = ["Thôn 10", "Thôn 2", "thôn 1", "Thôn Bàu Sen", "Khu phố 3", "Thôn 1A"]

    assert sorted(names, key=natural_key) == [
        "Khu phố 3",
        "thôn 1",
        "Thôn 1A",
        "Thôn 2",
        "Thôn 10",
        "Thôn Bàu Sen",
    ]
