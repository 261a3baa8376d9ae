"""An e-form as accessible HTML, to embed in any page (the citizen's submission page, the admin preview).

`render_form` returns the fields only, grouped in <fieldset>s with <legend>s: the embedding page
owns the <form> element, its CSRF token, its buttons and anything else it asks (upload slots).
What it renders follows the usual rules for accessible public-service forms:
- every input has a <label for>; radio groups, checkbox-free groups and the unit picker are
  <fieldset>s with a <legend>;
- help and the error are tied to the input by aria-describedby, an input in error has
  aria-invalid, and an error summary at the top links to each field in error;
- "bắt buộc" is written in the label, not shown by colour or an asterisk alone; the browser's
  own `required` popups (in the browser's language) are not used: the server says it, in Vietnamese;
- dates are typed as dd/mm/yyyy in a text field (a native date picker is hard to use for a date
  of birth decades ago), with inputmode so that phones show the numeric keypad.
"""

from typing import Any

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.eforms import formats
from motcua.eforms.definition import Field
from motcua.eforms.models import EForm
from motcua.eforms.services import UNIT_PROVINCE_SUFFIX
from motcua.eforms.validation import ALL_ERRORS, TRUE_WORDS, flatten

TEMPLATES = {
    "text": "eforms/widgets/input.html", "id-number": "eforms/widgets/input.html",
    "phone": "eforms/widgets/input.html", "email": "eforms/widgets/input.html",
    "date": "eforms/widgets/input.html", "textarea": "eforms/widgets/textarea.html",
    "select": "eforms/widgets/select.html", "radio": "eforms/widgets/radio.html",
    "checkbox": "eforms/widgets/checkbox.html", "unit-picker": "eforms/widgets/unit_picker.html",
}


class _Values:
    """Looks values up in what the page passes: a form post (names with prefix) or a dict (paths)."""

    def __init__(self, data, prefix: str):
        self.is_post = hasattr(data, "getlist")
        self.data = data if self.is_post else flatten(data or {})
        self.prefix = prefix
        self.present = data is not None

    def get(self, key: str) -> Any:
        if not self.present:
            return None
        value = self.data.get(self.prefix + key if self.is_post else key)
        return value[-1] if isinstance(value, list) and value else value


def render_form(eform: EForm, data=None, errors: dict[str, str] | None = None, prefill: dict | None = None,
                *, prefix: str = "", include_assets: bool = True) -> SafeString:
    """The form's fields as HTML.

    - data: what to show. A QueryDict (the post being answered, names with `prefix`), a dict by
      path or nested (a draft, a stored declaration), or None for a fresh form.
    - errors: {path: message} from `validate_submission`.
    - prefill: {source: value} from `selectors.profile_values(user)`; used only for a fresh form
      (data=None), so that a value the person cleared stays cleared.
    - include_assets: adds the form's stylesheet and script (harmless if the page has them already).
    """
    definition = eform.definition
    errors = errors or {}
    values = _Values(data, prefix)
    prefill = prefill or {}
    units = _UnitLists()
    id_prefix = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in prefix)
    sections, error_list = [], []
    for section in definition.sections:
        bound_fields = []
        for field in section.fields:
            bound = _bind(field, values, prefill, errors.get(field.path, ""), prefix, id_prefix, units)
            bound_fields.append(bound)
            if bound["error"]:
                error_list.append({"id": bound["focus_id"], "message": bound["error"]})
        sections.append({"id": id_prefix + "muc-" + section.id, "legend": section.legend, "help": section.help,
                         "fields": bound_fields})
    if ALL_ERRORS in errors:
        error_list.insert(0, {"id": "", "message": errors[ALL_ERRORS]})
    return render_to_string("eforms/form.html", {
        "eform": eform, "definition": definition, "sections": sections, "error_list": error_list,
        "include_assets": include_assets, "summary_id": id_prefix + "tk-tom-tat-loi", "units_url": units.api_url,
    })


def _display(field: Field, value: Any) -> str:
    if value is None:
        return ""
    if field.format == "date":
        return formats.format_date(value)
    return str(value)


