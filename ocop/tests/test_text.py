"""Search folding: Vietnamese diacritics and đ are ignored."""
from ocop.text import fold, search_q


def test_fold_removes_vietnamese_diacritics():
    assert fold("  Miến dong   Tài Hoan ") == "mien dong tai hoan"
    assert fold("Đà Bắc – Hòa Bình") == "da bac - hoa binh"


def test_search_q_needs_every_word():
    assert str(search_q("mien  HOAN")) == "(AND: ('search_text__contains', 'mien'), ('search_text__contains', 'hoan'))"
