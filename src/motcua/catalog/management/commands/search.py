"""`motcua search`: the portal's procedure search from the command line, for people and scripts.

    motcua search "đăng ký khai sinh"                 # a readable list
    motcua search "dang ky khai sinh" --json --limit 5
    motcua search --batch --json --limit 10 < queries.txt   # one JSON array per input line
    motcua search "bằng lái bị mất" --explain          # how the query was understood
    motcua search --optimize                           # after a bulk import: compact the index
"""

import argparse
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.models import Domain
from motcua.catalog.search import optimize_index, parse_query, search_procedures, vocabulary

MAX_LIMIT = 100


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--limit phải là một số nguyên, không phải {value!r}") from None
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"--limit phải từ 1 đến {MAX_LIMIT}, không phải {number}")
    return number


class Command(BaseCommand):
    help = "Tìm thủ tục hành chính như trên cổng: có dấu hay không dấu, viết tắt, lỗi gõ, câu hỏi, mã thủ tục."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", help="câu tìm kiếm (bỏ trống khi dùng --batch)")
        parser.add_argument("--limit", type=_limit, default=10, help=f"số kết quả, 1–{MAX_LIMIT} (mặc định 10)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="in JSON: mảng các {code, name, score, level, domain, …}")
        parser.add_argument("--batch", action="store_true",
                            help="đọc mỗi dòng của stdin là một câu tìm kiếm, in mỗi kết quả trên một dòng")
        parser.add_argument("--include-abolished", action="store_true", help="gồm cả thủ tục đã bãi bỏ")
        parser.add_argument("--explain", action="store_true", help="in cách câu tìm kiếm được hiểu")
        parser.add_argument("--optimize", action="store_true",
                            help="gộp và thống kê lại chỉ mục tìm kiếm (sau khi nhập nhiều thủ tục)")

    def handle(self, *args, query=None, limit=10, as_json=False, batch=False, include_abolished=False,
               explain=False, optimize=False, **options):
        if optimize:
            if query is not None or batch:
                raise CommandError("--optimize không đi kèm câu tìm kiếm hay --batch.")
            optimize_index()
            self.stdout.write("Đã tối ưu chỉ mục tìm kiếm.")
            return
        if batch and query is not None:
            raise CommandError("Dùng --batch thì không ghi câu tìm kiếm trên dòng lệnh: các câu đọc từ stdin.")
        if not batch and query is None:
            raise CommandError('Thiếu câu tìm kiếm: motcua search "đăng ký khai sinh" (hoặc --batch để đọc stdin).')
        if explain:
            if batch:
                raise CommandError("--explain chỉ dùng cho một câu tìm kiếm, không dùng với --batch.")
            index = vocabulary()
            understood = parse_query(
                query, speller=index.speller, bigrams=index.bigrams, text_bigrams=index.text_bigrams
            ).explain()
            self.stdout.write(_dumps(understood, indent=2))
            return
        queries = (line.rstrip("\r\n") for line in sys.stdin) if batch else [query]
        for text in queries:
            # A blank line in a batch gives an empty list, so output lines stay aligned with input lines.
            hits = self._search(text, limit, include_abolished) if text.strip() or not batch else []
            if as_json:
                self.stdout.write(_dumps(hits))
            else:
                self._print(text, hits)

    def _search(self, text: str, limit: int, include_abolished: bool) -> list[dict]:
        results = search_procedures(text, limit=limit, with_facets=False, include_abolished=include_abolished)
        domain_names = dict(
            Domain.objects.filter(pk__in={h.domain_id for h in results.hits if h.domain_id}).values_list("pk", "name")
        )
        return [
            {
                "code": hit.code,
                "name": hit.name,
                "score": hit.score,
                "level": hit.levels,
                "domain": domain_names.get(hit.domain_id, ""),
                "status": hit.status,
                "online_service": hit.online_service,
            }
            for hit in results.hits
        ]

    def _print(self, text: str, hits: list[dict]) -> None:
        if not hits:
            self.stdout.write(f"Không tìm thấy thủ tục nào cho «{text}».")
            return
        for hit in hits:
            self.stdout.write(f"{hit['code']:<14} {hit['score']:>8.2f}  {hit['name']}")


def _dumps(value, indent=None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)
