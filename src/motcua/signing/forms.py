from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    """The upload of the public verification page; the size and content checks are verify_pdf's."""

    file = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        error_messages={"required": _("Hãy chọn tệp PDF cần kiểm tra."),
                        "empty": _("Tệp rỗng (0 byte): hãy chọn tệp PDF kết quả cần kiểm tra."),
                        "invalid": _("Không nhận được tệp: hãy chọn lại tệp PDF.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
