"""Procedure search: Vietnamese as people type it, on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm).

INTERFACE (stable; portal and API depend on it): `search_procedures()` returns `SearchResults`.

How a query is answered (docs/search.md has the long version):

1. `parse_query()` turns the text into *concepts*. It takes out procedure codes (1.001193,
   1.001193.H26), folds the rest with `fold()` (the same function that built the index), drops
   question phrasing ("cần hồ sơ gì", "ở đâu": data/synonyms.csv), expands abbreviations and
   synonyms (BHXH, sổ đỏ, bằng lái), and gives each word the index does not know its likely
   corrections (edit distance over the index vocabulary) and, for words typed together, a split.
   A concept is a set of alternative phrases; a document matches when it contains every concept.
2. The database finds the matching documents under the filters (FTS5 MATCH / tsquery @@, both
   on the pre-folded ASCII text). Up to FETCH_ALL of them come back in one query, and the count,
   the facets and a coarse order are computed from them; beyond that, the database counts and
   groups them, and hands over candidates in stages (code match, phrase in the name, all words in
   the name, the rest; shorter names first).
3. Python scores the best candidates finely (`_score`): whole-name equality, phrase match, words
   in the name, how much of the name the query covers, penalties for corrections; ties go to the
   shorter name, then the code.

When no document contains every concept, the search is relaxed (`relaxed=True`): first to the
documents with all concepts but one, then to those with any rare concept (in at most 5% of the
documents; else the rarest one), ranked by the weight (inverse document frequency) of the
concepts they contain. On PostgreSQL a last resort, when even that finds nothing, ranks names by
pg_trgm `word_similarity`.
"""

import itertools
import math
import operator
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from motcua.catalog.choices import Level, OnlineService, VersionStatus
from motcua.catalog.models import SearchDocument
from motcua.catalog.synonyms import SynonymTable, default_table, letter_skeleton
from motcua.lib.text import SpellIndex, fold, has_diacritics


@dataclass
class SearchHit:
    procedure_id: int
    code: str
    name: str
    status: str
    online_service: str
    domain_id: int | None
    issuing_agency_id: int | None
    levels: list[str]
    score: float = 0.0


@dataclass
class FacetValue:
    value: str  # the filter value (a Level, an id as str, an OnlineService)
    label: str
    count: int


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)  # keys: level, domain, agency, online_service
    # True when no procedure contained every word: the results contain most of them ("gần đúng").
    relaxed: bool = False
    # Words the index does not know, with the correction the search used ({"dug": "dung"}).
    corrections: dict[str, str] = field(default_factory=dict)


# A query longer than this is cut: nobody types more, and it bounds the work a request can cause.
MAX_QUERY_CHARS = 300
MAX_CONCEPTS = 12
# How many candidates beyond the requested page the database hands to the fine ranking.
CANDIDATE_MARGIN = 40
# Up to this many matching documents are fetched at once and counted, faceted and ranked in
# Python; beyond, the database counts and picks candidates (see `_ranked`).
FETCH_ALL = 2000
# Longer "words" are not corrected (a pasted identifier, a key held down): their variants only cost time.
MAX_WORD_TO_CORRECT = 30
# Phrase alternatives tried against names (product of each concept's alternatives), at most.
MAX_PHRASES = 24
# The vocabulary (for corrections) is read from the index at most this often per process: a stale
# vocabulary only misses corrections towards words published in the meantime, exact words still match.
VOCABULARY_TTL_SECONDS = 600

# shared/reference/vn-domain.md §1.2: `1.000948`, localised `1.000948.H38`. Dots may be typed as
# commas or spaces; the 6-digit serial alone is accepted too.
_CODE_RE = re.compile(r"(?<![\w.,])([0-9])\s?[.,]?\s?([0-9]{6})(?:\s?[.,]\s?([A-Za-z][0-9]{2}))?(?!\w)")
_SERIAL_RE = re.compile(r"(?<![\w.,])([0-9]{6})(?!\w)")
_WORD_RE = re.compile(r"\w+")
_PARENTHESES_RE = re.compile(r"\([^()]*\)")
_NON_LETTER_RE = re.compile(r"[\W_]+")
# Names often start with "Thủ tục" and end with where the procedure is done "(thực hiện tại cấp
# tỉnh)": neither says what the procedure is, so they do not count in how well a query covers a name.
_NAME_PREFIX = ("thu", "tuc")
# Names that start with these issue or register the thing itself; when the query names no action,
# people want that one first (cấp hộ chiếu before trình báo mất hộ chiếu).
_PRIMARY_HEADS = (("cap",), ("dang", "ki"), ("cap", "moi"))
_SECONDARY_AFTER_HEAD = {"lai", "doi", "bo", "thay", "dieu", "gia", "xoa", "huy"}
_ACTION_WORDS = {
    "lai", "doi", "gia", "han", "thu", "hoi", "xoa", "huy", "mat", "cham", "dut", "thay", "dieu", "chinh",
    "sua", "bo", "sung", "ngung", "giai", "the", "trinh", "bao", "khoi", "phuc",
}


@dataclass
class Concept:
    """One thing the query asks for: any of its alternative phrases (tuples of folded words)."""

    typed: str
    alternatives: list[tuple[str, ...]]
    exact: int = 1  # the first `exact` alternatives are what was typed or its synonyms; the rest corrections
    kind: str = "word"  # word | synonym | corrected


