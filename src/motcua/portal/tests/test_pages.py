"""The public pages as a visitor sees them, on the real catalogue (2,849 procedures)."""

import re
from datetime import date
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from motcua.catalog.choices import VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion, SearchDocument
from motcua.catalog.search import search_procedures
from motcua.catalog.selectors import catalogue_figures
from motcua.catalog.services import abolish
from motcua.portal.tests.conftest import KHAI_SINH

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


BLOCK_TAGS = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|tr|td|th|table|caption|thead|tbody|tfoot|h[1-6]|br|section|"
    r"header|footer|nav|main|article|form|label|button|summary|details|title|head)\b[^>]*>"
)


def text(response) -> str:
    """The page's visible text, as a reader would see it: tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", "", BLOCK_TAGS.sub(" ", html))  # inline tags (a, strong, span) join their text
    return re.sub(r"\s+", " ", unescape(html)).strip()


def vn(number: int) -> str:
    """A count as the Vietnamese pages print it (2.849)."""
    return f"{number:,}".replace(",", ".")


def found_count(response) -> int:
    match = re.search(r"Tìm thấy ([\d.]+) thủ tục", text(response))
    assert match, text(response)[:500]
    return int(match.group(1).replace(".", ""))


def facet_link(response, param: str, value: str) -> tuple[str, int]:
    """The href of the facet link that filters on param=value, and the count printed beside it."""
    html = response.content.decode()
    pattern = (
        r'<a href="([^"]*(?:\?|&amp;)' + re.escape(f"{param}={value}") + r'(?:&amp;[^"]*)?)"[^>]*>'
        r'(?:(?!</a>).)*</a>\s*<span class="count">([\d.]+)</span>'
    )
    match = re.search(pattern, html)
    assert match, f"no facet link for {param}={value}"
    return unescape(match.group(1)), int(match.group(2).replace(".", ""))


# --- Layout and home ------------------------------------------------------------------------------


def test_home_shows_search_box_figures_and_browse_links(client, django_assert_num_queries):
    with django_assert_num_queries(4):  # figures, levels, domains, agencies: one aggregate each
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html  # skip link to the main landmark
    assert '<label for="q">Tìm thủ tục hành chính</label>' in html
    assert 'hx-get="/thu-tuc/"' in html and "delay:300ms" in html  # live search, debounced
    assert 'action="/thu-tuc/" method="get"' in html  # works without JavaScript
    assert "/static/portal/vendor/htmx.min.js" in html
    page = text(response)
    assert "Cổng dịch vụ công — motcua" in page
    figures = catalogue_figures()
    assert figures.procedures == 2849
    assert f"Thủ tục hành chính {vn(figures.procedures)}" in page
    assert f"{vn(figures.online)} dịch vụ công trực tuyến trên {vn(figures.procedures)} thủ tục" in page
    assert 'href="/cap/xa/"' in html
    assert 'href="/linh-vuc/ho-tich/"' in html or 'href="/linh-vuc/"' in html
    assert f'href="/co-quan/{_justice().slug}/"' in html


# --- Search ---------------------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_procedure(client):
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert 'href="/thu-tuc/1.001193/">Thủ tục đăng ký khai sinh</a>' in response.content.decode()
    assert found_count(response) == search_procedures("dang ky khai sinh", with_facets=False).total >= 1
    page = text(response)
    assert "Cấp Xã" in page and "Hộ tịch" in page
    assert "Cách thức" not in page  # a results page, not the procedure page


def test_search_with_diacritics_finds_the_same_procedure(client):
    response = client.get("/thu-tuc/", {"q": "Đăng ký khai sinh"})
    assert 'href="/thu-tuc/1.001193/"' in response.content.decode()


def test_search_by_code_finds_the_procedure(client):
    response = client.get("/thu-tuc/", {"q": KHAI_SINH})
    assert 'href="/thu-tuc/1.001193/"' in response.content.decode()


def test_facet_filter_narrows_the_count_and_combines_with_the_query(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh"})
    total = found_count(response)
    url, count = facet_link(response, "cap", "tinh")
    assert "q=khai+sinh" in url
    assert 0 < count < total
    filtered = client.get(url)
    assert filtered.status_code == 200
    assert found_count(filtered) == count
    page = text(filtered)
    assert "Cấp thực hiện: Cấp Tỉnh" in page  # the filter in force, with a link to remove it
    # The level group now shows only the level chosen: its count is the only exact one.
    assert "cap=xa" not in filtered.content.decode()


def test_two_facets_combine(client):
    khai_sinh = Procedure.objects.get(code=KHAI_SINH).current_version
    response = client.get("/thu-tuc/", {"q": "khai sinh", "cap": "xa"})
    url, count = facet_link(response, "linh_vuc", str(khai_sinh.domain_id))
    assert "cap=xa" in url and "q=khai+sinh" in url
    narrowed = client.get(url)
    assert found_count(narrowed) == count
    expected = search_procedures("khai sinh", levels=["commune"], domain_ids=[khai_sinh.domain_id], with_facets=False)
    assert count == expected.total


def test_search_paginates_twenty_per_page(client):
    response = client.get("/thu-tuc/", {"q": "cap"})
    total = found_count(response)
    assert total > 20
    assert text(response).count("Mã thủ tục:") == 20
    assert 'rel="next"' in response.content.decode()
    second = client.get("/thu-tuc/", {"q": "cap", "trang": 2})
    assert second.status_code == 200
    assert "hiển thị 21–" in text(second)
    assert 'rel="prev"' in second.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client):
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}, **HTMX, HTTP_HX_TARGET="ket-qua")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<header" not in html and "<footer" not in html
    assert 'href="/thu-tuc/1.001193/">Thủ tục đăng ký khai sinh</a>' in html
    assert 'hx-swap-oob="innerHTML"' in html  # the live count outside the fragment is updated
    assert "HX-Request" in response["Vary"]


def test_htmx_suggestions_on_the_home_page_are_a_short_list(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, **HTMX, HTTP_HX_TARGET="goi-y")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert text(response).count("Mã thủ tục:") <= 6
    assert "Xem tất cả" in text(response)
    assert 'href="/thu-tuc/?q=khai+sinh"' in html


def test_history_restore_request_gets_the_whole_page(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_no_results_explains_and_suggests(client):
    response = client.get("/thu-tuc/", {"q": "qwxzqwxz"})
    assert response.status_code == 200
    page = text(response)
    assert "Không tìm thấy thủ tục nào khớp với “qwxzqwxz”" in page
    assert "gõ không dấu" in page and "1.001193" in page
    assert 'href="/linh-vuc/"' in response.content.decode()


def test_no_results_under_filters_offers_the_unfiltered_count(client):
    hai_quan = SearchDocument.objects.filter(domain__name="Hải quan").values_list("domain_id", flat=True).first()
    response = client.get("/thu-tuc/", {"q": KHAI_SINH, "linh_vuc": hai_quan})
    page = text(response)
    assert "Không tìm thấy thủ tục nào khớp với “1.001193”" in page
    assert "Bỏ các bộ lọc để xem 1 thủ tục khớp với “1.001193”" in page
    assert "Lĩnh vực: Hải quan" in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"trang": "abc"}, "Trang", "số trang phải là một số nguyên dương"),
        ({"trang": "0"}, "Trang", "số trang phải là một số nguyên dương"),
        ({"cap": "quan"}, "Cấp thực hiện", "“quan” không phải là giá trị hợp lệ"),
        ({"dvc": "muc-4"}, "Dịch vụ công trực tuyến", "“muc-4” không phải là giá trị hợp lệ"),
        ({"linh_vuc": "ho-tich"}, "Lĩnh vực", "“ho-tich” không phải là mã số hợp lệ"),
        ({"q": "a" * 201}, "Từ khóa", "tối đa 200 ký tự"),
    ],
)
def test_bad_parameters_get_a_clear_message_naming_the_field(client, params, field, message):
    response = client.get("/thu-tuc/", params)
    assert response.status_code == 400
    page = text(response)
    assert f"{field}: {message}" in page
    assert "Bắt đầu lại tìm kiếm" in page


def test_bad_parameters_in_a_live_search_come_back_as_a_fragment(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh", "trang": "x"}, **HTMX, HTTP_HX_TARGET="ket-qua")
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert "Trang: số trang phải là một số nguyên dương" in text(response)


def test_a_page_past_the_end_says_so(client):
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh", "trang": 999})
    assert response.status_code == 404
    assert "Không có trang 999: kết quả chỉ có 1 trang." in text(response)
    assert "Về trang đầu" in text(response)


def test_search_query_count_does_not_grow_with_the_number_of_hits(client):
    """Twenty hits cost the page no more queries than a few: their sectors and agencies come in bulk.

    Only the queries the page adds are counted: the search itself reloads its vocabulary now and
    then, so its own query count is its business (catalog/search.py).
    """
    total = search_procedures("cap", with_facets=False).total
    last_page = -(-total // 20)
    for params, hits in (({"q": "cap"}, 20), ({"q": "cap", "trang": last_page}, total - 20 * (last_page - 1))):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/thu-tuc/", params)
        assert text(response).count("Mã thủ tục:") == hits
        sqls = [query["sql"] for query in queries.captured_queries]
        assert sum('"catalog_domain"."slug"' in sql and '"catalog_domain"."id" IN' in sql for sql in sqls) == 1
        assert sum('"units_agency"."organ_code"' in sql and '"units_agency"."id" IN' in sql for sql in sqls) == 1


# --- Procedure page -------------------------------------------------------------------------------


def test_procedure_page_shows_every_part(client):
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    assert "<h1>Thủ tục đăng ký khai sinh</h1>" in html
    assert "Mã thủ tục: 1.001193" in page
    assert "Đang công khai" in page
    assert "Cấp Xã" in page and 'href="/linh-vuc/ho-tich/"' in html
    assert "Đối tượng thực hiện Công dân Việt Nam" in page
    assert "Cơ quan ban hành Bộ Tư pháp" in page
    assert "Quyết định công bố 163/QĐ-BTP" in page
    # Channels table: the columns of the national portal, one row per channel.
    for heading in ("Hình thức nộp", "Thời hạn giải quyết", "Phí, lệ phí", "Mô tả"):
        assert f'<th scope="col">{heading}</th>' in html
    for channel in ("Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính"):
        assert re.search(rf'<th scope="row"[^>]*>{channel}</th>', html)
    assert "Miễn phí" in page
    # Dossier components, grouped by case, with originals and copies.
    assert "<h3>Giấy tờ phải nộp</h3>" in html
    assert "Giấy chứng sinh; trường hợp không có Giấy chứng sinh" in page
    assert "Bản chính" in page and "Bản sao" in page
    # Results, legal basis, version history.
    assert "Giấy khai sinh (mã KQ.G15.000031)" in page
    assert "123/2015/NĐ-CP" in page and "15/11/2015" in page and "Chính phủ" in page
    assert "Lịch sử phiên bản" in page and "Phiên bản 1 (hiện hành)" in page
    assert 'href="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/' in html  # the published source


def test_steps_are_shown(client):
    page = text(client.get("/thu-tuc/1.001193/"))
    assert "Trình tự thực hiện" in page
    assert "Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh quốc gia" in page


def test_a_part_the_parser_could_not_read_is_shown_as_the_raw_text(client, amended_khai_sinh):
    response = client.get("/thu-tuc/1.001193/")
    html = response.content.decode()
    page = text(response)
    assert "Nguyên văn từ nguồn dữ liệu" in page
    section = html[html.index('id="thanh-phan-ho-so"'):html.index('id="yeu-cau-dieu-kien"')]
    assert 'class="raw"' in section and "<table" not in section
    assert "Giấy chứng sinh" in section
    assert "Phiên bản 2 (hiện hành)" in page
    assert 'href="/thu-tuc/1.001193/phien-ban/1/"' in html


def test_an_older_version_is_readable_at_its_own_address(client, amended_khai_sinh):
    response = client.get("/thu-tuc/1.001193/phien-ban/1/")
    assert response.status_code == 200
    page = text(response)
    assert "Bạn đang xem phiên bản 1, không phải phiên bản hiện hành." in page
    assert "Đã được sửa đổi, thay thế từ ngày 01/07/2025" in page
    assert "Xem phiên bản hiện hành" in page
    # Version 1 still has its parsed dossier table.
    assert "<h3>Giấy tờ phải nộp</h3>" in response.content.decode()


def test_an_abolished_procedure_shows_the_date(client):
    procedure = Procedure.objects.get(code=KHAI_SINH)
    abolish(procedure, decision_number="TEST-BAI-BO/QĐ-BTP", effective_on=date(2025, 7, 1))
    page = text(client.get("/thu-tuc/1.001193/"))
    assert "Bãi bỏ từ ngày 01/07/2025" in page
    assert procedure.current_version.status == VersionStatus.ABOLISHED
    assert 'href="/thu-tuc/1.001193/"' not in client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()


def test_unknown_code_is_a_vietnamese_404(client):
    response = client.get("/thu-tuc/9.999999/")
    assert response.status_code == 404
    assert '<html lang="vi">' in response.content.decode()
    page = text(response)
    assert "Không tìm thấy thủ tục có mã “9.999999”." in page
    assert "Tìm thủ tục hành chính" in page


def test_unknown_version_is_a_404(client):
    response = client.get("/thu-tuc/1.001193/phien-ban/9/")
    assert response.status_code == 404
    assert "Thủ tục “1.001193” không có phiên bản 9." in text(response)


def test_an_unknown_address_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)


def test_procedure_page_query_count_is_constant(client):
    """A procedure with many parts costs the same queries as one with the same kinds of parts, but few.

    (Django skips a prefetch whose parents are all empty, so the two are picked with the same
    kinds of parts present: channels with fees, components, legal bases.)
    """
    big = _current_versions().get(procedure__code=KHAI_SINH)
    small = (
        _current_versions().filter(n_components__gte=1, n_legal__gte=1, n_fees__gte=1)
        .exclude(pk=big.pk).order_by("n_components", "n_legal", "procedure__code").first()
    )
    assert small.n_components < big.n_components and small.n_legal < big.n_legal
    with CaptureQueriesContext(connection) as big_queries:
        assert client.get(f"/thu-tuc/{KHAI_SINH}/").status_code == 200
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(f"/thu-tuc/{small.procedure.code}/").status_code == 200
    assert len(big_queries) == len(small_queries) <= 12


def _current_versions():
    return ProcedureVersion.objects.filter(pk=F("procedure__current_version")).annotate(
        n_components=Count("components", distinct=True),
        n_legal=Count("legal_bases", distinct=True),
        n_fees=Count("channels__fees", distinct=True),
    ).select_related("procedure")


# --- Browse ---------------------------------------------------------------------------------------


def _justice():
    """Bộ Tư pháp, the agency that publishes 1.001193 (its slug carries its organ code when known)."""
    return SearchDocument.objects.select_related("issuing_agency").get(code=KHAI_SINH).issuing_agency


def _live(**filters) -> int:
    return SearchDocument.objects.exclude(status=VersionStatus.ABOLISHED).filter(**filters).count()


def test_domain_list_and_domain_page(client):
    response = client.get("/linh-vuc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'href="/linh-vuc/ho-tich/">Hộ tịch</a> <span class="count">' + str(_live(domain__slug="ho-tich")), html)
    domain_page = client.get("/linh-vuc/ho-tich/")
    assert domain_page.status_code == 200
    page = text(domain_page)
    assert "Lĩnh vực Hộ tịch" in page
    assert f"{vn(_live(domain__slug='ho-tich'))} thủ tục" in page
    first = search_procedures("", domain_ids=[SearchDocument.objects.filter(domain__slug="ho-tich").first().domain_id], limit=1)
    assert first.hits[0].name in page


def test_agency_list_and_agency_page(client):
    justice = _justice()
    response = client.get("/co-quan/")
    assert response.status_code == 200
    assert f'href="/co-quan/{justice.slug}/">Bộ Tư pháp</a>' in response.content.decode()
    agency_page = client.get(f"/co-quan/{justice.slug}/")
    assert agency_page.status_code == 200
    assert f"{vn(_live(issuing_agency=justice))} thủ tục" in text(agency_page)


def test_level_page(client):
    response = client.get("/cap/xa/")
    assert response.status_code == 200
    page = text(response)
    assert "Cấp Xã" in page
    assert f"{vn(_live(level_commune=True))} thủ tục" in page


@pytest.mark.parametrize("url", ["/cap/quan/", "/linh-vuc/khong-co/", "/co-quan/khong-co/"])
def test_unknown_browse_pages_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Không có" in text(response)


def test_browse_bad_page_parameter(client):
    response = client.get("/cap/xa/", {"trang": "hai"})
    assert response.status_code == 400
    assert "Trang: số trang phải là một số nguyên dương" in text(response)


# --- Statistics -----------------------------------------------------------------------------------


def test_statistics_page(client, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = client.get("/thong-ke/")
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    figures = catalogue_figures()
    assert f"{vn(figures.online)} dịch vụ công trực tuyến trên {vn(figures.procedures)} thủ tục" in page
    assert "<caption>" in html and '<th scope="col"' in html  # accessible tables
    assert f"Cấp Xã {vn(_live(level_commune=True))}" in page
    assert f"Hộ tịch {vn(_live(domain__slug='ho-tich'))}" in page
    assert f"Bộ Tư pháp {vn(_live(issuing_agency=_justice()))}" in page
    assert 'class="bar"' in html and 'aria-hidden="true"' in html


# --- English ----------------------------------------------------------------------------------------


def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/1.001193/"})
    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/1.001193/"
    page = client.get("/thu-tuc/1.001193/")
    html = page.content.decode()
    assert '<html lang="en">' in html
    english = text(page)
    assert "Procedure code: 1.001193" in english
    assert "Steps" in english and "Dossier components" in english and "Legal basis" in english
    assert "Submission channel" in english and "Processing time" in english
    assert "Version history" in english
    assert "Tiếng Việt" in english  # the way back


def test_english_home_and_search(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = text(client.get("/"))
    assert "Search administrative procedures" in home
    assert "Public Service Portal — motcua" in home
    results = text(client.get("/thu-tuc/", {"q": "dang ky khai sinh"}))
    assert re.search(r"Found [\d,]+ procedures for “dang ky khai sinh”", results)
    bad = client.get("/thu-tuc/", {"trang": "abc"})
    assert "Page: the page number must be a positive whole number." in text(bad)
