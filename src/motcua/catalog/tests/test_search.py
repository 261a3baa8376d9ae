"""Procedure search as a citizen uses it, on the real catalogue, on SQLite and PostgreSQL alike.

Run twice: `pytest` (SQLite) and with DATABASE_URL=postgres://…/motcua_search (PostgreSQL).
"""

import pytest
from django.db import connection

from motcua.catalog.choices import Level, VersionStatus
from motcua.catalog.models import Procedure, SearchDocument
from motcua.catalog.records import ProcedureRecord
from motcua.catalog.search import SearchResults, search_procedures, vocabulary
from motcua.catalog.services import abolish, publish_record
from motcua.lib.text import fold

pytestmark = pytest.mark.django_db

KHAI_SINH = "1.001193"
KET_HON = "1.000894"
THUONG_TRU = "1.004222"
LY_LICH_TU_PHAP = {"3.000333", "3.000330"}
HO_KINH_DOANH = "1.001612"
BHXH_MOT_LAN = "1.001613"
GPLX_CAP_LAI = "3.000348"


def codes(query: str, n: int = 5, **kwargs) -> list[str]:
    return [hit.code for hit in search_procedures(query, limit=n, with_facets=False, **kwargs).hits]


def first(query: str, **kwargs) -> str:
    found = codes(query, 1, **kwargs)
    assert found, f"no result for {query!r}"
    return found[0]


def names(query: str, n: int = 5) -> list[str]:
    return [hit.name for hit in search_procedures(query, limit=n, with_facets=False).hits]


# --- How people type ----------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "đăng ký khai sinh", "dang ky khai sinh", "DANG KY KHAI SINH", "Đăng Kí Khai Sinh", "dang ki khai sinh",
    "  đăng   ký, khai sinh!  ",
])
def test_with_or_without_diacritics_in_any_case_the_birth_registration_comes_first(query):
    assert first(query) == KHAI_SINH


@pytest.mark.parametrize("query", ["đăng ký kết hôn", "dăng ký kết hôn", "ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"])
def test_d_and_dd_are_the_same_letter(query):
    assert first(query) == KET_HON


def test_the_whole_name_comes_before_longer_names_that_contain_it():
    hits = names("đăng ký khai sinh")
    assert hits[0] == "Thủ tục đăng ký khai sinh"
    # The variants (lưu động, có yếu tố nước ngoài…) follow.
    assert all("khai sinh" in fold(name) for name in hits)


def test_a_phrase_in_the_name_comes_before_the_same_words_scattered():
    hits = names("kết hôn", n=8)
    assert all("ket hon" in fold(name) for name in hits)


@pytest.mark.parametrize(("query", "expected", "corrected"), [
    ("giay phep xay dug", "giay phep xay dung", {"dug": "dung"}),
    ("dang ki khai sin", "dang ki khai sinh", {"sin": "sinh"}),
    ("dnag ky ket hon", "dang ki ket hon", {"dnag": "dang"}),
    ("khaisinh", "khai sinh", {"khaisinh": "khai sinh"}),
    ("dang ky thuong chu", "dang ki thuong tru", {"chu": "tru"}),  # ch/tr, as spoken in the north
])
def test_typos_are_corrected_and_the_correction_is_reported(query, expected, corrected):
    results = search_procedures(query, limit=3, with_facets=False)
    assert results.hits, query
    assert expected in fold(results.hits[0].name)
    assert results.corrections == corrected


def test_a_correct_query_reports_no_correction():
    assert search_procedures("đăng ký kết hôn", limit=3).corrections == {}


@pytest.mark.parametrize(("query", "expected_words"), [
    ("BHXH một lần", "bao hiem xa hoi mot lan"),
    ("cấp lại CCCD", "cap lai the can cuoc"),
    ("cấp lại GPLX", "cap lai giay phep lai xe"),
    ("hoàn thuế GTGT", "hoan thue gia tri gia tang"),
    ("đăng ký HKD", "ho kinh doanh"),
    ("khôi phục MST", "khoi phuc ma so thue"),
    ("LLTP", "li lich tu phap"),
])
def test_abbreviations(query, expected_words):
    assert expected_words in fold(names(query, 1)[0])


@pytest.mark.parametrize(("query", "expected_words"), [
    ("bằng lái xe", "giay phep lai xe"),
    ("sổ đỏ", "quyen su dung dat"),
    ("giấy chứng tử", "khai tu"),
    ("nhập hộ khẩu", "dang ki thuong tru"),
    ("mở công ty", "thanh lap cong ti"),
])
def test_everyday_words_find_the_official_names(query, expected_words):
    assert expected_words in fold(names(query, 1)[0])


