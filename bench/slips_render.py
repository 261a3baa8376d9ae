"""How long each standard slip takes to render, against a one-line page rendered in the same run.

    .venv/bin/python bench/slips_render.py [--repeat 20] [--samples docs/slips]

What is timed is `render_data()` / `render_register_data()` (template + WeasyPrint + fonts) on the
data the slip tests saved beside the sample PDFs: data real services produced (reception at the
counter, then transitions), kept with MOTCUA_SLIP_SAMPLES=docs/slips (docs/slips.md). Gathering the
data is a handful of indexed queries and is not timed; no database is needed here.

The baseline is `render_pdf()` on a one-line page with the same stylesheet and fonts, so the table
shows what a slip's own layout costs on top of WeasyPrint's fixed cost; a second line shows the
one-off cost of loading the fonts, paid by the first document of each thread. A "register of a month"
row repeats the sample register's lines to 300, the order of a busy commune's month.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def measure(render, repeat: int) -> tuple[list[float], bytes]:
    content = render()  # warm-up: template loading, font parsing caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        content = render()
        times.append(time.perf_counter() - start)
    return times, content


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]  # nearest-rank


def pages(content: bytes) -> int:
    """Page count as poppler's pdfinfo reads it (poppler-utils, as for the tests)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--samples", type=Path, default=REPO / "docs" / "slips")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.dossiers import slips
    from motcua.lib import pdf

    samples = sorted(args.samples.glob("mau-0*.json"))
    if not samples:
        raise SystemExit(f"Không có dữ liệu mẫu trong {args.samples}: chạy các test phiếu với MOTCUA_SLIP_SAMPLES "
                         f"(xem docs/slips.md)")
    one_line = '<html lang="vi"><body><p>Một cửa.</p></body></html>'

    def first_in_thread():
        pdf._local = threading.local()  # what the first document of a new worker thread pays: loading the fonts
        return pdf.render_pdf(one_line)

    cases = [("Trang một dòng (mốc so sánh)", "—", lambda: pdf.render_pdf(one_line)),
             ("Trang một dòng, lần đầu của một luồng (nạp phông chữ)", "—", first_in_thread)]
    for path in samples:
        data = json.loads(path.read_text(encoding="utf-8"))
        kind = data.pop("kind")
        label = f"Mẫu số {data['form']['number']} – {data['form']['title']}"
        if kind == "register":
            cases.append((f"{label} ({len(data['rows'])} dòng)", kind, lambda d=data: slips.render_register_data(d)))
            month = dict(data, rows=[dict(row, stt=i + 1) for i, row in
                                     enumerate((data["rows"] * 300)[:300])])
            cases.append((f"{label} (300 dòng, một tháng)", kind, lambda d=month: slips.render_register_data(d)))
        else:
            cases.append((label, kind, lambda k=kind, d=data: slips.render_data(k, d)))

    results = []
    for label, kind, render in cases:
        times, content = measure(render, args.repeat)
        results.append((label, kind, pages(content), statistics.mean(times), p95(times)))
    baseline = results[0][3]
    print(f"{args.repeat} lần mỗi loại, sau một lần chạy khởi động; p95 theo hạng gần nhất; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} nhân\n")
    print("| phiếu | loại | trang | trung bình (ms) | p95 (ms) | so với trang một dòng |")
    print("|---|---|---:|---:|---:|---:|")
    for label, kind, page_count, mean, high in results:
        print(f"| {label} | {kind} | {page_count} | {mean * 1000:.0f} | {high * 1000:.0f} | ×{mean / baseline:.1f} |")


if __name__ == "__main__":
    main()
