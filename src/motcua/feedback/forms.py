"""Forms of the PAKN pages. They only parse; the rules and their messages are in services.py."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import VersionAgency
from motcua.feedback.choices import Category, Kind
from motcua.units.choices import AgencyLevel
from motcua.units.models import Agency


def _text(label, *, max_length, required=False, help_text="", autocomplete="", input_type="text"):
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    widget = forms.TextInput(attrs=attrs)
    widget.input_type = input_type
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=widget, error_messages={
                               "max_length": _("Dài quá %(limit_value)d ký tự."),
                               "required": _("Trường này không được để trống.")})


def agency_choices(procedure=None):
    """Ministries and provinces, plus the agencies the procedure names (the one that handles it first)."""
    named = []
    if procedure is not None and procedure.current_version_id:
        named = list(VersionAgency.objects.filter(version_id=procedure.current_version_id, agency__isnull=False)
                     .values_list("agency_id", flat=True))
    return Agency.objects.filter(
        Q(level__in=[AgencyLevel.MINISTRY, AgencyLevel.PROVINCE], valid_to__isnull=True) | Q(pk__in=named)
    ).order_by("name"), named


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Bạn muốn gửi"), choices=Kind.choices, widget=forms.RadioSelect,
                             initial=Kind.REPORT, required=False)
    category = forms.ChoiceField(label=_("Nội dung liên quan đến"), choices=Category.choices,
                                 widget=forms.RadioSelect, required=False)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan nhận phản ánh, kiến nghị"), queryset=Agency.objects.none(), required=False,
        empty_label=_("— Chọn cơ quan —"),
        error_messages={"invalid_choice": _("Cơ quan đã chọn không có trong danh sách; hãy chọn lại.")})
    dossier_code = _text(_("Mã hồ sơ liên quan (nếu phản ánh về việc tiếp nhận, giải quyết một hồ sơ)"),
                         max_length=60)
    title = _text(_("Tiêu đề"), max_length=250, required=False)
    content = forms.CharField(
        label=_("Nội dung"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Vui lòng gõ tiếng Việt có dấu. Ý kiến của bạn sẽ được biên tập trước khi đăng."),
        error_messages={"max_length": _("Nội dung dài quá 10.000 ký tự.")})
    confirm_no_diacritics = forms.BooleanField(
        label=_("Tôi đã xem lại và vẫn muốn gửi nội dung này"), required=False)
    submitter_name = _text(_("Họ và tên"), max_length=100, autocomplete="name")
    submitter_email = _text(_("Thư điện tử"), max_length=254, autocomplete="email", input_type="email",
                            help_text=_("Nhập thư điện tử hoặc số điện thoại để nhận trả lời."))
    submitter_phone = _text(_("Số điện thoại"), max_length=15, autocomplete="tel", input_type="tel")
    submitter_address = _text(_("Địa chỉ"), max_length=250, autocomplete="street-address")
    submitter_id_number = _text(_("Số định danh cá nhân (không bắt buộc)"), max_length=12)
    consent_publish = forms.BooleanField(
        label=_("Đồng ý công khai câu hỏi và trả lời (thông tin cá nhân được ẩn)"), required=False, initial=True)

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        queryset, named = agency_choices(procedure)
        self.fields["agency"].queryset = queryset
        if named and not self.is_bound:
            self.initial.setdefault("agency", named[0])


class LookupForm(forms.Form):
    code = _text(_("Mã phản ánh, kiến nghị"), max_length=30, required=True)
    contact = _text(_("Thư điện tử hoặc số điện thoại đã dùng khi gửi"), max_length=254, required=True)


class SupplementForm(forms.Form):
    content = forms.CharField(label=_("Thông tin bổ sung"), max_length=10000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))


class FollowUpForm(forms.Form):
    content = forms.CharField(label=_("Ý kiến của bạn về kết quả xử lý"), max_length=10000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    disagrees_with_result = forms.BooleanField(label=_("Tôi không đồng ý với kết quả xử lý"), required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm trong các trả lời đã công khai"), max_length=200, required=False)


class ActionForm(forms.Form):
    """One action of the official's case page; the fields shown depend on the action."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    agency = forms.CharField(
        label=_("Cơ quan nhận chuyển (mã định danh hoặc tên viết tắt trên hệ thống)"), required=False, max_length=120)
    answer = forms.CharField(label=_("Nội dung trả lời"), required=False, max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 8}))
    published_title = forms.CharField(label=_("Tiêu đề công khai"), required=False, max_length=250)
    published_content = forms.CharField(label=_("Nội dung công khai"), required=False, max_length=10000,
                                        widget=forms.Textarea(attrs={"rows": 6}))
    published_answer = forms.CharField(label=_("Trả lời công khai"), required=False, max_length=20000,
                                       widget=forms.Textarea(attrs={"rows": 8}))

    FIELDS = {
        "accept": (), "refuse": ("reason",), "request_supplement": ("reason",), "forward": ("agency", "reason"),
        "answer": ("answer",), "publish": ("published_title", "published_content", "published_answer"),
    }
    LABELS = {"reason": {"request_supplement": _("Thông tin người gửi cần bổ sung")}}

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        super().__init__(*args, **kwargs)
        self.action = action
        shown = self.FIELDS.get(action, ())
        for name in list(self.fields):
            if name not in shown and name != "expected_version":
                del self.fields[name]
        for name, by_action in self.LABELS.items():
            if name in self.fields and action in by_action:
                self.fields[name].label = by_action[action]
