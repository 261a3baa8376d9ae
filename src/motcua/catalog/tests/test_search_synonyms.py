"""The synonym, abbreviation and question table (catalog/data/synonyms.csv) and its loader."""

import pytest

from motcua.catalog.models import SearchDocument
from motcua.catalog.synonyms import SynonymTableError, load_table, parse_rows


@pytest.fixture(scope="module")
def table():
    return load_table()


def test_the_table_has_the_required_entries(table):
    expansions = {" ".join(e.phrase): {" ".join(m) for m in e.means} for e in table.entries if e.kind != "question"}
    assert "giay phep lai xe" in expansions["bang lai"]
    assert "giay chung nhan quyen su dung dat" in expansions["so do"]
    assert expansions["bhxh"] == {"bao hiem xa hoi"}
    assert expansions["bao hiem xa hoi"] == {"bhxh"}  # abbreviations work both ways
    assert expansions["gtgt"] == {"gia tri gia tang"}
    assert "can cuoc" in expansions["cccd"]
    assert expansions["hkd"] == {"ho kinh doanh"}
    assert expansions["mst"] == {"ma so thue"}
    rows = {e.line for e in table.entries if e.kind in ("abbreviation", "synonym")}
    assert len(rows) >= 40


@pytest.mark.django_db
def test_every_entry_leads_to_words_the_catalogue_uses(table):
    """A meaning no procedure contains would only make queries fail: keep the table honest."""
    bodies = [f" {body} " for body in SearchDocument.objects.values_list("body_folded", flat=True)]
    useless = [
        f"line {e.line}: {' '.join(e.phrase)}"
        for e in table.entries
        if e.kind != "question"
        and not any(f" {' '.join(p)} " in body for p in (e.phrase, *e.means) for body in bodies)
    ]
    assert useless == []


def test_question_phrases_are_dropped_and_anchors_respected(table):
    def kinds(text):
        words = text.split()
        return [(" ".join(words[s.start:s.end]), s.entry.kind if s.entry else None) for s in table.segment(words)]

    assert ("can ho so gi", "question") in kinds("dang ki ket hon can ho so gi")
    assert ("lam", "question") in kinds("lam ho chieu")  # "^làm" at the start
    assert ("lam", None) in kinds("ho chieu lam")  # not elsewhere
    assert ("gi", None) in kinds("gi ho chieu")  # "gì$" only at the end


def test_diacritics_typed_keep_words_that_fold_alike_apart(table):
    words = ["lam", "nghiep"]
    assert table.segment(words, ["làm", "nghiệp"])[0].entry is not None  # "làm …" is a question word
    assert table.segment(words, ["lâm", "nghiệp"])[0].entry is None  # "lâm nghiệp" is forestry
    assert table.segment(words, ["lam", "nghiep"])[0].entry is not None  # without marks: the table decides


def test_a_synonym_does_not_apply_to_what_is_already_written_in_full(table):
    segments = table.segment(["thanh", "lap", "cong", "ti"])
    assert [s.entry for s in segments[:2]] == [None, None]


@pytest.mark.parametrize(("row", "message"), [
    ({"kind": "synonim", "phrase": "a", "means": "b"}, "cột kind"),
    ({"kind": "synonym", "phrase": "bằng lái", "means": ""}, "thiếu cột means"),
    ({"kind": "question", "phrase": "ở đâu", "means": "x"}, "không có cột means"),
    ({"kind": "synonym", "phrase": "?!", "means": "giấy phép"}, "cột phrase trống"),
])
def test_a_bad_row_is_rejected_with_its_line(row, message):
    with pytest.raises(SynonymTableError, match=f"dòng 2: .*{message}|dòng 2: {message}"):
        parse_rows([row])