@dataclass
class ParsedQuery:
    text: str
    codes: list[str] = field(default_factory=list)  # full codes, 1.001193 or 1.001193.H26
    serials: list[str] = field(default_factory=list)  # 6-digit serials typed alone
    concepts: list[Concept] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # question phrasing taken out
    corrections: dict[str, str] = field(default_factory=dict)
    # Content words typed with diacritics: (folded, letter skeleton), to prefer names spelt alike.
    marked: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.codes or self.serials or self.concepts)

    def explain(self) -> dict:
        """What the search understood, for `motcua search --explain` and for debugging rankings."""
        return {
            "codes": self.codes + [f"*.{s}" for s in self.serials],
            "concepts": [
                {"typed": c.typed, "kind": c.kind, "alternatives": [" ".join(a) for a in c.alternatives]}
                for c in self.concepts
            ],
            "dropped": self.dropped,
            "corrections": self.corrections,
        }


# --------------------------------------------------------------------------------------------
# Query understanding (pure Python, the same on every backend)
# --------------------------------------------------------------------------------------------


def _max_distance(word: str) -> int:
    if len(word) < 3:
        return 0
    return 1 if len(word) <= 5 else 2


def _splits(word: str, speller: SpellIndex, depth: int = 4) -> list[tuple[str, ...]]:
    """Every way to spell `word` as up to `depth` known words of 2+ letters (`khaisinh` → khai sinh)."""
    if not word:
        return [()]
    if depth == 0:
        return []
    found = []
    for end in range(2, min(len(word), 8) + 1):
        piece = fold(word[:end])  # "ky" is spelled "ki" in the index
        if piece in speller:
            found.extend((piece, *rest) for rest in _splits(word[end:], speller, depth - 1))
    return found


def _bigram_fit(words: tuple[str, ...], bigrams: set[str]) -> int:
    return sum(f"{a} {b}" in bigrams for a, b in itertools.pairwise(words))


def _best_split(word: str, speller: SpellIndex, bigrams: set[str]) -> tuple[str, ...] | None:
    """The split whose pieces most often stand together in names, then the fewest, most used pieces."""
    if len(word) < 4 or len(word) > 24:
        return None
    splits = [s for s in _splits(word, speller) if len(s) > 1]
    if not splits:
        return None
    return max(splits, key=lambda s: (
        _bigram_fit(s, bigrams), -len(s), sum(math.log(speller.frequency[p] + 1) for p in s),
    ))


def _fits(candidate: str, before: str | None, after: str | None, bigrams: set[str]) -> bool:
    return (before is not None and f"{before} {candidate}" in bigrams) or (
        after is not None and f"{candidate} {after}" in bigrams
    )


def _alternatives_for_unknown(
    word: str, speller: SpellIndex, bigrams: set[str], *, before: str | None, after: str | None
) -> list[tuple[str, ...]]:
    """Corrections for a word the index does not know, most likely first."""
    if len(word) > MAX_WORD_TO_CORRECT:
        return []
    split = _best_split(word, speller, bigrams)
    found: list[tuple[str, ...]] = []
    candidates = speller.candidates(word, _max_distance(word))
    if candidates:
        nearest = candidates[0][1]
        # Two edits on a word that splits into known words is a worse guess than the split.
        if not (split and nearest > 1):
            close = [w for w, d in candidates if d == nearest]
            # When some corrections stand next to the word's neighbour in a procedure name
            # ("quoc tich" for "quoc tic"), only they are kept: the others would only widen the
            # results (and the count people see) with documents nobody asked for.
            fitting = [w for w in close if _fits(w, before, after, bigrams)]
            found.extend((w,) for w in (fitting or close[:3]))
    if after is None and len(word) >= 2:
        # Typed as you go: the last word may be unfinished ("khai sin").
        completions = speller.completions(word, 3)
        if any(_fits(w, before, None, bigrams) for w in completions):
            completions = [w for w in completions if _fits(w, before, None, bigrams)]
        found.extend((w,) for w in completions if (w,) not in found)
    if split:
        position = 0 if _bigram_fit(split, bigrams) or not found else len(found)
        found.insert(position, split)
    return found


# Spellings that Vietnamese speakers of one region or another confuse (initials and finals): a
# known word that fits no neighbour in any name, while its variant does, gets the variant as a
# correction ("thuong chu" → "thuong tru", "tam chu" → "tam tru").
_INITIAL_CONFUSIONS = [("ch", "tr"), ("s", "x"), ("d", "gi"), ("d", "r"), ("gi", "r"), ("l", "n"), ("ngh", "ng"), ("gh", "g")]
_FINAL_CONFUSIONS = [("ng", "n"), ("c", "t"), ("nh", "n")]


def _confusion_variants(word: str) -> set[str]:
    variants = set()
    for a, b in _INITIAL_CONFUSIONS:
        for x, y in ((a, b), (b, a)):
            if word.startswith(x) and not (x == "g" and word.startswith("gi")):
                variants.add(y + word[len(x):])
    for a, b in _FINAL_CONFUSIONS:
        for x, y in ((a, b), (b, a)):
            if word.endswith(x) and len(word) > len(x):
                variants.add(word[:-len(x)] + y)
    variants.discard(word)
    return variants


def _regional_variants(word: str, before: str | None, after: str | None,
                       speller: SpellIndex, bigrams: set[str]) -> list[tuple[str, ...]]:
    if not bigrams or _fits(word, before, after, bigrams) or (before is None and after is None):
        return []
    return [(v,) for v in sorted(_confusion_variants(word)) if v in speller and _fits(v, before, after, bigrams)]


