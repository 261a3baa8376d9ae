"""How long signing and verifying a result take, against rendering the unsigned result in the same run.

    .venv/bin/python bench/signing.py [--repeat 50]

Runs on a throw-away SQLite database and PKI folder in a temporary directory (migrations, the
bundled units and agencies, the development CA and a certificate for UBND Xã An Thạnh), so it
touches nothing of the checkout's data. Timed, each `--repeat` times after one warm-up:

- the baseline: the result document rendered to an unsigned PDF (template + WeasyPrint), the
  fixed cost a signed result pays anyway;
- signing it (`sign_pdf_bytes`: PAdES B-B, visible box with the embedded Noto Sans subset), with
  the agency key already decrypted in the process, and the first signature of a process, which
  also decrypts the key file (600 000 PBKDF2 rounds); and, for comparison, signing with the whole
  Noto Sans given to pyHanko instead of the font cut down to the box's characters, and with
  pyHanko's SimpleSigner, which parses the key again at each raw signature;
- `verify_pdf` on the signed result, on a copy with one byte changed, on a PDF signed by an unknown
  CA, and on an unsigned PDF (each includes the indexed lookup of the file's hash among issued results).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
COMMUNE = "000.21.31.H53"


def measure(run, repeat: int) -> tuple[list[float], object]:
    result = run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-pct * len(ordered) // 100) - 1)]  # nearest-rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="motcua-bench-signing-")
    os.environ.update({"DJANGO_SETTINGS_MODULE": "motcua.settings", "MOTCUA_DATA_DIR": workdir,
                       "MOTCUA_PKI_DIR": str(Path(workdir) / "pki")})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.utils import timezone

    from motcua.lib import pdf
    from motcua.signing import pki, services, verification
    from motcua.signing.tests.helpers import flip, foreign_signer, sign_with
    from motcua.units.loading import load_agencies, load_units
    from motcua.units.models import Agency

    call_command("migrate", verbosity=0)
    load_units()
    load_agencies()
    agency = Agency.objects.select_related("parent").get(organ_code=COMMUNE)
    pki.ensure_dev_pki(agencies=[agency])
    row = pki.current_certificate(agency)

    at = timezone.now()
    data = {
        "agency": {"name": agency.name, "organ_code": COMMUNE, "superior": agency.parent.name},
        "place_date": pdf.place_date_line("An Thạnh", timezone.localdate()),
        "code": f"{COMMUNE}-261126-0001", "procedure": "Thủ tục đăng ký khai sinh", "procedure_code": "1.001193",
        "applicant": {"name": "Nguyễn Thị Hồng Nhung", "address": "Ấp Thạnh Hiệp, xã An Thạnh"},
        "received_at": "26/11/2026 08:30",
        "summary": ["Đăng ký khai sinh cho trẻ Nguyễn Minh Khôi, sinh ngày 02/11/2026 tại Tây Ninh.",
                    "Cấp bản chính Giấy khai sinh và 01 bản sao trích lục."],
        "verify_url": "http://127.0.0.1:8000/xac-thuc/", "development": True,
    }
    context = {"d": data, "title": pdf.document_title(services.RESULT_TITLE),
               "header": pdf.document_header(issuer=agency.name, superior=agency.parent.name,
                                             place_date=data["place_date"])}

    def render():
        return pdf.render_pdf(render_to_string("signing/result.html", context))

    unsigned = render()

    def sign():
        return services.sign_pdf_bytes(unsigned, row, signer_name="Phạm Minh Lãnh", at=at)

    def sign_cold():
        pki._KEY_CACHE.clear()
        return sign()

    def sign_full_font():
        # What signing cost before the stamp font was cut down (services._stamp_font_bytes).
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

        cut, services._stamp_font = services._stamp_font, GlyphAccumulatorFactory(str(services.STAMP_FONT))
        try:
            return sign()
        finally:
            services._stamp_font = cut

    signed = sign()
    changed = flip(signed, signed.index(b"WeasyPrint"))
    foreign = sign_with(foreign_signer(), unsigned)

    def sign_reparsing_key():
        # What pyHanko's SimpleSigner does: parse (and, for RSA, check) the key at each raw signature.
        from pyhanko.sign.signers import SimpleSigner

        loaded = services._LoadedKeySigner.sign_raw
        services._LoadedKeySigner.sign_raw = SimpleSigner.sign_raw
        try:
            return sign()
        finally:
            services._LoadedKeySigner.sign_raw = loaded

    cases = [
        ("Dựng kết quả, PDF chưa ký (mốc so sánh)", render),
        ("Ký số (khóa đã giải mã trong tiến trình)", sign),
        ("Ký số lần đầu của tiến trình (giải mã tệp khóa)", sign_cold),
        ("Ký số với cả phông Noto Sans (không cắt trước)", sign_full_font),
        ("Ký số, khóa đọc lại mỗi lần ký (SimpleSigner của pyHanko)", sign_reparsing_key),
        ("Xác thực: kết quả hợp lệ", lambda: verification.verify_pdf(signed)),
        ("Xác thực: tệp bị sửa 1 byte", lambda: verification.verify_pdf(changed)),
        ("Xác thực: chữ ký của CA lạ", lambda: verification.verify_pdf(foreign)),
        ("Xác thực: PDF không có chữ ký", lambda: verification.verify_pdf(unsigned)),
    ]
    rows = []
    for label, run in cases:
        times, result = measure(run, args.repeat)
        verdict = getattr(result, "verdict", "—")
        rows.append((label, verdict, statistics.median(times), percentile(times, 95)))
    baseline = rows[0][2]
    print(f"{args.repeat} lần mỗi thao tác, sau một lần khởi động; p95 theo hạng gần nhất; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} nhân; khóa {pki.conf.key_type()}; "
          f"PDF {len(unsigned) // 1024} KB chưa ký, {len(signed) // 1024} KB đã ký\n")
    print("| thao tác | kết luận | p50 (ms) | p95 (ms) | so với dựng PDF (p50) |")
    print("|---|---|---:|---:|---:|")
    for label, verdict, p50, p95 in rows:
        print(f"| {label} | {verdict} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | ×{p50 / baseline:.2f} |")


if __name__ == "__main__":
    main()
