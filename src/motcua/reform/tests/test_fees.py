"""Reading the catalogue's fee cells, some of them in thousands of đồng."""

from hypothesis import given
from hypothesis import strategies as st

from motcua.reform.selectors import read_fee


def test_amount_in_thousands_confirmed_by_the_note():
    amount, warning = read_fee(20, "20 VNĐ (20.000 vnđ /tờ khai)")
    assert amount == 20_000
    assert "nghìn đồng" in warning


def test_amount_in_thousands_without_confirmation_asks_for_it():
    amount, warning = read_fee(50, "50 VNĐ ((áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày 01/7/2025…)")
    assert amount == 50_000
    assert "hãy xác nhận" in warning


def test_usd_amount_is_not_read_as_dong():
    amount, warning = read_fee(155, "155 VNĐ (Thẻ tạm trú có thời hạn từ trên 02 năm đến 05 năm: 155 USD/thẻ.)")
    assert amount is None
    assert "USD" in warning


def test_ordinary_amounts_are_kept():
    assert read_fee(20_000, "20,000 Việt Nam Đồng") == (20_000, "")
    assert read_fee(0, "Miễn phí") == (0, "")


def test_no_amount():
    amount, warning = read_fee(None, "Phí :  Đồng (Theo quy định)")
    assert amount is None and warning


@given(st.one_of(st.none(), st.integers(min_value=0, max_value=10**10)), st.text(max_size=200))
def test_never_raises_and_never_negative(amount, text):
    value, warning = read_fee(amount, text)
    assert value is None or value >= 0
    assert isinstance(warning, str)
