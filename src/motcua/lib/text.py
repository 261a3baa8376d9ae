"""Vietnamese text folding: the one function used at index time and at query time.

People type Vietnamese with or without diacritics, in any case, with `đ` or `d`, and with the two
accepted spellings of some syllables (`ký`/`kí`, `lý`/`lí`: the y/i variants). `fold()` maps all of
them to one ASCII form so that a folded query matches a folded document.

Also here: a small spelling index (`SpellIndex`) that proposes the vocabulary words within a
bounded edit distance of a mistyped word, used by catalog/search.py for typo tolerance.
"""

import re
import unicodedata
from collections.abc import Iterable

# FTS5's unicode61 tokenizer does not fold đ (it is a letter of its own, U+0111, not d plus a mark):
# see shared/reference/stack.md §1. We fold it ourselves, before stripping the combining marks.
# Ð (U+00D0, Icelandic eth) is what many Vietnamese keyboards and old fonts produce for Đ.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
# Latin letters that have no Unicode decomposition, so stripping marks alone would drop them (and
# their upper/lower case forms would then fold differently, e.g. "ı" vs "I").
_LATIN_MAP = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "ß": "ss", "ẞ": "SS", "þ": "th", "Þ": "TH", "ĸ": "k", "ſ": "s",
})
_NON_WORD = re.compile(r"[^0-9a-z]+")
# The letters the two maps above change: most text has none, and translate() is slow on non-ASCII.
_MAPPED = re.compile("[" + "".join(chr(c) for c in {**_D_MAP, **_LATIN_MAP}) + "]")
# A syllable-final "y" after a consonant onset is spelled "i" by many writers (ký/kí, lý/lí, mỹ/mĩ,
# sỹ/sĩ). We fold to "i" only for the consonants where both spellings are accepted (Quyết định
# 240/1984 on spelling; common usage). "qui" is the older spelling of "quy" (qui định / quy định),
# so it folds the other way, to "quy".
_VARIANTS = {f"{onset}y": f"{onset}i" for onset in "kltmhsvbdn"} | {"qui": "quy"}
_COMBINING_MARKS = re.compile("[\u0300-\u036f]+")


def strip_marks(text: str) -> str:
    """Remove every diacritic and map đ→d, keeping case and punctuation."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """Fold text for search: lower case, no diacritics, đ→d, y/i variants unified, punctuation to spaces.

    The result is a sequence of ASCII words ([0-9a-z]+) separated by single spaces.
    """
    if not text:
        return ""
    # NFKD rather than NFD: compatibility forms (full-width digits from some phones, ligatures like
    # "ﬁ", superscripts) become the plain letters people would type.
    if _MAPPED.search(text):
        text = text.translate(_D_MAP).translate(_LATIN_MAP)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = _without_marks(decomposed).casefold()
    if not plain.isascii():
        # A few letters only decompose or lower-case properly after casefold ("İ"); Vietnamese
        # text is ASCII by now and skips this.
        plain = _without_marks(unicodedata.normalize("NFKD", plain))
        if _MAPPED.search(plain):
            plain = plain.translate(_D_MAP).translate(_LATIN_MAP)
    return " ".join(_VARIANTS.get(word, word) for word in _NON_WORD.sub(" ", plain).split())


def _without_marks(text: str) -> str:
    # Marks (Mn) go; format characters (Cf: soft hyphen, zero-width space, BOM) go too, so that a
    # word copied from a web page with an invisible break inside stays one word.
    if text.isascii():
        return text
    # Vietnamese marks are all in the Combining Diacritical Marks block: a regex strips them fast;
    # anything else that is left goes through the character categories.
    text = _COMBINING_MARKS.sub("", text)
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic or đ (used to tell users to type them)."""
    return strip_marks(text) != text


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: a swap of two neighbours counts 1).

    With `limit`, returns limit + 1 as soon as the distance is known to exceed it.
    """
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if limit is not None and min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def _deletions(word: str, depth: int) -> set[str]:
    """Every string obtained by deleting up to `depth` characters from `word` (word included)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


class SpellIndex:
    """Proposes known words close to a mistyped one (symmetric-deletion lookup, as in SymSpell).

    Every vocabulary word is indexed under all its variants with up to `max_distance` characters
    deleted; a query word's own deletions then meet the candidates in a few dictionary lookups,
    instead of an edit-distance computation against the whole vocabulary.
    """

    def __init__(self, words: Iterable[tuple[str, int]], max_distance: int = 2):
        self.max_distance = max_distance
        self.frequency: dict[str, int] = {}
        self._by_deletion: dict[str, list[str]] = {}
        for word, count in words:
            if not word:
                continue
            self.frequency[word] = self.frequency.get(word, 0) + count
        for word in self.frequency:
            for variant in _deletions(word, min(max_distance, len(word))):
                self._by_deletion.setdefault(variant, []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.frequency

    def __len__(self) -> int:
        return len(self.frequency)

    def candidates(self, word: str, max_distance: int) -> list[tuple[str, int]]:
        """Known words within `max_distance` edits of `word`, as (word, distance), closest first.

        Ties are broken by whether the known word contains the typed letters in order, by how many
        documents use it (more first), then alphabetically.
        """
        max_distance = min(max_distance, self.max_distance)
        if max_distance <= 0:
            return [(word, 0)] if word in self.frequency else []
        seen: set[str] = set()
        found: list[tuple[str, int]] = []
        for variant in _deletions(word, max_distance):
            for known in self._by_deletion.get(variant, ()):
                if known in seen:
                    continue
                seen.add(known)
                distance = edit_distance(word, known, max_distance)
                if distance <= max_distance:
                    found.append((known, distance))
        # The most common typing slip is a missed letter ("sin" for "sinh", "dug" for "dung"), so
        # among equally close words those that contain the typed letters in order come first.
        found.sort(key=lambda item: (item[1], not _is_subsequence(word, item[0]), -self.frequency[item[0]], item[0]))
        return found

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The most used known words that start with `prefix` (and are longer than it)."""
        matches = [w for w in self.frequency if len(w) > len(prefix) and w.startswith(prefix)]
        matches.sort(key=lambda w: (-self.frequency[w], w))
        return matches[:limit]
