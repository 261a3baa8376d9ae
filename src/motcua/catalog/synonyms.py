"""The synonym, abbreviation and question-phrase table that search reads (data/synonyms.csv).

People search with the words they use, not the catalogue's: "bằng lái" for giấy phép lái xe,
"sổ đỏ" for giấy chứng nhận quyền sử dụng đất, "BHXH", "CCCD", and whole questions ("làm sao để
đăng ký kết hôn?"). The table is data so that it can be maintained without touching code; every
phrase is folded with `fold()` when the table is loaded, so it is written in proper Vietnamese.

Columns: `kind,phrase,means,note`.

- `abbreviation`: `phrase` and `means` are the same thing, both ways (BHXH ↔ bảo hiểm xã hội): a
  query with either finds procedures written with either.
- `synonym`: one way: a query with `phrase` also finds `means` (several meanings separated by `|`);
  the phrase itself still matches too.
- `question`: words of a question that say nothing about which procedure is meant ("cần hồ sơ gì",
  "ở đâu"); they are dropped from the query. A leading `^` keeps the phrase only at the start of
  the query, a trailing `$` only at its end.

Matching is on folded words, but where both the query and the table carry diacritics they must
agree on the vowel letters (â, ă, ê, ô, ơ, ư, đ): "lâm nghiệp" typed with marks is not "làm".
"""

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from motcua.lib.text import fold, has_diacritics

SYNONYMS_PATH = Path(__file__).resolve().parent / "data" / "synonyms.csv"
KINDS = ("abbreviation", "synonym", "question")

# Tone marks (grave, acute, hook above, tilde, dot below) carry no distinction we rely on when
# comparing a typed word with a table word; the vowel-quality marks (circumflex, breve, horn) and
# đ do ("làm" vs "lâm", "cưới" vs "cuối").
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_Y_TO_I = str.maketrans({"y": "i"})


def letter_skeleton(word: str) -> str:
    """A word's letters with vowel-quality marks but no tone marks, lower case, y written i."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", kept).translate(_Y_TO_I)


class SynonymTableError(ValueError):
    """The table file has a bad row; the message names the line and the column."""


@dataclass(frozen=True)
class Entry:
    kind: str
    phrase: tuple[str, ...]  # folded words
    skeletons: tuple[str, ...]  # per word: its letter skeleton when written with marks, else ""
    means: tuple[tuple[str, ...], ...]  # folded phrases
    anchor: str = ""  # "start", "end" or ""
    line: int = 0

    def accepts(self, typed: list[str], start: int, total: int) -> bool:
        """True when the typed words (original spelling, aligned to the folded ones) fit this entry."""
        if self.anchor == "start" and start != 0:
            return False
        if self.anchor == "end" and start + len(self.phrase) != total:
            return False
        for skeleton, word in zip(self.skeletons, typed[start:start + len(self.phrase)], strict=False):
            if skeleton and has_diacritics(word) and letter_skeleton(word) != skeleton:
                return False
        return True


@dataclass(frozen=True)
class Segment:
    """A run of query words: either one plain word (entry is None) or a phrase of the table."""

    start: int
    end: int
    entry: Entry | None = None


class SynonymTable:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._by_first_word: dict[str, list[Entry]] = {}
        for entry in entries:
            self._by_first_word.setdefault(entry.phrase[0], []).append(entry)
        # Longest phrase first, so "cần hồ sơ gì" wins over "gì".
        for candidates in self._by_first_word.values():
            candidates.sort(key=lambda e: -len(e.phrase))
        self.words = {w for e in entries for w in e.phrase} | {w for e in entries for m in e.means for w in m}

    def __len__(self) -> int:
        return len(self.entries)

    def segment(self, words: list[str], typed: list[str] | None = None) -> list[Segment]:
        """Split folded query words into table phrases (longest match, left to right) and plain words.

        `typed` is the user's own spelling of each word (same length as `words`), used to tell
        apart words that fold alike.
        """
        typed = typed if typed is not None and len(typed) == len(words) else words
        segments: list[Segment] = []
        i = 0
        while i < len(words):
            match = None
            for entry in self._by_first_word.get(words[i], ()):
                n = len(entry.phrase)
                if (tuple(words[i:i + n]) == entry.phrase and entry.accepts(typed, i, len(words))
                        and not _already_spelt_out(entry, words, i)):
                    match = entry
                    break
            if match is None:
                segments.append(Segment(i, i + 1))
                i += 1
            else:
                segments.append(Segment(i, i + len(match.phrase), match))
                i += len(match.phrase)
        return segments


def _already_spelt_out(entry: Entry, words: list[str], start: int) -> bool:
    """True when the words around the phrase already are one of its meanings.

    "thành lập công ty" contains "lập công ty", whose meaning is "thành lập công ty": the
    synonym must not apply to what the user wrote in full.
    """
    end = start + len(entry.phrase)
    for meaning in entry.means:
        for begin in range(max(0, end - len(meaning)), start + 1):
            if tuple(words[begin:begin + len(meaning)]) == meaning and begin + len(meaning) >= end:
                return True
    return False


def _parse_phrase(text: str, line: int, column: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw_words = text.split()
    words = tuple(fold(text).split())
    if not words:
        raise SynonymTableError(f"synonyms.csv dòng {line}: cột {column} trống hoặc không có chữ nào")
    # One skeleton per folded word; a raw word that folds to several words (rare) carries none.
    skeletons: tuple[str, ...] = tuple(
        letter_skeleton(w) if has_diacritics(w) else "" for w in raw_words
    ) if len(raw_words) == len(words) else ("",) * len(words)
    return words, skeletons


def parse_rows(rows: list[dict[str, str]]) -> list[Entry]:
    """Entries of the table; abbreviations produce an entry each way."""
    entries: list[Entry] = []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        kind = (row.get("kind") or "").strip()
        phrase_text = (row.get("phrase") or "").strip()
        means_text = (row.get("means") or "").strip()
        if kind not in KINDS:
            raise SynonymTableError(
                f"synonyms.csv dòng {line}: cột kind phải là một trong {', '.join(KINDS)}, không phải {kind!r}"
            )
        anchor = ""
        if kind == "question":
            if phrase_text.startswith("^"):
                anchor, phrase_text = "start", phrase_text[1:]
            elif phrase_text.endswith("$"):
                anchor, phrase_text = "end", phrase_text[:-1]
            if means_text:
                raise SynonymTableError(f"synonyms.csv dòng {line}: cụm từ hỏi (question) không có cột means")
        elif not means_text:
            raise SynonymTableError(f"synonyms.csv dòng {line}: thiếu cột means cho {phrase_text!r}")
        phrase, skeletons = _parse_phrase(phrase_text, line, "phrase")
        means = tuple(_parse_phrase(m, line, "means")[0] for m in means_text.split("|")) if means_text else ()
        entries.append(Entry(kind, phrase, skeletons, means, anchor, line))
        if kind == "abbreviation":
            for meaning in means:
                entries.append(Entry(kind, meaning, ("",) * len(meaning), (phrase,), "", line))
    return entries


def load_table(path: Path = SYNONYMS_PATH) -> SynonymTable:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"kind", "phrase", "means"} - set(reader.fieldnames or ())
        if missing:
            raise SynonymTableError(f"synonyms.csv: thiếu cột {', '.join(sorted(missing))} ở dòng tiêu đề")
        return SynonymTable(parse_rows(list(reader)))


@lru_cache(maxsize=1)
def default_table() -> SynonymTable:
    """The bundled table, loaded once per process."""
    return load_table()
