"""The portal's URL vocabulary and the validation of what a visitor puts in the query string.

Public URLs use short Vietnamese words (`?cap=xa&dvc=toan-trinh`), so a link can be read aloud
and typed; the catalogue speaks its own values (`Level.COMMUNE`). This module is the only place
that maps one to the other.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import Level, OnlineService
from motcua.catalog.models import SearchDocument

_ALL_LEVEL_SLUGS: dict[str, str] = {
    "bo": Level.MINISTRY,
    "tinh": Level.PROVINCE,
    "huyen": Level.DISTRICT,
    "xa": Level.COMMUNE,
    "khac": Level.OTHER,
}
# Only the levels the search projection can filter on: SearchDocument has no column for
# Level.OTHER yet, and offering a filter that silently filters nothing would mislead.
LEVEL_SLUGS = {slug: level for slug, level in _ALL_LEVEL_SLUGS.items() if level in SearchDocument.LEVEL_FIELDS}
SLUG_OF_LEVEL = {level: slug for slug, level in LEVEL_SLUGS.items()}

ONLINE_SLUGS: dict[str, str] = {
    "toan-trinh": OnlineService.FULL,
    "mot-phan": OnlineService.PARTIAL,
    "thong-tin": OnlineService.NONE,
}
SLUG_OF_ONLINE = {value: slug for slug, value in ONLINE_SLUGS.items()}

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# More values than this in one filter is not something a person clicks; refusing it keeps a
# crafted URL from building an enormous SQL IN list.
MAX_VALUES = 50


class SlugListField(forms.Field):
    """Zero or more values of a query-string parameter, each one of a fixed set of slugs."""

    widget = forms.MultipleHiddenInput

    def __init__(self, slugs: dict[str, str], labels: dict[str, str], **kwargs):
        self.slugs = slugs
        self.labels = labels
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return [str(v).strip() for v in (value or []) if str(v).strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(_("quá nhiều giá trị (tối đa %(max)s)."), params={"max": MAX_VALUES})
        for item in value:
            if item not in self.slugs:
                choices = "; ".join(f"{slug} ({self.labels[slug]})" for slug in self.slugs)
                raise forms.ValidationError(
                    _("“%(value)s” không phải là giá trị hợp lệ. Các giá trị hợp lệ: %(choices)s."),
                    code="invalid_choice", params={"value": item, "choices": choices},
                )

    def clean(self, value):
        value = super().clean(value)
        return [self.slugs[item] for item in value]


class IdListField(forms.Field):
    """Zero or more numeric ids (of domains or agencies, as the facets link to them)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return [str(v).strip() for v in (value or []) if str(v).strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(_("quá nhiều giá trị (tối đa %(max)s)."), params={"max": MAX_VALUES})
        for item in value:
            if not item.isascii() or not item.isdigit() or len(item) > 12:
                raise forms.ValidationError(
                    _("“%(value)s” không phải là mã số hợp lệ (chỉ gồm chữ số)."),
                    code="invalid", params={"value": item},
                )

    def clean(self, value):
        return [int(item) for item in super().clean(value)]


class SearchForm(forms.Form):
    """The query string of /thu-tuc/: a query, filters that combine with it, and a page number."""

    q = forms.CharField(
        label=_("Từ khóa"), required=False, max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": format_lazy(_("tối đa {} ký tự."), MAX_QUERY_LENGTH)},
    )
    cap = SlugListField(LEVEL_SLUGS, {s: Level(v).label for s, v in LEVEL_SLUGS.items()}, label=_("Cấp thực hiện"))
    linh_vuc = IdListField(label=_("Lĩnh vực"))
    co_quan = IdListField(label=_("Cơ quan"))
    dvc = SlugListField(
        ONLINE_SLUGS, {s: OnlineService(v).label for s, v in ONLINE_SLUGS.items()}, label=_("Dịch vụ công trực tuyến")
    )
    trang = forms.IntegerField(
        label=_("Trang"), required=False, min_value=1, max_value=100_000,
        error_messages={
            "invalid": _("số trang phải là một số nguyên dương."),
            "min_value": _("số trang phải là một số nguyên dương."),
            "max_value": _("số trang quá lớn."),
        },
    )

    def error_list(self) -> list[tuple[str, str]]:
        """(field label, message) for each problem, so the page can name the field at fault."""
        return [
            (str(self.fields[name].label) if name in self.fields else "", str(message))
            for name, messages in self.errors.items()
            for message in messages
        ]

    @property
    def page(self) -> int:
        return self.cleaned_data.get("trang") or 1

    def search_arguments(self) -> dict:
        """The keyword arguments of `search_procedures` this query string asks for."""
        data = self.cleaned_data
        return {
            "levels": data["cap"],
            "domain_ids": data["linh_vuc"],
            "agency_ids": data["co_quan"],
            "online_service": data["dvc"],
        }

    @property
    def has_filters(self) -> bool:
        return any(self.search_arguments().values())