def _typed_words(text: str) -> tuple[list[str], list[str]]:
    """Folded words and, aligned with them, the words as typed (to compare diacritics)."""
    words: list[str] = []
    typed: list[str] = []
    for token in _WORD_RE.findall(text):
        folded = fold(token).split()
        words.extend(folded)
        typed.extend([token] if len(folded) == 1 else folded)
    return words, typed


def _take_codes(text: str, parsed: ParsedQuery) -> str:
    def full(match: re.Match) -> str:
        code = f"{match.group(1)}.{match.group(2)}"
        if match.group(3):
            code += "." + match.group(3).upper()
        parsed.codes.append(code)
        return " "

    def serial(match: re.Match) -> str:
        parsed.serials.append(match.group(1))
        return " "

    return _SERIAL_RE.sub(serial, _CODE_RE.sub(full, text))


def _marked_runs(words: list[str], typed: list[str], plain: list) -> list[tuple[str, str]]:
    """(folded, skeleton) of each plain word typed with diacritics and of each run of them."""
    marked_at = sorted(
        i for segment in plain for i in range(segment.start, segment.end) if has_diacritics(typed[i])
    )
    runs: list[list[int]] = []
    for i in marked_at:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    found = [(words[i], letter_skeleton(typed[i])) for i in marked_at]
    found += [
        (" ".join(words[i] for i in run), " ".join(letter_skeleton(typed[i]) for i in run))
        for run in runs if len(run) > 1
    ]
    return found


def parse_query(
    query: str, *, speller: SpellIndex | None = None, table: SynonymTable | None = None,
    bigrams: set[str] | None = None, text_bigrams: set[str] | None = None,
) -> ParsedQuery:
    """Understand a query: codes, question phrasing, synonyms, corrections. See the module docstring.

    `speller` is the index vocabulary, `bigrams` the pairs of words that stand together in some
    procedure name ("thuong tru") and `text_bigrams` in some searchable text: all come from
    `vocabulary()` in a search. With `text_bigrams`, phrase alternatives that no text can
    contain are left out (they cost the database work and can match nothing).
    """
    table = table or default_table()
    speller = speller or SpellIndex([])
    bigrams = bigrams or set()
    # NFKC: full-width digits become ASCII and decomposed (NFD) input is composed, so \w sees words.
    text = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY_CHARS]
    parsed = ParsedQuery(text=text)
    words, typed = _typed_words(_take_codes(text, parsed))

    def known(word: str) -> bool:
        return word in speller or word in table.words or word.isdigit() or len(word) < 3

    def neighbours(i: int) -> tuple[str | None, str | None]:
        return (words[i - 1] if i > 0 else None), (words[i + 1] if i + 1 < len(words) else None)

    # Segment on the most likely spelling, so a typo inside a table phrase still finds the phrase.
    likely = []
    for word in words:
        extra = [] if known(word) else _alternatives_for_unknown(word, speller, bigrams, before=None, after=None)
        likely.append(" ".join(extra[0]) if extra and len(extra[0]) == 1 else word)
    segments = table.segment(likely, typed)
    content = [s for s in segments if s.entry is None or s.entry.kind != "question"]
    if not content and not (parsed.codes or parsed.serials):
        # A query that is only question words ("thủ tục") is searched as typed.
        content = [type(s)(s.start, s.end) for s in segments]
    parsed.dropped = [" ".join(words[s.start:s.end]) for s in segments if s not in content]
    parsed.marked = _marked_runs(words, typed, [s for s in content if s.entry is None])

    for segment in content[:MAX_CONCEPTS]:
        typed_text = " ".join(words[segment.start:segment.end])
        if segment.entry is not None:
            alternatives = list(dict.fromkeys([segment.entry.phrase, *segment.entry.means]))
            parsed.concepts.append(Concept(typed_text, alternatives, len(alternatives), "synonym"))
            for offset in range(segment.start, segment.end):
                if likely[offset] != words[offset]:
                    parsed.corrections[words[offset]] = likely[offset]
            continue
        for offset in range(segment.start, segment.end):
            word = words[offset]
            before, after = neighbours(offset)
            if known(word):
                variants = _regional_variants(word, before, after, speller, bigrams)
                if variants:
                    parsed.corrections[word] = " ".join(variants[0])
                parsed.concepts.append(Concept(word, [(word,), *variants], 1, "corrected" if variants else "word"))
                continue
            extra = _alternatives_for_unknown(word, speller, bigrams, before=before, after=after)
            if extra:
                parsed.corrections[word] = " ".join(extra[0])
            parsed.concepts.append(Concept(word, [(word,), *extra], 1, "corrected" if extra else "word"))
    if text_bigrams:
        for concept in parsed.concepts:
            _drop_impossible_phrases(concept, text_bigrams)
    return parsed


def _drop_impossible_phrases(concept: Concept, text_bigrams: set[str]) -> None:
    """Leave out phrases with a pair of words that no text contains ("giay chung tu": only "khai tu" is)."""
    def possible(alt: tuple[str, ...]) -> bool:
        return all(f"{a} {b}" in text_bigrams for a, b in itertools.pairwise(alt))

    kept = [(i, alt) for i, alt in enumerate(concept.alternatives) if possible(alt)]
    if kept and len(kept) < len(concept.alternatives):
        concept.exact = sum(1 for i, _ in kept if i < concept.exact)
        concept.alternatives = [alt for _, alt in kept]


