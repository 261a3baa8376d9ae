"""PAKN text checks per submission, against `lib.text.fold` (what every search index already pays).

    .venv/bin/python bench/feedback_bench.py [--texts 2000] [--repeat 5]

- diacritics check (`feedback.text.check_diacritics`) on --texts PAKN-sized texts (~1,200
  characters, half typed with diacritics, half without); baseline: `fold()` of the same texts.
- redaction (`feedback.text.redact` with a name, an address and contacts) of the same texts.
Pure functions: no database. Run on one core of the shared 2-core machine.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

SENTENCES = [
    "Tôi nộp hồ sơ đăng ký khai sinh cho con từ tuần trước nhưng đến nay vẫn chưa nhận được kết quả.",
    "Cán bộ tiếp nhận yêu cầu tôi nộp thêm giấy tờ không có trong danh mục thủ tục đã công bố.",
    "Đề nghị cho phép nộp bản sao điện tử thay cho bản sao chứng thực khi làm thủ tục cấp giấy phép xây dựng.",
    "Thời gian giải quyết thủ tục cấp đổi giấy phép lái xe quá dài so với quy định.",
    "Tôi là Nguyễn Văn An, số điện thoại 0912 345 678, thư điện tử an.nguyen@example.vn, CCCD 001088012345.",
]


def best(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from motcua.feedback.text import check_diacritics, redact
    from motcua.lib.text import fold, strip_marks

    rng = random.Random(1)
    texts = []
    for i in range(args.texts):
        text = " ".join(rng.choice(SENTENCES) for _ in range(12))
        texts.append(strip_marks(text) if i % 2 else text)
    chars = sum(len(t) for t in texts)

    def run(fn):
        return lambda: [fn(t) for t in texts]

    rows = [
        ("fold (baseline)", *best(run(fold), args.repeat)),
        ("check_diacritics", *best(run(check_diacritics), args.repeat)),
        ("redact (name, address, contacts)", *best(run(lambda t: redact(
            t, names=["Nguyễn Văn An"], phrases=["Số 12 ngõ 34 phố Huế", "an.nguyen@example.vn", "0912345678"])),
            args.repeat)),
    ]
    base = rows[0][1]
    print(f"{args.texts:,} texts, {chars / args.texts:,.0f} characters on average; best / median of {args.repeat}")
    print(f"{'operation':36} {'best ms':>9} {'median ms':>10} {'µs/text':>8} {'× fold':>7}")
    for name, low, mid in rows:
        print(f"{name:36} {low * 1000:9.1f} {mid * 1000:10.1f} {low / args.texts * 1e6:8.1f} {low / base:7.1f}")


if __name__ == "__main__":
    main()
