"""Turkish letters: case rules for i/İ and ı/I, the alphabet's order, and folding for search."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from domain import turkish


def test_case_changes_follow_turkish_rules_for_dotted_and_dotless_i() -> None:
    """`I` lowers to `ı` and `İ` to `i` (never `i̇`); `i` uppers to `İ` and `ı` to `I`."""
    assert turkish.lower("IŞIK İZMİR ILIK") == "ışık izmir ılık"
    assert turkish.upper("ışık izmir ılık çağrı") == "IŞIK İZMİR ILIK ÇAĞRI"
    assert turkish.lower("I\u0307zmir") == "izmir"  # a decomposed İ (I + combining dot) is still İ
    assert "İ".lower() != "i" and turkish.lower("İ") == "i"


def test_casefold_ignores_case_and_circumflexes_and_collapses_spaces() -> None:
    """`  HÂLÂ   Işık ` and `hala ışık` compare equal; `ılık` and `ilik` do not."""
    assert turkish.casefold("  HÂLÂ   Işık ") == turkish.casefold("hala ışık") == "hala ışık"
    assert turkish.casefold("ILIK") != turkish.casefold("İLİK")
    assert turkish.ascii_fold("Işık Çağlar Öğüt") == "isik caglar ogut"


def test_names_sort_in_the_turkish_alphabet_order() -> None:
    """ç after c, ğ after g, ı before i, ö after o, ş after s, ü after u; spaces before letters;
    upper and lower case together (İzmir beside izmit, Işık beside ılık)."""
    names = [
        "Zeytin",
        "İzmir",
        "ızgara",
        "Işık",
        "ılık",
        "izmit",
        "Çayeli",
        "Cide",
        "Şile",
        "Sinop",
        "Ümit",
        "Uğur",
        "ördek",
        "Osman",
        "Ağrı",
        "Alican",
        "Ali Veli",
        "Gökçe",
        "Ğ",
    ]
    assert turkish.sorted_by_name(names) == [
        "Ağrı", "Ali Veli", "Alican", "Cide", "Çayeli", "Gökçe", "Ğ", "ılık", "Işık", "ızgara",
        "İzmir", "izmit", "Osman", "ördek", "Sinop", "Şile", "Uğur", "Ümit", "Zeytin",
    ]  # fmt: skip
    assert sorted(names)[-1] != "Zeytin"  # the code-point order this replaces puts Ş, İ, ı after z


def test_a_query_with_turkish_letters_is_exact_and_one_without_them_matches_both_spellings() -> None:
    """`ılık` is a Turkish-letter query; `ilik`, `Izmir` and `isik` are not (typed on any keyboard)."""
    assert turkish.has_turkish_letters("ılık") and turkish.has_turkish_letters("İzmir")
    assert not any(turkish.has_turkish_letters(q) for q in ("ilik", "Izmir", "isik"))


@given(st.text(st.sampled_from("IİiıÂâÎîÛûÇçĞğÖöŞşÜü \u0307aZ") | st.characters()))
def test_folding_swaps_exactly_the_letters_of_the_turkish_tables(text: str) -> None:
    """The `str.replace` swaps behave like `str.translate` with the same letter tables, for any text."""
    to_lower = str.maketrans({"I": "ı", "İ": "i"})
    plain = str.maketrans({"â": "a", "î": "i", "û": "u"})
    to_ascii = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u"})
    lowered = unicodedata.normalize("NFC", text).translate(to_lower).lower()
    folded = " ".join(lowered.translate(plain).split())
    assert turkish.lower(text) == lowered
    assert turkish.casefold(text) == folded
    assert turkish.ascii_fold(text) == turkish.without_turkish_letters(folded) == folded.translate(to_ascii)
    to_upper = str.maketrans({"i": "İ", "ı": "I"})
    assert turkish.upper(text) == unicodedata.normalize("NFC", text).translate(to_upper).upper()