# --------------------------------------------------------------------------------------------
# Match expressions, rendered for each backend
# --------------------------------------------------------------------------------------------


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _matching_alternatives(alternatives: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """The alternatives a match needs: one that contains another adds nothing but work."""
    return tuple(a for a in alternatives if not any(_contains(a, b) for b in alternatives if b != a))


def _all_of(concepts: list[Concept]) -> tuple:
    # The same concept twice ("đăng ký … đăng ký") is one condition.
    unique = list(dict.fromkeys(_matching_alternatives(c.alternatives) for c in concepts))
    return ("and", [("or", [("phrase", alt) for alt in alternatives]) for alternatives in unique])


def _all_but_one(concepts: list[Concept]) -> tuple:
    return ("or", [_all_of(concepts[:i] + concepts[i + 1:]) for i in range(len(concepts))])


def _name_phrases(concepts: list[Concept]) -> tuple:
    """The query as one phrase, with every combination of the concepts' alternatives (capped)."""
    combos = itertools.islice(itertools.product(*(c.alternatives for c in concepts)), MAX_PHRASES)
    return ("or", [("phrase", tuple(w for part in combo for w in part)) for combo in combos])


def _fts5(expr: tuple) -> str:
    kind, body = expr
    if kind == "phrase":
        # Every word is [0-9a-z]+ (fold() output), so quoting cannot be escaped by the user.
        return '"' + " ".join(body) + '"'
    joiner = " AND " if kind == "and" else " OR "
    return "(" + joiner.join(_fts5(e) for e in body) + ")"


# Joins two neighbouring words into the pair lexeme the PostgreSQL index also holds (migration
# 0002, catalog_search_word_pairs). "0" never joins two words of fold()'s output by accident in
# a way that matters: a pair only narrows the candidates, the phrase (<->) decides.
_PAIR_JOINER = "0"


def _tsquery(expr: tuple) -> str:
    kind, body = expr
    if kind == "phrase":
        if len(body) == 1:
            return body[0]
        pairs = " & ".join(f"{a}{_PAIR_JOINER}{b}" for a, b in itertools.pairwise(body))
        return f"(({' <-> '.join(body)}) & {pairs})"
    joiner = " & " if kind == "and" else " | "
    return "(" + joiner.join(_tsquery(e) for e in body) + ")"


class _Backend:
    vendor = ""

    def matches(self, expr: tuple) -> RawSQL:
        """A boolean SQL expression: the document contains `expr` anywhere in its text."""
        raise NotImplementedError

    def name_matches(self, expr: tuple) -> RawSQL:
        """The same, in the procedure name only."""
        raise NotImplementedError

    def similar_names(self, text: str) -> tuple[RawSQL, RawSQL] | None:
        """(filter, score) for a fuzzy last resort over names, or None where there is none."""
        return None


class _SqliteBackend(_Backend):
    """FTS5 table `catalog_searchdocument_fts` over name_folded and body_folded (migration 0002)."""

    vendor = "sqlite"
    _table = '"catalog_searchdocument"."id"'

    def matches(self, expr):
        return RawSQL(
            f"{self._table} IN (SELECT rowid FROM catalog_searchdocument_fts WHERE catalog_searchdocument_fts MATCH %s)",
            ("{body_folded} : " + _fts5(expr),), output_field=BooleanField(),
        )

    def name_matches(self, expr):
        return RawSQL(
            f"{self._table} IN (SELECT rowid FROM catalog_searchdocument_fts WHERE catalog_searchdocument_fts MATCH %s)",
            ("{name_folded} : " + _fts5(expr),), output_field=BooleanField(),
        )


class _PostgresBackend(_Backend):
    """Generated tsvector columns with GIN indexes, and a pg_trgm index on name_folded (migration 0002)."""

    vendor = "postgresql"

    def matches(self, expr):
        return RawSQL(
            "\"catalog_searchdocument\".\"search_body_tsv\" @@ to_tsquery('simple'::regconfig, %s)",
            (_tsquery(expr),), output_field=BooleanField(),
        )

    def name_matches(self, expr):
        return RawSQL(
            "\"catalog_searchdocument\".\"search_name_tsv\" @@ to_tsquery('simple'::regconfig, %s)",
            (_tsquery(expr),), output_field=BooleanField(),
        )

    def similar_names(self, text):
        # `<%` is word_similarity(text, name_folded) >= pg_trgm.word_similarity_threshold (0.6),
        # answered from the GIN trigram index on name_folded.
        return (
            RawSQL("%s <%% \"catalog_searchdocument\".\"name_folded\"", (text,), output_field=BooleanField()),
            RawSQL("word_similarity(%s, \"catalog_searchdocument\".\"name_folded\")", (text,)),
        )


def _backend() -> _Backend:
    if connection.vendor == "sqlite":
        return _SqliteBackend()
    if connection.vendor == "postgresql":
        return _PostgresBackend()
    raise NotImplementedError(f"Tìm kiếm chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ {connection.vendor}")


@dataclass
class _Vocabulary:
    speller: SpellIndex
    frequency: dict[str, int]  # documents per word, numbers included
    documents: int  # how many documents the index holds, for word weights
    bigrams: set[str]  # "a b" for every two words next to each other in some name
    text_bigrams: set[str]  # the same in the whole searchable text

    def document_frequency(self, concept: Concept) -> int:
        """How many documents can contain the concept, at most (unknown words: 0)."""
        total = 0
        for alt in concept.alternatives:
            counts = [self.frequency.get(w, 0) for w in alt]
            total += min(counts) if counts else 0
        return min(total, self.documents)

    def weight(self, concept: Concept) -> float:
        """Inverse document frequency: a rare word says more about what is wanted than "cấp"."""
        return max(0.1, math.log((self.documents + 1) / (self.document_frequency(concept) + 0.5)))


_vocabularies: dict[tuple, tuple[float, _Vocabulary]] = {}


def vocabulary() -> _Vocabulary:
    """The index vocabulary (spelling index, word counts, word pairs), built once per process and database.

    It is read from the documents of procedures that are not localised copies: a copy
    (1.001193.H26) derives from its central procedure and adds only the unit's name, so the
    central ones carry the vocabulary, and reading them keeps this cheap on a national catalogue
    of 100,000 localised records. Exact words are matched whether or not they are in it.
    """
    key = (connection.alias, connection.vendor, str(connection.settings_dict.get("NAME")))
    cached = _vocabularies.get(key)
    now = time.monotonic()
    if cached is None or now - cached[0] > VOCABULARY_TTL_SECONDS:
        frequency: dict[str, int] = {}
        bigrams: set[str] = set()
        text_bigrams: set[str] = set()
        documents = 0
        rows = SearchDocument.objects.filter(procedure__template__isnull=True).values_list("name_folded", "body_folded")
        for name, body in rows.iterator(chunk_size=5000):
            documents += 1
            words = body.split()
            for word in set(words):
                frequency[word] = frequency.get(word, 0) + 1
            bigrams.update(f"{a} {b}" for a, b in itertools.pairwise(name.split()))
            text_bigrams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
        # Words with digits are codes and numbers: never proposed as corrections.
        speller = SpellIndex((w, n) for w, n in frequency.items() if w.isalpha())
        cached = (now, _Vocabulary(speller, frequency, max(documents, 1), bigrams, text_bigrams))
        _vocabularies[key] = cached
    return cached[1]


def optimize_index() -> None:
    """Compact the full-text index after bulk writes (an import, a national load).

    SQLite: merge FTS5's segments into one and refresh the planner's statistics. PostgreSQL:
    VACUUM ANALYZE, which also moves the GIN indexes' pending entries into the index proper
    (autovacuum does it too, later). Searches work without it, a little slower.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO catalog_searchdocument_fts(catalog_searchdocument_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE catalog_searchdocument")
    clear_vocabulary_cache()


def spell_index() -> SpellIndex:
    return vocabulary().speller


def clear_vocabulary_cache() -> None:
    """Forget the cached vocabularies (after a bulk load, or between benchmark databases)."""
    _vocabularies.clear()


# --------------------------------------------------------------------------------------------
# search_procedures
# --------------------------------------------------------------------------------------------

def search_procedures(
    query: str = "",
    *,
    levels: list[str] | tuple = (),
    domain_ids: list[int] | tuple = (),
    agency_ids: list[int] | tuple = (),
    online_service: list[str] | tuple = (),
    include_abolished: bool = False,
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchResults:
    """Ranked procedures for a query (empty query: browse by code) under the given filters."""
    limit = max(0, int(limit))
    offset = max(0, int(offset))
    qs = SearchDocument.objects.all()
    if not include_abolished:
        qs = qs.exclude(status=VersionStatus.ABOLISHED)
    filtered = _filter(qs, levels, domain_ids, agency_ids, online_service)

    if not (query or "").strip():
        return _browse(filtered, limit, offset, with_facets)
    vocab = vocabulary()
    parsed = parse_query(query, speller=vocab.speller, bigrams=vocab.bigrams, text_bigrams=vocab.text_bigrams)
    if parsed.is_empty:
        return _browse(filtered, limit, offset, with_facets)

    backend = _backend()
    ranking = _Ranking(parsed, backend, vocab)
    code_condition = _code_condition(parsed)
    # 1. Every concept (or a code). 2. If nothing has them all: all but one, ranked by the weight
    # of the one missing (a stray word in a long query). 3. Then any informative concept, ranked by
    # the weight of what each document contains.
    attempts: list[tuple[Q | None, bool]] = []
    concepts = parsed.concepts
    if concepts:
        attempts.append((Q(backend.matches(_all_of(concepts))), False))
        if len(concepts) > 2:
            attempts.append((Q(backend.matches(_all_but_one(concepts))), True))
        if len(concepts) > 1:
            attempts.append((ranking.partial_condition(), True))
    else:
        attempts.append((None, False))
    for text_condition, partial in attempts:
        condition = code_condition
        if text_condition is not None:
            condition = text_condition if condition is None else (condition | text_condition)
        results = _ranked(filtered, filtered.filter(condition), ranking, partial, limit, offset, with_facets)
        if results.total:
            return results

    fuzzy = backend.similar_names(" ".join(c.typed for c in parsed.concepts)) if parsed.concepts else None
    if fuzzy is not None:
        results = _ranked(filtered, filtered.filter(fuzzy[0]), ranking, True, limit, offset, with_facets,
                          similarity=fuzzy[1])
        if results.total:
            return results
    return SearchResults(hits=[], total=0, facets=_empty_facets() if with_facets else {},
                         corrections=dict(parsed.corrections))


def _code_condition(parsed: ParsedQuery) -> Q | None:
    """The exact codes, the central procedure of a localised code, a central code's localisations.

    Written as equality and ranges on `code` so that its index answers them on both databases
    (LIKE and regular expressions would not use it).
    """
    exact: set[str] = set()
    prefixes: set[str] = set()
    for code in parsed.codes:
        exact.update({code, code[:8]})
        prefixes.add(code[:8])
    for serial in parsed.serials:
        for digit in "0123456789":
            exact.add(f"{digit}.{serial}")
            prefixes.add(f"{digit}.{serial}")
    if not exact:
        return None
    condition = Q(code__in=sorted(exact))
    for prefix in sorted(prefixes):
        # "/" sorts right after ".": the range holds exactly the codes that start with "prefix.".
        condition |= Q(code__gt=prefix + ".", code__lt=prefix + "/")
    return condition


# In the last relaxation, only concepts in at most this share of documents make a candidate:
# rare words keep the candidate set, and the work, small.
RARE_WORD_SHARE = 0.05


def _words_re(phrases: list[str]) -> re.Pattern:
    """Matches any of the phrases as whole words of a folded text ([0-9a-z ] only: no escaping needed)."""
    return re.compile(r"(?<![0-9a-z])(?:" + "|".join(phrases) + r")(?![0-9a-z])")


class _Ranking:
    """Everything the ranking needs about one parsed query: weights, and SQL to pick candidates."""

    def __init__(self, parsed: ParsedQuery, backend: _Backend, vocab: _Vocabulary):
        self.parsed = parsed
        self.backend = backend
        self.weights = [vocab.weight(c) for c in parsed.concepts]
        frequency = {id(c): vocab.document_frequency(c) for c in parsed.concepts}
        rare = [c for c in parsed.concepts if frequency[id(c)] <= RARE_WORD_SHARE * vocab.documents]
        heaviest = sorted(parsed.concepts, key=lambda c: frequency[id(c)])[:1]
        self.informative = rare or heaviest
        phrases = [" ".join(p[1]) for p in _name_phrases(parsed.concepts)[1]] if parsed.concepts else []
        self._phrase_re = _words_re(phrases) if phrases else None
        self._concept_res = [_words_re([" ".join(a) for a in c.alternatives]) for c in parsed.concepts]
        self._code_prefixes = tuple(
            [c[:8] for c in parsed.codes] + [f"{d}.{s}" for s in parsed.serials for d in "0123456789"]
        )

    def coarse_key(self, row: tuple) -> tuple:
        """The SQL stages' order, computed on a fetched row (`_PROBE_FIELDS`): cheap, before `_score`."""
        name_folded = row[_NAME_FOLDED]
        code = row[_CODE]
        if self._code_prefixes and code.startswith(self._code_prefixes):
            tier = 0
        elif self._phrase_re is not None and self._phrase_re.search(name_folded):
            tier = 1
        elif self._concept_res and all(r.search(name_folded) for r in self._concept_res):
            tier = 2
        else:
            tier = 3
        return tier, len(name_folded), code

    def partial_condition(self) -> Q:
        return Q(self.backend.matches(("or", [_all_of([c]) for c in self.informative])))

    def candidates(self, filtered, matched, window: int, partial: bool, similarity=None) -> list[dict]:
        """Up to `window` likely best documents of a large match, in stages that stop when full.

        Code matches, then names with the query as a phrase, then names with every concept,
        then the rest; within a stage, shorter names first (a whole-name match is the shortest
        name that contains the phrase). Each stage is one query on one index: the fine order is
        `_score`'s.
        """
        rows: dict[int, dict] = {}
        by_length = [Length("name_folded").asc(), "code"]
        concepts = self.parsed.concepts
        stages = []
        code_condition = _code_condition(self.parsed)
        if code_condition is not None:
            stages.append(filtered.filter(code_condition).order_by("code"))
        if concepts:
            stages.append(filtered.filter(self.backend.name_matches(_name_phrases(concepts))).order_by(*by_length))
            if len(concepts) > 1:
                stages.append(filtered.filter(self.backend.name_matches(_all_of(concepts))).order_by(*by_length))
        if partial and concepts:
            weight = None
            for concept, w in zip(concepts, self.weights, strict=True):
                term = Case(When(Q(self.backend.matches(_all_of([concept]))), then=Value(round(w * 100))),
                            default=Value(0), output_field=IntegerField())
                weight = term if weight is None else weight + term
            stages.append(matched.order_by(weight.desc(), *by_length))
        elif similarity is not None:
            stages.append(matched.order_by(similarity.desc(), *by_length))
        else:
            stages.append(matched.order_by(*by_length))
        for stage in stages:
            for row in stage.values(*_HIT_FIELDS)[:window]:
                rows.setdefault(row["id"], row)
            if len(rows) >= window:
                break
        return list(rows.values())


_HIT_FIELDS = (
    "id", "procedure_id", "code", "name", "name_folded", "body_folded", "status", "online_service",
    "domain_id", "issuing_agency_id", *SearchDocument.LEVEL_FIELDS.values(),
)
_GROUP_FIELDS = ("domain_id", "issuing_agency_id", "online_service", *SearchDocument.LEVEL_FIELDS.values())
# What is read of every matching document when all of them are read: enough to count, facet and
# order them coarsely (`_Ranking.coarse_key`).
_PROBE_FIELDS = ("id", "code", "name_folded", *_GROUP_FIELDS)
_CODE = _PROBE_FIELDS.index("code")
_NAME_FOLDED = _PROBE_FIELDS.index("name_folded")
_GROUP_KEY = operator.itemgetter(*(_PROBE_FIELDS.index(f) for f in _GROUP_FIELDS))


def _ranked(filtered, matched, ranking: _Ranking, partial, limit, offset, with_facets,
            similarity=None) -> SearchResults:
    parsed = ranking.parsed
    window = offset + limit + CANDIDATE_MARGIN
    # Narrow tuples: thousands of rows may come back; only the best are then read in full.
    probe = list(matched.values_list(*_PROBE_FIELDS)[:FETCH_ALL + 1]) if limit else []
    if limit and len(probe) <= FETCH_ALL:
        # Most queries match a few hundred documents at most: one query brings them all, and the
        # count, the facets and the coarse order are computed from them.
        total = len(probe)
        facets = _facets_from_rows(probe)[0] if with_facets else {}
        best = [row[0] for row in sorted(probe, key=ranking.coarse_key)[:window]]
        rows = list(SearchDocument.objects.filter(pk__in=best).values(*_HIT_FIELDS)) if best else []
    else:
        facets, total = _facets_and_total(matched) if with_facets else ({}, matched.count())
        rows = ranking.candidates(filtered, matched, window, partial, similarity) if total and limit else []
    results = SearchResults(hits=[], total=total, facets=facets, relaxed=partial,
                            corrections=dict(parsed.corrections))
    scored = sorted(
        ((_score(row, parsed, ranking.weights), row) for row in rows),
        key=lambda item: (-item[0][0], len(item[1]["name_folded"]), item[1]["code"]),
    )
    if scored:
        # Report the correction the best result actually used ("sin" → "sinh", not just the closest).
        for concept, used in zip(parsed.concepts, scored[0][0][1], strict=True):
            if concept.typed in results.corrections and used is not None and used >= concept.exact:
                results.corrections[concept.typed] = " ".join(concept.alternatives[used])
    results.hits = [_hit(row, score) for (score, _used), row in scored[offset:offset + limit]]
    return results


def _browse(filtered, limit, offset, with_facets) -> SearchResults:
    if with_facets:
        facets, total = _facets_and_total(filtered)
    else:
        facets, total = {}, filtered.count()
    rows = list(filtered.order_by("code").values(*_HIT_FIELDS)[offset:offset + limit]) if limit and total else []
    return SearchResults(hits=[_hit(row, 0.0) for row in rows], total=total, facets=facets)


# --------------------------------------------------------------------------------------------
# Fine ranking (Python, over the candidates the database returned)
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=20_000)
def _core_name(name: str, name_folded: str) -> tuple[str, ...]:
    """The name's words without "Thủ tục" in front and without parenthesised remarks."""
    words = fold(_PARENTHESES_RE.sub(" ", name)).split() if "(" in name else name_folded.split()
    if tuple(words[:2]) == _NAME_PREFIX and len(words) > 2:
        words = words[2:]
    return tuple(words or name_folded.split())