def test_an_abbreviation_written_in_full_finds_names_that_abbreviate_it():
    # "Thủ tục … TNHH một thành viên" is written with the abbreviation in the catalogue.
    assert first("đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên") == "2.001583"


@pytest.mark.parametrize(("query", "expected"), [
    ("Thủ tục đăng ký kết hôn cần hồ sơ gì?", KET_HON),
    ("làm sao để đăng ký thường trú", THUONG_TRU),
    ("đăng ký khai sinh ở đâu", KHAI_SINH),
    ("cấp lại giấy phép lái xe như thế nào", GPLX_CAP_LAI),
    ("đăng ký tạm trú mất bao nhiêu tiền", "1.004194"),
    ("thành lập hộ kinh doanh bao lâu", HO_KINH_DOANH),
    ("cho tôi hỏi thủ tục đăng ký khai tử cần những giấy tờ gì", "1.000656"),
])
def test_questions_are_reduced_to_what_they_ask_about(query, expected):
    assert first(query) == expected


def test_question_words_alone_are_still_searched():
    # Nothing is left once "thủ tục" is taken out: search for it rather than browse everything.
    results = search_procedures("thủ tục", limit=1)
    assert 0 < results.total < SearchDocument.objects.count()


def test_diacritics_typed_tell_apart_words_that_fold_alike():
    # công chứng (notary) and công chúng (the public) both fold to "cong chung".
    hits = names("công chứng", n=5)
    assert all("công chứng" in name.lower() for name in hits)


def test_a_noise_word_relaxes_the_search_and_says_so():
    results = search_procedures("làm lại bằng lái bị mất", limit=5, with_facets=False)
    assert results.relaxed
    assert GPLX_CAP_LAI in [hit.code for hit in results.hits]


# --- Codes --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "1.001193", " 1.001193 ", "1,001193", "001193", "mã 1.001193", "thủ tục 1.001193", "1.001193.H26",
    "1.001193.h26",
])
def test_a_procedure_code_finds_its_procedure_first(query):
    results = search_procedures(query, limit=5)
    assert results.hits[0].code == KHAI_SINH
    assert results.hits[0].score > results.hits[-1].score or results.total == 1


def test_a_code_and_words_put_the_code_first_then_the_words():
    hits = codes("1.000894 khai sinh", n=5)
    assert hits[0] == KET_HON
    assert KHAI_SINH in hits


def test_an_unknown_code_finds_nothing_rather_than_everything():
    assert search_procedures("9.999999").total == 0


def test_words_no_procedure_has_find_nothing():
    results = search_procedures("xyzzy plugh")
    assert (results.total, results.hits, results.relaxed) == (0, [], False)
    assert all(values == [] for values in results.facets.values())


# --- Filters, facets, paging ---------------------------------------------------------------


def test_facet_counts_are_what_filtering_by_them_gives():
    query = "giấy phép"
    results = search_procedures(query, limit=0)
    assert results.total > 50
    for facet in results.facets["domain"][:3]:
        assert search_procedures(query, domain_ids=[int(facet.value)], limit=0).total == facet.count
    for facet in results.facets["agency"][:3]:
        assert search_procedures(query, agency_ids=[int(facet.value)], limit=0).total == facet.count
    for facet in results.facets["level"]:
        assert search_procedures(query, levels=[facet.value], limit=0).total == facet.count
    assert sum(f.count for f in results.facets["online_service"]) == results.total
    assert sum(f.count for f in results.facets["domain"]) <= results.total


def test_filters_narrow_the_results_and_the_facets_follow():
    everything = search_procedures("đăng ký")
    ministry = search_procedures("đăng ký", levels=[Level.MINISTRY])
    assert 0 < ministry.total < everything.total
    assert {f.value for f in ministry.facets["level"]} >= {Level.MINISTRY}
    assert [f.count for f in ministry.facets["level"] if f.value == Level.MINISTRY] == [ministry.total]
    for hit in ministry.hits:
        assert Level.MINISTRY in hit.levels


def test_facet_labels_are_names():
    results = search_procedures("hộ tịch")
    assert "Hộ tịch" in [f.label for f in results.facets["domain"]]
    assert all(f.label for f in results.facets["agency"])


def test_paging_goes_through_the_ranked_results_without_repeats():
    page1 = search_procedures("giấy phép", limit=10, offset=0)
    page2 = search_procedures("giấy phép", limit=10, offset=10)
    assert page1.total == page2.total
    first_codes = [h.code for h in page1.hits]
    assert not set(first_codes) & {h.code for h in page2.hits}
    assert codes("giấy phép", n=20) == first_codes + [h.code for h in page2.hits]