def _bind(field: Field, values: _Values, prefill: dict, error: str, prefix: str, id_prefix: str,
          units: "_UnitLists") -> dict:
    if values.present:
        value = values.get(field.path)
    elif field.prefill and prefill.get(field.prefill):
        value = prefill[field.prefill]
    else:
        value = field.schema.get("default")
    dom_id = id_prefix + field.dom_id
    help_id, error_id, hint_id = f"{dom_id}-goi-y", f"{dom_id}-loi", f"{dom_id}-dang"
    hint = _format_hint(field)
    described = [i for i, present in ((hint_id, hint), (help_id, field.help), (error_id, error)) if present]
    bound = {
        "field": field, "template": TEMPLATES[field.widget], "name": prefix + field.path, "id": dom_id,
        "focus_id": dom_id, "value": _display(field, value), "error": error, "help_id": help_id,
        "error_id": error_id, "hint": hint, "hint_id": hint_id, "describedby": " ".join(described),
        "required": field.required, "required_in_group": field.required_in_group,
        "max_length": field.schema.get("maxLength"),
        # Short values get short boxes: the width hints at what is expected.
        "short": field.widget in ("date", "id-number", "phone") or field.type in ("integer", "number"),
    }
    bound.update(_input_attributes(field))
    if field.widget in ("select", "radio"):
        current = "" if value is None else str(value)
        bound["choices"] = [
            {"value": str(v), "label": label, "selected": str(v) == current, "id": f"{dom_id}-{n}"}
            for n, (v, label) in enumerate(field.choices, start=1)
        ]
        if field.widget == "radio" and bound["choices"]:
            bound["focus_id"] = bound["choices"][0]["id"]
    elif field.widget == "checkbox":
        bound["checked"] = value is True or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)
    elif field.widget == "unit-picker":
        province = values.get(field.path + UNIT_PROVINCE_SUFFIX) if values.present else None
        bound.update(units.picker(str(value or ""), str(province or "")))
        bound["province_name"] = prefix + field.path + UNIT_PROVINCE_SUFFIX
        bound["province_id"] = f"{dom_id}-tinh"
        bound["focus_id"] = bound["province_id"]
    return bound


def _format_hint(field: Field) -> str:
    if field.format == "date":
        return _("Nhập theo dạng ngày/tháng/năm, ví dụ 25/08/1990.")
    if field.format == "vn-personal-id":
        return _("12 chữ số, in trên thẻ căn cước hoặc căn cước công dân.")
    if field.format == "vn-phone":
        return _("Di động 10 chữ số, ví dụ 0912 345 678.")
    return ""


def _input_attributes(field: Field) -> dict:
    attributes = {"input_type": "text", "inputmode": "", "autocomplete": field.autocomplete,
                  "placeholder": field.placeholder}
    if field.widget == "email":
        attributes.update(input_type="email", autocomplete=field.autocomplete or "email")
    elif field.widget == "phone":
        attributes.update(input_type="tel", inputmode="tel", autocomplete=field.autocomplete or "tel")
    elif field.widget == "id-number":
        attributes.update(inputmode="numeric", autocomplete=field.autocomplete or "off")
    elif field.widget == "date":
        attributes.update(inputmode="numeric", placeholder=field.placeholder or "dd/mm/yyyy")
    elif field.type == "integer":
        attributes.update(inputmode="numeric")
    elif field.type == "number":
        attributes.update(inputmode="decimal")
    return attributes


class _UnitLists:
    """Provinces and communes of the 2025 list for unit pickers, read once per rendered form."""

    def __init__(self):
        self._provinces = None
        self._communes: dict[str, list] = {}
        try:
            self.api_url = reverse("api:unit_list")
        except NoReverseMatch:  # a site without the API: the picker still works, by submitting
            self.api_url = ""

    def provinces(self) -> list:
        if self._provinces is None:
            from motcua.units.choices import Edition, UnitLevel
            from motcua.units.models import AdministrativeUnit

            self._provinces = list(AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.PROVINCE)
                                   .order_by("code").values_list("code", "name"))
        return self._provinces

    def communes(self, province: str) -> list:
        if province not in self._communes:
            from motcua.units.choices import Edition, UnitLevel
            from motcua.units.models import AdministrativeUnit

            self._communes[province] = list(
                AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.COMMUNE,
                                                  parent__code=province)
                .order_by("name_folded").values_list("code", "name")
            )
        return self._communes[province]

    def picker(self, commune: str, province: str) -> dict:
        if not province and commune:
            from motcua.units.choices import Edition
            from motcua.units.models import AdministrativeUnit

            unit = (AdministrativeUnit.objects.filter(edition=Edition.CURRENT, code=commune)
                    .select_related("parent").first())
            if unit is not None:
                province = unit.parent.code if unit.parent_id else unit.code
        return {
            "provinces": [{"value": c, "label": n, "selected": c == province} for c, n in self.provinces()],
            "communes": [{"value": c, "label": n, "selected": c == commune} for c, n in self.communes(province)]
            if province else [],
            "province": province,
        }