@lru_cache(maxsize=20_000)
def _name_skeleton(name: str) -> str:
    return f" {_NON_LETTER_RE.sub(' ', letter_skeleton(name)).strip()} "


def _spans(words: tuple[str, ...], positions: dict[str, list[int]],
           alternatives: list[tuple[str, ...]]) -> list[tuple[int, int, int]]:
    """(start, end, alternative index) of every occurrence of any alternative in the words."""
    found = []
    for index, alt in enumerate(alternatives):
        n = len(alt)
        for start in positions.get(alt[0], ()):
            if words[start:start + n] == alt:
                found.append((start, start + n, index))
    return found


def _code_score(code: str, parsed: ParsedQuery) -> float:
    score = 0.0
    for typed in parsed.codes:
        if code.upper() == typed.upper():
            score = max(score, 1000.0)
        elif code == typed[:8] or code.startswith(typed[:8] + "."):
            # The central procedure of a localised code, or the localisations of a central code.
            score = max(score, 900.0 - code.count("."))
    for serial in parsed.serials:
        if code[2:8] == serial:
            score = max(score, 850.0)
    return score


def _score(row: dict, parsed: ParsedQuery, weights: list[float]) -> tuple[float, list[int | None]]:
    """(score, the alternative each concept matched with, or None) for one candidate document."""
    score = _code_score(row["code"], parsed)
    concepts = parsed.concepts
    if not concepts:
        return score, []

    name = _core_name(row["name"], row["name_folded"])
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(name):
        positions.setdefault(word, []).append(i)
    body = f" {row['body_folded']} "
    spans = [_spans(name, positions, c.alternatives) for c in concepts]
    in_name = [bool(s) for s in spans]
    used: list[int | None] = []
    missing_weight = 0.0
    corrected = 0
    for concept, concept_spans, weight in zip(concepts, spans, weights, strict=True):
        if concept_spans:
            best = min(index for _, _, index in concept_spans)
        else:
            found = [i for i, alt in enumerate(concept.alternatives) if f" {' '.join(alt)} " in body]
            best = found[0] if found else None
        used.append(best)
        if best is None:
            missing_weight += weight
        elif best >= concept.exact:
            corrected += 1

    # Phrase: the concepts one after another in the name, in the order typed.
    ends = {(start, end) for start, end, _ in spans[0]}
    for concept_spans in spans[1:]:
        ends = {(start, e) for start, end in ends for s, e, _ in concept_spans if s == end}
    if ends:
        whole = any(start == 0 and end == len(name) for start, end in ends)
        score += 400.0 if whole else 300.0 + (10.0 if any(start == 0 for start, _ in ends) else 0.0)
    elif all(in_name):
        score += 200.0
    else:
        named = sum(w for w, present in zip(weights, in_name, strict=True) if present)
        score += 100.0 + 60.0 * named / sum(weights)

    covered = {i for concept_spans in spans for start, end, _ in concept_spans for i in range(start, end)}
    score += 60.0 * len(covered) / max(len(name), 1)
    score -= 12.0 * _spelt_differently(parsed.marked, row["name"], row["name_folded"])
    score -= 8.0 * corrected + 200.0 * missing_weight / sum(weights)
    query_words = {w for c in concepts for alt in c.alternatives for w in alt}
    if not (query_words & _ACTION_WORDS):
        head = tuple(name[:2])
        if any(head[:len(h)] == h for h in _PRIMARY_HEADS) and not (set(name[1:3]) & _SECONDARY_AFTER_HEAD):
            score += 15.0
    return round(score, 2), used


