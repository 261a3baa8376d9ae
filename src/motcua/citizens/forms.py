"""Forms of the account pages. They only parse what was typed (text, a date); what a value must be is
decided by citizens.services, whose field errors the views put back on these forms, so the same
rules hold for the pages and for any other caller.

Fields are not `required` here for the same reason: a missing value gets the service's message,
which names the field ("Hãy nhập số điện thoại."), instead of Django's generic one.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from motcua.citizens import services
from motcua.citizens.choices import ProfileKind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


def apply_errors(form: forms.Form, errors: dict[str, str], aliases: dict[str, str] | None = None) -> None:
    """Put each service error on the field it names; an error for no field goes on top of the form."""
    for key, message in errors.items():
        name = (aliases or {}).get(key, key)
        form.add_error(name if name in form.fields else None, message)


def _text(label, *, autocomplete: str = "", maxlength: int = 200, input_type: str = "text", help_text="",
          inputmode: str = "", required: bool = False) -> forms.CharField:
    attrs = {"maxlength": str(maxlength), "autocomplete": autocomplete or "off"}
    if inputmode:
        attrs["inputmode"] = inputmode
    if required:
        attrs["aria-required"] = "true"
    widget = forms.TextInput(attrs=attrs)
    widget.input_type = input_type
    return forms.CharField(label=label, required=False, strip=True, help_text=help_text, widget=widget)


class ProfileFields(forms.Form):
    """The fields of the profile, shared by the registration and the profile pages."""

    full_name = _text(_("Họ và tên"), autocomplete="name", maxlength=100, required=True,
                      help_text=_("Viết có dấu, như trên thẻ căn cước. Với tổ chức: người đại diện hoặc người liên hệ."))
    phone = _text(_("Số điện thoại"), autocomplete="tel", maxlength=20, input_type="tel", inputmode="tel",
                  required=True, help_text=_("Ví dụ 0912 345 678 hoặc +84 912 345 678."))
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày sinh không đúng; nhập theo dạng ngày/tháng/năm, ví dụ 25/08/1990.")},
    )
    id_number = _text(_("Số định danh cá nhân (số CCCD)"), maxlength=20, inputmode="numeric",
                      help_text=_("12 chữ số in trên thẻ căn cước hoặc căn cước công dân."))
    address_line = _text(_("Số nhà, đường, thôn/tổ dân phố"), autocomplete="address-line1", maxlength=200)
    province = forms.CharField(label=_("Tỉnh/thành phố"), required=False)
    unit = forms.CharField(label=_("Xã/phường/đặc khu"), required=False)
    organisation_name = _text(_("Tên tổ chức, doanh nghiệp"), autocomplete="organization", maxlength=200,
                              required=True)
    tax_code = _text(_("Mã số thuế"), maxlength=20, inputmode="numeric", required=True,
                     help_text=_("10 chữ số; chi nhánh: 10 chữ số, dấu gạch ngang và 3 chữ số."))

    def profile_values(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in services.PROFILE_FIELDS}

    def clean(self):
        cleaned = super().clean()
        # Without JavaScript the commune list appears only once a province is chosen and sent:
        # a province with no commune asks for the commune rather than silently keeping no address.
        if cleaned.get("province") and not cleaned.get("unit"):
            self.add_error("unit", _("Hãy chọn xã/phường/đặc khu trong tỉnh đã chọn, hoặc bỏ chọn tỉnh."))
        return cleaned


class RegistrationForm(ProfileFields):
    kind = forms.ChoiceField(label=_("Đăng ký cho"), choices=ProfileKind.choices, initial=ProfileKind.PERSON,
                             widget=forms.RadioSelect,
                             error_messages={"invalid_choice": _("Hãy chọn đăng ký cho cá nhân hay cho tổ chức.")})
    email = _text(_("Địa chỉ e-mail"), autocomplete="email", maxlength=254, input_type="email", inputmode="email",
                  required=True, help_text=_("Dùng để đăng nhập và nhận thông báo về hồ sơ."))
    password = forms.CharField(
        label=_("Mật khẩu"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "aria-required": "true"}),
        help_text=_("Ít nhất 8 ký tự, không toàn chữ số, không quá phổ biến và không giống e-mail hay họ tên."),
    )
    password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "aria-required": "true"}),
    )

    field_order = ["kind", "full_name", "email", "phone", "password", "password_confirm", "organisation_name",
                   "tax_code", "date_of_birth", "id_number", "address_line", "province", "unit"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("Mật khẩu nhập lại không khớp với ô Mật khẩu."))
        return cleaned


class ProfileForm(ProfileFields):
    pass


class LoginForm(forms.Form):
    email = _text(_("Địa chỉ e-mail"), autocomplete="username", maxlength=254, input_type="email",
                  inputmode="email", required=True)
    password = forms.CharField(label=_("Mật khẩu"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "aria-required": "true"}))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email"):
            self.add_error("email", _("Hãy nhập địa chỉ e-mail."))
        if not cleaned.get("password"):
            self.add_error("password", _("Hãy nhập mật khẩu."))
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, for citizens' accounts only, with the e-mail sent by the worker (outbox)."""

    email = forms.EmailField(
        label=_("Địa chỉ e-mail của tài khoản"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Hãy nhập địa chỉ e-mail."),
                        "invalid": _("Địa chỉ e-mail không đúng, ví dụ đúng: ten@example.vn.")},
    )

    def get_users(self, email):
        user = services.citizen_by_email(email)
        # Unlike Django's form, an account without a usable password (created by an external login,
        # or whose unproven password was revoked) may set one: the link proves the address.
        if user is not None and user.is_active and user.email:
            yield user

    def save(self, *args, request=None, **kwargs):
        language = getattr(request, "LANGUAGE_CODE", "vi")
        for user in self.get_users(self.cleaned_data["email"]):
            services.request_password_reset(user, language)
