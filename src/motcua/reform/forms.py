"""Forms of the reform pages: they parse what an official typed; the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import ChannelKind
from motcua.reform.choices import OnlineMove
from motcua.reform.services import FIELD_LABELS

# Inputs are text fields: services parse them and name the field in their errors.
INPUT_NAMES = list(FIELD_LABELS)


class WorksheetForm(forms.Form):
    """The Art. 27 inputs, pre-filled with the derived values, each with a note for a change."""

    def __init__(self, *args, derived=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in INPUT_NAMES:
            self.fields[name] = forms.CharField(label=_(FIELD_LABELS[name]), required=False,
                                                initial=getattr(derived, name, ""))
            self.fields[f"{name}_note"] = forms.CharField(label=_("Lý do thay đổi"), required=False, max_length=500)

    def rows(self):
        return [(self[name], self[f"{name}_note"]) for name in INPUT_NAMES]

    def overrides(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        return ({n: data.get(n, "") for n in INPUT_NAMES}, {n: data.get(f"{n}_note", "") for n in INPUT_NAMES})


class AssessmentForm(WorksheetForm):
    code = forms.CharField(label=_("Mã thủ tục"), max_length=40)
    channel = forms.ChoiceField(label=_("Cách thức thực hiện"), choices=ChannelKind.choices)


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Tên phương án"), max_length=300,
                           error_messages={"required": _("Tên phương án không được để trống.")})
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100,
                              error_messages={"required": _("Hãy nhập năm của phương án."),
                                              "invalid": _("Năm phải là một số."),
                                              "min_value": _("Năm phải từ 2000 đến 2100."),
                                              "max_value": _("Năm phải từ 2000 đến 2100.")})
    legal_source = forms.CharField(label=_("Văn bản phê duyệt"), max_length=300, required=False)


class PlanItemForm(WorksheetForm):
    code = forms.CharField(label=_("Mã thủ tục"), max_length=40,
                           error_messages={"required": _("Hãy nhập mã thủ tục.")})
    removed_components = forms.MultipleChoiceField(label=_("Cắt giảm thành phần hồ sơ"), required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    new_fee = forms.IntegerField(label=_("Mức phí, lệ phí mới (đồng)"), required=False, min_value=0,
                                 error_messages={"invalid": _("Mức phí, lệ phí mới phải là số nguyên (đồng)."),
                                                 "min_value": _("Mức phí, lệ phí mới không được âm.")})
    time_limit_cut_percent = forms.DecimalField(
        label=_("Cắt giảm thời hạn giải quyết (%)"), required=False, min_value=0, max_value=100, decimal_places=2,
        error_messages={"invalid": _("Tỷ lệ cắt giảm thời hạn phải là một số."),
                        # Django formats these with %(limit_value)s: the percent sign is doubled.
                        "min_value": _("Tỷ lệ cắt giảm thời hạn phải từ 0 đến 100%%."),
                        "max_value": _("Tỷ lệ cắt giảm thời hạn phải từ 0 đến 100%%.")})
    online = forms.ChoiceField(label=_("Chuyển trực tuyến"), choices=OnlineMove.choices, required=False)
    description = forms.CharField(label=_("Nội dung đơn giản hóa"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["removed_components"].choices = [(str(c.pk), c.name[:160]) for c in components]