def _spelt_differently(marked: list[tuple[str, str]], name: str, name_folded: str) -> int:
    """How many words (or runs of words) typed with diacritics the name has only with other vowels.

    "công chứng" typed with marks should not rank "ra công chúng" (to the public) first, although
    both fold to "cong chung".
    """
    if not marked:
        return 0
    padded = f" {name_folded} "
    candidates = [(f, k) for f, k in marked if f" {f} " in padded]
    if not candidates:
        return 0
    skeleton = _name_skeleton(name)
    return sum(1 for _f, k in candidates if f" {k} " not in skeleton)


def _filter(qs, levels, domain_ids, agency_ids, online_service):
    if levels:
        cond = Q()
        for level in levels:
            fieldname = SearchDocument.LEVEL_FIELDS.get(level)
            if fieldname:
                cond |= Q(**{fieldname: True})
        qs = qs.filter(cond)
    if domain_ids:
        qs = qs.filter(domain_id__in=domain_ids)
    if agency_ids:
        qs = qs.filter(issuing_agency_id__in=agency_ids)
    if online_service:
        qs = qs.filter(online_service__in=online_service)
    return qs


def _hit(row: dict, score: float = 0.0) -> SearchHit:
    levels = [level for level, fieldname in SearchDocument.LEVEL_FIELDS.items() if row[fieldname]]
    return SearchHit(
        procedure_id=row["procedure_id"], code=row["code"], name=row["name"], status=row["status"],
        online_service=row["online_service"], domain_id=row["domain_id"],
        issuing_agency_id=row["issuing_agency_id"], levels=levels, score=score,
    )


