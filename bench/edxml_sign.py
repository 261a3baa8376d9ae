"""How fast edXML packages are built+signed and verified+parsed, against plain lxml in the same run.

    .venv/bin/python bench/edxml_sign.py [--repeat 200] [--attachment-kb 50]

No database: `motcua.exchange.edxml` is a pure library. One package (header with Vietnamese text,
two recipients, one attachment of random bytes, default 50 KB) is timed, each `--repeat` times after
a warm-up:

- baseline: `lxml.etree.fromstring` + `etree.tostring` of the same signed bytes (what any XML
  handling costs at least);
- `edxml.to_element` + serialize without a signature (building alone);
- `edxml.build_package` (build, exclusive c14n, SHA-256 digest, RSA-2048 signature), with the key
  already loaded in the process and, for comparison, loading it again (what every call paid before
  the key cache: cryptography checks an RSA key when it loads it);
- `edxml.parse_package` (hardened parse, validation, strict base64; no signature check);
- `edxml.verify_package` (hardened parse, signature shape checks, signxml verification pinned to
  the registered certificate, then the package read from the signed content);
- `edxml.verify_package` with two registered certificates, the right one second (key rollover; the
  embedded certificate makes it tried first).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def measure(run, repeat: int) -> list[float]:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-pct * len(ordered) // 100) - 1)]  # nearest-rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--attachment-kb", type=int, default=50)
    args = parser.parse_args()

    from lxml import etree

    from motcua.exchange import edxml, xmlsig
    from motcua.exchange.tests.fixtures.pki import make_cert

    key, cert = make_cert("Sở Tài chính tỉnh Tây Ninh", "000.00.11.H53")
    _other_key, other_cert = make_cert("Cơ quan khác", "000.00.01.A53")
    package = edxml.Package(
        edxml.Header(
            sender=edxml.Organ("000.00.11.H53", "Sở Tài chính", "UBND tỉnh Tây Ninh"),
            recipients=(edxml.Organ("000.00.01.A53", "Văn phòng Tỉnh ủy"), edxml.Organ("000.00.00.G22", "VPCP")),
            document_id="000.00.11.H53,2026/11/26,2491/STC-BCTC", code_number="2491", code_notation="STC-BCTC",
            promulgation_place="Tây Ninh", promulgation_date=date(2026, 11, 26), document_type="Công văn",
            subject="Về việc báo cáo quyết toán ngân sách địa phương năm 2026", signer_name="Nguyễn Văn Đức",
            signer_position="Giám đốc"),
        (edxml.Attachment("bao-cao.pdf", "application/pdf", os.urandom(args.attachment_kb * 1024)),))
    signed = edxml.build_package(package, key_pem=key, cert_pem=cert)
    assert edxml.verify_package(signed, trusted_cert_pems=[cert]) == package

    cases = [
        ("baseline: lxml parse + serialize", lambda: etree.tostring(etree.fromstring(signed))),
        ("build, unsigned (to_element + serialize)", lambda: etree.tostring(edxml.to_element(package))),
        ("build_package (build + sign)", lambda: edxml.build_package(package, key_pem=key, cert_pem=cert)),
        ("build_package, key not yet loaded", lambda: (
            xmlsig._private_key.cache_clear(), edxml.build_package(package, key_pem=key, cert_pem=cert))),
        ("parse_package (no signature check)", lambda: edxml.parse_package(signed)),
        ("verify_package (verify + parse signed)", lambda: edxml.verify_package(signed, trusted_cert_pems=[cert])),
        ("verify_package, 2 registered certs", lambda: edxml.verify_package(
            signed, trusted_cert_pems=[other_cert, cert])),
    ]
    print(f"package {len(signed):,} bytes (attachment {args.attachment_kb} KB), repeat {args.repeat}, "
          f"Python {sys.version.split()[0]}")
    print(f"{'operation':<44} {'median ms':>10} {'p95 ms':>8} {'per s':>8} {'× baseline':>11}")
    base = None
    for name, run in cases:
        times = measure(run, args.repeat)
        median = statistics.median(times)
        base = base or median
        print(f"{name:<44} {median * 1000:>10.2f} {percentile(times, 95) * 1000:>8.2f} {1 / median:>8.0f} "
              f"{median / base:>10.1f}×")


if __name__ == "__main__":
    main()
