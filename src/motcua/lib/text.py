"""Vietnamese text folding: the one function used at index time and at query time.

People type Vietnamese with or without diacritics, in any case, with `đ` or `d`, and with the two
accepted spellings of some syllables (`ký`/`kí`, `lý`/`lí`: the y/i variants). `fold()` maps all of
them to one ASCII form so that a folded query matches a folded document.
"""

import re
import unicodedata

# FTS5's unicode61 tokenizer does not fold đ (it is a letter of its own, U+0111, not d plus a mark):
# see shared/reference/stack.md §1. We fold it ourselves, before stripping the combining marks.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
# A syllable-final "y" after a consonant onset is spelled "i" by many writers (ký/kí, lý/lí, mỹ/mĩ,
# quy/qui is not a variant and is kept). We fold to "i" only for the consonants where both
# spellings are accepted (Quyết định 240/1984 on spelling; common usage).
_Y_VARIANT = re.compile(r"\b([kltmhsvbdn])y\b")


def strip_marks(text: str) -> str:
    """Remove every diacritic and map đ→d, keeping case and punctuation."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """Fold text for search: lower case, no diacritics, đ→d, y/i variants unified, punctuation to spaces.

    The result is a sequence of ASCII words separated by single spaces.
    """
    if not text:
        return ""
    plain = strip_marks(text).lower()
    words = _NON_WORD.sub(" ", plain).strip()
    return _Y_VARIANT.sub(r"\1i", words)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic or đ (used to tell users to type them)."""
    return strip_marks(text) != text
