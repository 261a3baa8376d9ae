"""The electronic receipt (biên lai thu phí, lệ phí) of a confirmed payment.

The number and what the receipt states are fixed in the IPN's transaction (services.py), so that a
receipt number exists the moment the payment is recorded; the PDF is laid out afterwards by the
worker (`payment.paid`), because rendering takes a tenth of a second or more and the gateway is
waiting for its answer.

This is motcua's proof of payment. A receipt that counts as a tax document under Decree
123/2020/NĐ-CP also needs the template (mẫu số, ký hiệu) registered with the tax authority and a
digital signature; docs/payments.md lists that as the next step.
"""

from datetime import date

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.dossiers.slips import place_name
from motcua.lib import pdf
from motcua.lib.pdf import clean_text
from motcua.payments.money import format_vnd

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUP_NAMES = ["", "nghìn", "triệu"]
TITLE = "Biên lai thu phí, lệ phí"


def _three_digits(number: int, *, leading: bool) -> list[str]:
    """One group of three digits; a group after another says its zero hundreds ("không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units:
        words.append(DIGITS[units])
    return words


def vnd_in_words(amount: int) -> str:
    """The amount in Vietnamese words, as a receipt writes it: 1_505_000 → "Một triệu năm trăm linh năm nghìn đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không đồng"
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            continue
        words += _three_digits(groups[index], leading=index == len(groups) - 1)
        # Above a billion the names compound: "nghìn tỷ", "triệu tỷ", "tỷ tỷ".
        name = " ".join(filter(None, [GROUP_NAMES[index % 3], *(["tỷ"] * (index // 3))]))
        if name:
            words.append(name)
    text = " ".join(words)
    return text[0].upper() + text[1:] + " đồng"


def receipt_data(payment, *, provider_label: str) -> dict:
    """What the receipt states, as JSON-ready strings, frozen when the payment is confirmed."""
    dossier = payment.dossier
    agency = dossier.receiving_agency
    applicant = dossier.applicant
    paid_at = timezone.localtime(payment.paid_at)
    return {
        "number": payment.receipt_number,
        "issuer": clean_text(agency.name),
        "superior": clean_text(agency.parent.name) if agency.parent_id else "",
        "place": place_name(agency),
        "payer": clean_text(applicant.full_name),
        "address": clean_text(applicant.address),
        "dossier_code": dossier.code,
        "procedure": clean_text(dossier.procedure_version.name),
        "procedure_code": dossier.procedure_version.procedure.code,
        "amount": payment.amount,
        "amount_text": format_vnd(payment.amount),
        "amount_words": vnd_in_words(payment.amount),
        "currency": payment.currency,
        "method": f"Thanh toán trực tuyến qua {provider_label}",
        "order_id": payment.order_id,
        "provider_txn_id": payment.provider_txn_id,
        "paid_at": paid_at.strftime("%H:%M ngày %d/%m/%Y"),
        "paid_date": paid_at.date().isoformat(),
    }


def render_receipt(data: dict) -> bytes:
    """The PDF of a receipt from its frozen data."""
    context = {
        "d": data,
        "header": pdf.document_header(
            issuer=data["issuer"], superior=data["superior"],
            place_date=pdf.place_date_line(data["place"], date.fromisoformat(data["paid_date"])),
        ),
        "title": pdf.document_title(TITLE, "(Biên lai điện tử)"),
        "signatures": pdf.signature_block(
            ("Người nộp tiền", "", data["payer"]),
            ("Đơn vị thu tiền", "(Đã xác nhận thanh toán điện tử)", data["issuer"]),
        ),
    }
    return pdf.render_pdf(render_to_string("payments/receipt.html", context))


def store_receipt(payment) -> bool:
    """Lay out and keep the PDF of a paid payment once; False when it was already there."""
    if payment.receipt_file or not payment.receipt_number:
        return False
    payment.receipt_file.save(f"{payment.receipt_number}.pdf", ContentFile(render_receipt(payment.receipt_data)),
                              save=False)
    payment.save(update_fields=["receipt_file"])
    return True