def _empty_facets() -> dict[str, list[FacetValue]]:
    return {"level": [], "domain": [], "agency": [], "online_service": []}


def _facets_and_total(qs) -> tuple[dict[str, list[FacetValue]], int]:
    """Every facet count and the total from one grouped scan of the matching documents."""
    groups = list(qs.order_by().values(*_GROUP_FIELDS).annotate(n=Count("pk")))
    return _facets_from_groups(groups)


def _facets_from_rows(rows: list[tuple]) -> tuple[dict[str, list[FacetValue]], int]:
    """The same, from documents already fetched (tuples of `_PROBE_FIELDS`)."""
    counts = Counter(map(_GROUP_KEY, rows))
    return _facets_from_groups([{**dict(zip(_GROUP_FIELDS, key, strict=True)), "n": n} for key, n in counts.items()])


def _facets_from_groups(groups: list[dict]) -> tuple[dict[str, list[FacetValue]], int]:
    from motcua.catalog.models import Domain
    from motcua.units.models import Agency

    total = sum(g["n"] for g in groups)
    level_counts = {level: 0 for level in SearchDocument.LEVEL_FIELDS}
    domain_counts: dict[int, int] = {}
    agency_counts: dict[int, int] = {}
    service_counts: dict[str, int] = {}
    for g in groups:
        for level, fieldname in SearchDocument.LEVEL_FIELDS.items():
            if g[fieldname]:
                level_counts[level] += g["n"]
        if g["domain_id"]:
            domain_counts[g["domain_id"]] = domain_counts.get(g["domain_id"], 0) + g["n"]
        if g["issuing_agency_id"]:
            agency_counts[g["issuing_agency_id"]] = agency_counts.get(g["issuing_agency_id"], 0) + g["n"]
        service_counts[g["online_service"]] = service_counts.get(g["online_service"], 0) + g["n"]

    facets = _empty_facets()
    facets["level"] = [FacetValue(level, str(Level(level).label), n) for level, n in level_counts.items() if n]
    if domain_counts:
        names = dict(Domain.objects.filter(pk__in=domain_counts).order_by().values_list("pk", "name"))
        facets["domain"] = [
            FacetValue(str(pk), names.get(pk, ""), n)
            for pk, n in sorted(domain_counts.items(), key=lambda item: (-item[1], names.get(item[0], "")))
        ]
    if agency_counts:
        names = dict(Agency.objects.filter(pk__in=agency_counts).order_by().values_list("pk", "name"))
        facets["agency"] = [
            FacetValue(str(pk), names.get(pk, ""), n)
            for pk, n in sorted(agency_counts.items(), key=lambda item: (-item[1], names.get(item[0], "")))
        ]
    facets["online_service"] = [
        FacetValue(value, str(OnlineService(value).label), n)
        for value, n in sorted(service_counts.items(), key=lambda item: -item[1])
    ]
    return facets, total