def test_limit_zero_still_counts():
    assert search_procedures("giấy phép", limit=0, with_facets=False).total == search_procedures("giấy phép").total


def test_an_empty_query_browses_everything_by_code():
    results = search_procedures("", limit=5)
    published = SearchDocument.objects.exclude(status=VersionStatus.ABOLISHED)
    assert results.total == published.count()
    assert [h.code for h in results.hits] == list(published.order_by("code").values_list("code", flat=True)[:5])
    assert sum(f.count for f in results.facets["online_service"]) == results.total


def test_abolished_procedures_are_left_out_unless_asked_for():
    procedure = Procedure.objects.get(code=KET_HON)
    abolish(procedure, decision_number="1/QĐ-TEST")
    assert KET_HON not in codes("đăng ký kết hôn", n=20)
    assert KET_HON not in codes(KET_HON)
    assert first("đăng ký kết hôn", include_abolished=True) == KET_HON
    everything = search_procedures("", limit=0, include_abolished=True).total
    assert search_procedures("", limit=0).total == everything - 1


# --- The index follows the catalogue -------------------------------------------------------


def test_a_newly_published_procedure_is_found_and_an_amendment_replaces_its_words():
    record = ProcedureRecord(
        code="9.000001", name="Thủ tục cấp giấy phép nuôi chim yến trong nhà", source="test",
        domain="Chăn nuôi", levels=[Level.PROVINCE],
    )
    publish_record(record)
    assert first("nuôi chim yến") == "9.000001"
    assert first("nuoi chim yen trong nha") == "9.000001"

    record.name = "Thủ tục cấp giấy phép khai thác tổ yến"
    publish_record(record)
    assert first("khai thác tổ yến") == "9.000001"
    # The old words are gone from the index: no procedure has them all any more.
    assert search_procedures("nuôi chim yến trong nhà", limit=5).relaxed


def test_the_index_is_in_place():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_searchdocument'")
            # A migration that rebuilds catalog_searchdocument on SQLite drops these triggers:
            # it must create them again (see docs/search.md, "Maintenance").
            assert {row[0] for row in cursor.fetchall()} >= {
                "catalog_searchdocument_fts_ai", "catalog_searchdocument_fts_ad", "catalog_searchdocument_fts_au",
            }
            cursor.execute("SELECT count(*) FROM catalog_searchdocument_fts")
        else:
            cursor.execute("SELECT count(*) FROM catalog_searchdocument WHERE search_body_tsv IS NOT NULL")
        assert cursor.fetchone()[0] == SearchDocument.objects.count()


# --- Robustness ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "", "   ", "?!…", '"', "'", "*", "-", "--", "NEAR(", "NEAR(khai sinh", '"khai sinh', "khai*", "AND", "OR NOT",
    "x' OR 1=1 --", "); DROP TABLE catalog_searchdocument; --", "{name_folded}: khai", "^khai", "khai:sinh",
    "%", "_", "\\", "\x00", "khai\x00sinh", "🙂 khai sinh", "\u200b", "a" * 5000, "khai sinh " * 300,
    "1.", "1.0011", "99999999999999999999", "(((((", "<script>alert(1)</script>",
])
def test_odd_input_never_fails(query):
    results = search_procedures(query, limit=5)
    assert isinstance(results, SearchResults)
    assert results.total >= 0
    assert len(results.hits) <= 5


def test_bad_paging_values_are_clamped():
    assert search_procedures("khai sinh", limit=-3, offset=-7).hits == []
    assert search_procedures("khai sinh", limit=5, offset=10_000).hits == []


def test_one_search_takes_a_fixed_number_of_queries(django_assert_num_queries):
    vocabulary()  # built once per process; not part of a search
    # The matching documents, narrow (counted, faceted and ordered coarsely from this one read),
    # the best of them in full, the domain and agency labels.
    with django_assert_num_queries(4):
        results = search_procedures("đăng ký khai sinh", limit=20)
    assert results.total > 5
    with django_assert_num_queries(2):
        search_procedures("đăng ký khai sinh", limit=20, with_facets=False)
    # Hundreds of documents: the same.
    with django_assert_num_queries(4):
        results = search_procedures("giấy phép", limit=20)
    assert results.total > 400
    # Most of the catalogue ("bộ" is in nearly every ministry's name): the read stops early; the
    # database counts and groups them (+ 2 labels), then hands over the best candidates.
    with django_assert_num_queries(5):
        results = search_procedures("bộ", limit=20)
    assert results.total > 2000
