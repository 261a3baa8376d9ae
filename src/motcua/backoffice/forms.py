"""Forms of the back office: they parse what an official typed; the rules are in dossiers.services.

A form checks only what it must to build the service's arguments (a date is a date, a count is a
number). Everything else (a 12-digit identity number, a phone number, at least one paper, a
reason for a refusal) is checked by the service, whose `InvalidInputError.errors` are put back
next to the fields with `apply_service_errors`.
"""

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.choices import ApplicantKind, Channel, Status
from motcua.dossiers.services import ComponentInput

# Queue tabs as they appear in the address bar, and the selector's names for them.
QUEUE_SLUGS = {
    "cua-toi": "mine",
    "co-quan": "agency",
    "sap-den-han": "due_soon",
    "qua-han": "late",
    "tat-ca": "all",
}
QUEUE_LABELS = {
    "mine": gettext_lazy("Của tôi"),
    "agency": gettext_lazy("Của cơ quan"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "late": gettext_lazy("Quá hạn"),
    "all": gettext_lazy("Tất cả"),
}
# The calendar's units (workdays.compute_due) an official may choose when the catalogue has none.
TIME_UNITS = [
    ("working_day", gettext_lazy("ngày làm việc")),
    ("working_hour", gettext_lazy("giờ làm việc")),
    ("day", gettext_lazy("ngày")),
    ("month", gettext_lazy("tháng")),
]
MAX_COPIES = 99
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def new_token() -> str:
    """A fresh idempotency token for one rendered form: submitting it twice acts once."""
    return uuid.uuid4().hex


class QueueFilterForm(forms.Form):
    """The queue's search box and status filter (GET parameters q, trang-thai, trang)."""

    q = forms.CharField(label=gettext_lazy("Tìm hồ sơ"), required=False, max_length=100)
    status = forms.TypedChoiceField(
        label=gettext_lazy("Trạng thái"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("Mọi trạng thái"))] + [(s.value, s.label) for s in Status],
        error_messages={"invalid_choice": gettext_lazy("Trạng thái không hợp lệ.")},
    )

    def add_prefix(self, field_name):
        # …/mot-cua/?q=…&trang-thai=4: Vietnamese words in the address bar.
        return {"status": "trang-thai"}.get(field_name, field_name)


class ReceptionForm(forms.Form):
    """The applicant, the channel and, when the catalogue has none, the time limit."""

    kind = forms.ChoiceField(label=gettext_lazy("Người nộp là"), choices=ApplicantKind.choices,
                             initial=ApplicantKind.PERSON, widget=forms.RadioSelect)
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên / tên tổ chức"), max_length=200,
        error_messages={"required": gettext_lazy("Họ và tên người nộp không được để trống."),
                        "max_length": gettext_lazy("Họ và tên dài quá %(limit_value)d ký tự.")},
    )
    id_number = forms.CharField(label=gettext_lazy("Số định danh cá nhân"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    date_of_birth = forms.DateField(
        label=gettext_lazy("Ngày sinh"), required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Ngày sinh không hợp lệ; nhập theo dạng ngày/tháng/năm.")},
    )
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False, max_length=254,
                             error_messages={"invalid": gettext_lazy("Địa chỉ thư điện tử không hợp lệ.")})
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), required=False, max_length=300)
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"), initial=Channel.IN_PERSON,
        choices=[(Channel.IN_PERSON, Channel.IN_PERSON.label), (Channel.POSTAL, Channel.POSTAL.label)],
        error_messages={"invalid_choice": gettext_lazy("Hình thức nộp không hợp lệ.")},
    )
    time_limit_value = forms.DecimalField(
        label=gettext_lazy("Thời hạn giải quyết"), required=False, min_value=Decimal("0.5"), max_value=Decimal(999),
        decimal_places=2,
        error_messages={"invalid": gettext_lazy("Thời hạn phải là một số."),
                        "min_value": gettext_lazy("Thời hạn phải lớn hơn 0."),
                        "max_value": gettext_lazy("Thời hạn quá dài."),
                        "max_decimal_places": gettext_lazy("Thời hạn có nhiều nhất 2 chữ số thập phân.")},
    )
    time_limit_unit = forms.ChoiceField(label=gettext_lazy("Đơn vị"), required=False,
                                        choices=[("", "—")] + TIME_UNITS)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, asks_time_limit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_time_limit = asks_time_limit
        if not asks_time_limit:
            del self.fields["time_limit_value"], self.fields["time_limit_unit"]

    def clean_date_of_birth(self):
        day = self.cleaned_data.get("date_of_birth")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Ngày sinh không được sau ngày hôm nay."))
        return day

    def clean(self):
        data = super().clean()
        if self.asks_time_limit:
            value, unit = data.get("time_limit_value"), data.get("time_limit_unit")
            if value is not None and not unit and "time_limit_unit" not in self.errors:
                self.add_error("time_limit_unit", _("Chọn đơn vị của thời hạn."))
            if unit and value is None and "time_limit_value" not in self.errors:
                self.add_error("time_limit_value", _("Nhập thời hạn giải quyết."))
        return data

    def applicant(self) -> dict:
        d = self.cleaned_data
        return {key: d.get(key) for key in ("kind", "full_name", "id_number", "date_of_birth", "phone", "email",
                                            "address")}

    def time_limit(self) -> tuple[Decimal, str] | None:
        if not self.asks_time_limit:
            return None
        value, unit = self.cleaned_data.get("time_limit_value"), self.cleaned_data.get("time_limit_unit")
        return (value, unit) if value is not None and unit else None


