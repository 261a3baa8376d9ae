"""Forms: each field is named after its criterion, so every error says which one is missing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.satisfaction.choices import LIKERT, Level, SipasContent
from motcua.satisfaction.services import criterion_field, question_name

NOT_APPLICABLE = "na"


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60,
                           error_messages={"required": _("Mã hồ sơ: không được để trống.")})
    phone = forms.CharField(label=_("Số điện thoại đã khai khi nộp hồ sơ"), max_length=20,
                            error_messages={"required": _("Số điện thoại: không được để trống.")},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại đã khai khi nộp hồ sơ"), max_length=20,
                            error_messages={"required": _("Số điện thoại: không được để trống.")},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class RatingForm(forms.Form):
    """The overall level and one radio group per criterion in force."""

    level = forms.ChoiceField(label=_("Mức độ hài lòng chung của ông/bà"), choices=Level.choices,
                              widget=forms.RadioSelect,
                              error_messages={"required": _("Mức độ hài lòng chung: hãy chọn một trong ba mức."),
                                              "invalid_choice": _("Mức độ hài lòng chung: lựa chọn không hợp lệ.")})

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.from_overall_level]
        overall = next((c for c in criteria if c.from_overall_level), None)
        if overall is not None:
            self.fields["level"].label = f"{overall.number}. {overall.question}"
        for c in self.criteria:
            choices = [("2", c.choice_2), ("1", c.choice_1), ("0", c.choice_0)]
            if c.optional:
                choices.append((NOT_APPLICABLE, _("Không áp dụng với hồ sơ của tôi")))
            name = _("Tiêu chí %(number)d “%(title)s”") % {"number": c.number, "title": c.title}
            self.fields[criterion_field(c.number)] = forms.ChoiceField(
                label=f"{c.number}. {c.question}", choices=choices, widget=forms.RadioSelect,
                error_messages={"required": _("%(name)s: hãy chọn một mức.") % {"name": name},
                                "invalid_choice": _("%(name)s: lựa chọn không hợp lệ.") % {"name": name}},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Ý kiến khác (không bắt buộc)"), required=False, max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": _("Ý kiến khác: tối đa 1.000 ký tự.")})

    def criterion_fields(self):
        return [self[criterion_field(c.number)] for c in self.criteria]

    def answers(self) -> dict[int, int | None]:
        out = {}
        for c in self.criteria:
            raw = self.cleaned_data.get(criterion_field(c.number))
            out[c.number] = None if raw in (None, "", NOT_APPLICABLE) else int(raw)
        return out


def sipas_field(code: str) -> str:
    return "q_" + code.replace(".", "_")


class SipasForm(forms.Form):
    """The questionnaire: satisfaction questions on the 5-point scale (required), the others optional."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = question_name(q)
            if q.content == SipasContent.SATISFACTION:
                choices, required = [(str(v), label) for v, label in LIKERT], True
            else:
                choices, required = [(str(i), label) for i, label in enumerate(q.choices)], False
            self.fields[sipas_field(q.code)] = forms.ChoiceField(
                label=f"{q.code}. {q.text}", choices=choices, widget=forms.RadioSelect, required=required,
                error_messages={"required": _("%(name)s: hãy chọn một mức.") % {"name": name},
                                "invalid_choice": _("%(name)s: lựa chọn không hợp lệ.") % {"name": name}},
            )

    def answers(self) -> dict[str, int | None]:
        out = {}
        for q in self.questions:
            raw = self.cleaned_data.get(sipas_field(q.code))
            out[q.code] = int(raw) if raw not in (None, "") else None
        return out

    def by_element(self):
        groups: dict[int, dict] = {}
        for q in self.questions:
            group = groups.setdefault(q.element.number, {"element": q.element, "contents": {}})
            group["contents"].setdefault(q.content, []).append(self[sipas_field(q.code)])
        labels = dict(SipasContent.choices)
        return [{"element": g["element"],
                 "contents": [(labels[c], g["contents"][c]) for c in SipasContent.values if c in g["contents"]]}
                for g in groups.values()]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt khảo sát"), max_length=200,
                           error_messages={"required": _("Tên đợt khảo sát: không được để trống.")})
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"),
                                 error_messages={"required": _("Tỉnh, thành phố: hãy chọn một tỉnh."),
                                                 "invalid_choice": _("Tỉnh, thành phố: lựa chọn không hợp lệ.")})
    period_start = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": _("Từ ngày: hãy nhập ngày."),
                                                   "invalid": _("Từ ngày: ngày không hợp lệ.")})
    period_end = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"required": _("Đến ngày: hãy nhập ngày."),
                                                 "invalid": _("Đến ngày: ngày không hợp lệ.")})
    sample_size = forms.IntegerField(label=_("Cỡ mẫu (số phiếu)"), min_value=1, max_value=100000,
                                     error_messages={"required": _("Cỡ mẫu: không được để trống."),
                                                     "invalid": _("Cỡ mẫu: phải là số nguyên."),
                                                     "min_value": _("Cỡ mẫu: phải là số nguyên dương."),
                                                     "max_value": _("Cỡ mẫu: tối đa 100.000 phiếu.")})
    minimum_per_stratum = forms.IntegerField(
        label=_("Số phiếu tối thiểu mỗi nhóm (cấp × hình thức nộp)"), min_value=0, initial=5,
        error_messages={"required": _("Số phiếu tối thiểu mỗi nhóm: không được để trống."),
                        "invalid": _("Số phiếu tối thiểu mỗi nhóm: phải là số nguyên."),
                        "min_value": _("Số phiếu tối thiểu mỗi nhóm: không được âm.")})
    seed = forms.CharField(label=_("Hạt giống ngẫu nhiên (để trống: tự sinh)"), max_length=64, required=False,
                           help_text=_("Cùng hạt giống và cùng tổng thể cho ra cùng một mẫu: để kiểm tra lại."))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—")] + [(p.code, p.name) for p in provinces]
