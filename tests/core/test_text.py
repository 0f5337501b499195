import pytest

from ntm.core.text import fold, fold_terms, unstorable


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