# ------------------------------------------------------------------------------ received papers

@dataclass
class PaperRow:
    """One line of the papers table: from the catalogue (`component`) or typed at the counter."""

    key: str
    name: str
    originals: str
    copies: str
    received: bool
    component_id: int | None = None
    case: str = ""
    condition: str = ""
    suggested: bool = False
    error: str = ""


@dataclass
class PaperRows:
    """The procedure's components with the official's ticks and counts, plus papers typed in."""

    catalogue: list[PaperRow]
    extra: list[PaperRow]
    error: str = ""
    # Index in the list handed to the service → the row, to put the service's errors back.
    _sent: list[PaperRow] = field(default_factory=list)

    EXTRA_ROWS = 2

    @classmethod
    def initial(cls, components) -> "PaperRows":
        rows = []
        for c in components:
            originals, copies = c.originals or 0, c.copies or 0
            # A paper the catalogue requires with a count is what nearly every applicant brings.
            suggested = bool(c.required and (originals or copies))
            rows.append(PaperRow(
                key=f"tp-{c.pk}", name=c.name, originals=str(originals or (0 if copies else 1)), copies=str(copies),
                received=suggested, component_id=c.pk, case=c.case, condition=c.condition, suggested=suggested,
            ))
        return cls(catalogue=rows, extra=[cls.blank_extra() for _ in range(cls.EXTRA_ROWS)])

    @staticmethod
    def blank_extra() -> PaperRow:
        return PaperRow(key="khac", name="", originals="1", copies="0", received=True)

    @classmethod
    def from_post(cls, components, post) -> "PaperRows":
        rows = []
        for c in components:
            key = f"tp-{c.pk}"
            rows.append(PaperRow(
                key=key, name=c.name, originals=post.get(f"{key}-chinh", "0").strip(),
                copies=post.get(f"{key}-sao", "0").strip(), received=post.get(f"{key}-nhan") == "1",
                component_id=c.pk, case=c.case, condition=c.condition,
                suggested=bool(c.required and ((c.originals or 0) or (c.copies or 0))),
            ))
        names, originals, copies = (post.getlist(f"khac-{part}") for part in ("ten", "chinh", "sao"))
        extra = [
            PaperRow(key="khac", name=name.strip(), originals=(originals[i] if i < len(originals) else "0").strip(),
                     copies=(copies[i] if i < len(copies) else "0").strip(), received=True)
            for i, name in enumerate(names)
        ]
        extra = [row for row in extra if row.name] + [cls.blank_extra()]
        return cls(catalogue=rows, extra=extra)

    @property
    def suggested_rows(self) -> list[PaperRow]:
        return [r for r in self.catalogue if r.suggested or r.received]

    @property
    def other_rows(self) -> list[PaperRow]:
        return [r for r in self.catalogue if not (r.suggested or r.received)]

    @property
    def has_errors(self) -> bool:
        return bool(self.error or any(r.error for r in self.catalogue + self.extra))

    def inputs(self) -> list[ComponentInput] | None:
        """What the service receives, or None when a count could not be read (errors set on rows)."""
        self._sent = []
        inputs = []
        for row in [r for r in self.catalogue if r.received] + [r for r in self.extra if r.name]:
            counts = [_count(row.originals), _count(row.copies)]
            if None in counts:
                row.error = _("Số bản phải là số nguyên từ 0 đến %(max)d.") % {"max": MAX_COPIES}
                continue
            inputs.append(ComponentInput(name=row.name, originals=counts[0], copies=counts[1],
                                         component_id=row.component_id))
            self._sent.append(row)
        return None if self.has_errors else inputs

    def apply_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Put the service's `components…` errors on their rows; return the errors left."""
        rest = {}
        for key, message in errors.items():
            match = re.fullmatch(r"components\[(\d+)\](?:\.\w+)?", key)
            if match and int(match.group(1)) < len(self._sent):
                self._sent[int(match.group(1))].error = message
            elif key == "components":
                self.error = message
            else:
                rest[key] = message
        return rest


