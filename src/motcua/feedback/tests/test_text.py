"""The diacritics detector and the redaction of personal data (pure functions)."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.feedback.text import HIDDEN, check_diacritics, looks_without_diacritics, redact
from motcua.lib.text import strip_marks

WITH_MARKS = [
    "Tôi nộp hồ sơ đăng ký khai sinh cho con từ tuần trước nhưng đến nay vẫn chưa nhận được kết quả.",
    "Cán bộ tiếp nhận yêu cầu tôi nộp thêm giấy tờ không có trong danh mục thủ tục đã công bố.",
    "Đề nghị cho phép nộp bản sao điện tử thay cho bản sao chứng thực khi làm thủ tục cấp giấy phép xây dựng.",
    "Thời gian giải quyết thủ tục cấp đổi giấy phép lái xe quá dài so với quy định.",
    "Xin hỏi UBND phường Ba Đình có nhận hồ sơ vào sáng thứ Bảy không?",
]
WITHOUT_MARKS = [
    "Toi nop ho so dang ky khai sinh cho con tu tuan truoc nhung den nay van chua nhan duoc ket qua.",
    "Can bo tiep nhan yeu cau toi nop them giay to khong co trong danh muc thu tuc da cong bo.",
    "De nghi cho phep nop ban sao dien tu thay cho ban sao chung thuc khi lam thu tuc cap giay phep xay dung.",
    "thoi gian giai quyet thu tuc cap doi giay phep lai xe qua dai so voi quy dinh",
]
NOT_VIETNAMESE_OR_SHORT = [
    "The online payment page returns an error when I submit the form for my business licence.",
    "ok",
    "Mã hồ sơ 000.00.12.H26-260424-0001",
    "Xin cam on",  # too short to judge
]


def test_real_sentences_with_diacritics_pass():
    for text in WITH_MARKS:
        assert not looks_without_diacritics(text), text


def test_real_sentences_without_diacritics_are_flagged():
    for text in WITHOUT_MARKS:
        assert looks_without_diacritics(text), (text, check_diacritics(text))
    for text in WITH_MARKS:
        assert looks_without_diacritics(strip_marks(text)), text


def test_english_codes_and_short_text_are_not_flagged():
    for text in NOT_VIETNAMESE_OR_SHORT:
        assert not looks_without_diacritics(text), text


VIETNAMESE_MARKS = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]


@st.composite
def text_and_marked(draw):
    """A text, and the same text with diacritics added on some of its letters."""
    base = draw(st.one_of(
        st.sampled_from(WITHOUT_MARKS + WITH_MARKS + NOT_VIETNAMESE_OR_SHORT),
        st.text(alphabet=st.sampled_from("abcdeghiklmnopqrstuvxy ,.0123456789đĐ"), max_size=200),
        st.text(max_size=80),
    ))
    chars = list(base)
    letters = [i for i, c in enumerate(chars) if c.isalpha() and c.isascii()]
    chosen = draw(st.lists(st.sampled_from(letters), unique=True)) if letters else []
    for i in chosen:
        mark = draw(st.sampled_from(VIETNAMESE_MARKS))
        chars[i] = unicodedata.normalize("NFC", chars[i] + mark)
    return base, "".join(chars)


@settings(max_examples=400, deadline=None)
@given(text_and_marked())
def test_adding_diacritics_never_makes_a_text_look_unmarked(pair):
    base, marked = pair
    if looks_without_diacritics(marked):
        assert looks_without_diacritics(base)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_detector_never_fails(text):
    check = check_diacritics(text)
    assert 0 <= check.marked <= check.words and 0 <= check.common_unmarked <= check.words


def test_redaction_hides_contacts_ids_name_and_address():
    text = ("Tôi là Nguyễn Văn An, ở số 12 ngõ 34 phố Huế, điện thoại 0912 345 678, email an.nguyen@example.vn, "
            "CCCD 001088012345. Ông nguyen van an đã gọi +84912345678.")
    out = redact(text, names=["Nguyễn Văn An"], phrases=["số 12 ngõ 34 phố Huế"])
    for leaked in ("Nguyễn Văn An", "nguyen van an", "0912 345 678", "an.nguyen@example.vn", "001088012345",
                   "+84912345678", "ngõ 34"):
        assert leaked not in out
    assert out.count(HIDDEN) == 7
    assert "Tôi là" in out and "đã gọi" in out


def test_redaction_keeps_other_text_and_whole_words_only():
    out = redact("Anh An Giang trả lời về thủ tục 1.001193, năm 2026", names=["An"])
    # A two-letter name is not hidden on its own (it would hide "An Giang" and half the text).
    assert out == "Anh An Giang trả lời về thủ tục 1.001193, năm 2026"
    assert redact("Bà Lê Thị Hoa hỏi", names=["Lê Thị Hoa"]) == f"Bà {HIDDEN} hỏi"
    assert redact("Bà Lê Thị Hoàng hỏi", names=["Lê Thị Hoa"]) == "Bà Lê Thị Hoàng hỏi"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100), st.from_regex(r"0[35789]\d{8}", fullmatch=True), st.text(max_size=100))
def test_any_phone_number_is_hidden(before, phone, after):
    out = redact(f"{before} {phone} {after}")
    assert phone not in out