def _count(text: str) -> int | None:
    text = (text or "0").strip() or "0"
    if not text.isdigit() or int(text) > MAX_COPIES:
        return None
    return int(text)


def apply_service_errors(form: forms.Form, errors: dict[str, str], aliases: dict[str, str] | None = None) -> list[str]:
    """Attach each service error to the form field it names; return the messages no field shows."""
    aliases = aliases or {}
    unplaced = []
    for key, message in errors.items():
        name = aliases.get(key, key)
        if name in form.fields:
            form.add_error(name, message)
        else:
            unplaced.append(message)
    return unplaced


# ------------------------------------------------------------------------------ dossier actions

class ActionForm(forms.Form):
    """One action of the dossier page. Which fields it shows depends on the action (`fields_for`)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    reason = forms.CharField(label=gettext_lazy("Lý do"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    missing_papers = forms.CharField(
        label=gettext_lazy("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_due_at = forms.DateTimeField(
        label=gettext_lazy("Ngày hẹn trả mới"), required=False, input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": gettext_lazy("Ngày giờ hẹn không hợp lệ; nhập theo dạng ngày/tháng/năm giờ:phút.")},
    )
    outcome = forms.CharField(label=gettext_lazy("Ý kiến, kết quả của bước"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.CharField(label=gettext_lazy("Kết quả giải quyết"), required=False, max_length=2000,
                             help_text=gettext_lazy("Ví dụ: Giấy khai sinh bản chính số …"))
    referral = forms.CharField(label=gettext_lazy("Hướng dẫn nộp tại (nếu có)"), required=False, max_length=500)
    time_limit_value = ReceptionForm.base_fields["time_limit_value"]
    time_limit_unit = ReceptionForm.base_fields["time_limit_unit"]

    HIDDEN = ("expected_version", "token")

    def __init__(self, *args, shown: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in shown and name not in self.HIDDEN:
                del self.fields[name]

    def service_arguments(self) -> dict:
        """reason, data, expected_version and idempotency_key for `dossiers.services.transition`."""
        d = self.cleaned_data
        data = {}
        if "missing_papers" in self.fields:
            data["missing_papers"] = [line.strip() for line in (d.get("missing_papers") or "").splitlines()
                                      if line.strip()]
        if "new_due_at" in self.fields and d.get("new_due_at"):
            data["new_due_at"] = d["new_due_at"].isoformat()
        for name in ("outcome", "result", "referral"):
            if name in self.fields and d.get(name):
                data[name] = d[name].strip()
        if "time_limit_value" in self.fields and d.get("time_limit_value") is not None and d.get("time_limit_unit"):
            data["time_limit"] = [str(d["time_limit_value"]), d["time_limit_unit"]]
        token = d.get("token") or ""
        return {
            "reason": d.get("reason") or "",
            "data": data,
            "expected_version": d.get("expected_version"),
            "idempotency_key": f"mot-cua:{token}" if token else None,
        }


class RegisterForm(forms.Form):
    """Mẫu 06 for the current agency: from, to, format (GET parameters tu, den, dinh-dang)."""

    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), input_formats=DATE_FORMATS,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                error_messages={"required": gettext_lazy("Nhập từ ngày."),
                                                "invalid": gettext_lazy("Từ ngày không hợp lệ; nhập theo dạng ngày/tháng/năm.")})
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), input_formats=DATE_FORMATS,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              error_messages={"required": gettext_lazy("Nhập đến ngày."),
                                              "invalid": gettext_lazy("Đến ngày không hợp lệ; nhập theo dạng ngày/tháng/năm.")})
    fmt = forms.ChoiceField(label=gettext_lazy("Định dạng"), initial="pdf", widget=forms.RadioSelect,
                            choices=[("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("csv", "CSV")],
                            error_messages={"invalid_choice": gettext_lazy("Định dạng phải là PDF, XLSX hoặc CSV.")})

    # The address bar's names are Vietnamese words (…/so-theo-doi/?tu=…&den=…&dinh-dang=pdf).
    PARAMS = {"date_from": "tu", "date_to": "den", "fmt": "dinh-dang"}

    def add_prefix(self, field_name):
        return self.PARAMS.get(field_name, field_name)
