"""Checking a declaration against its form: form strings → schema types → JSON Schema → Vietnamese messages.

Form posts carry strings only, so each value is first turned into what the schema expects (a date
typed 25/8/1990 becomes "1990-08-25", "1.500.000" becomes 1500000, "+84 912 345 678" becomes
"0912345678"). A value that cannot be turned is passed on as typed, so the schema check reports
it with the field's own message instead of a generic one. Then jsonschema runs with the
Vietnamese formats and our two keywords, and every error it reports becomes a message that
names the field by its label, as the citizen sees it on the form.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from motcua.eforms import formats
from motcua.eforms.definition import DEFAULT_MAX_LENGTH, MIN_AGE_YEARS, NOT_FUTURE, Definition, Field

ALL_ERRORS = "__all__"
TRUE_WORDS = frozenset({"on", "true", "1", "yes", "có"})
FALSE_WORDS = frozenset({"off", "false", "0", "no", "không"})


def today() -> date:
    return timezone.localdate()


# --- The validator -----------------------------------------------------------------------------

def _not_future(validator, enabled, instance, schema):
    if not enabled:
        return
    now = today()
    if isinstance(instance, str) and (day := formats.parse_iso_date(instance)) and day > now:
        yield ValidationError(f"{instance} is after today")
    elif isinstance(instance, int) and not isinstance(instance, bool) and instance > now.year:
        yield ValidationError(f"{instance} is after this year")


def _min_age(validator, years, instance, schema):
    born = formats.parse_iso_date(instance)
    if born is None:
        return
    now = today()
    age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
    if age < years:
        yield ValidationError(f"{age} < {years} years old")


def _unit_exists(value) -> bool:
    from motcua.units.choices import Edition
    from motcua.units.models import AdministrativeUnit

    if not isinstance(value, str):
        return True
    # 2025 codes: 2 digits for a province, 5 for a commune (there are no districts since 1/7/2025).
    if len(value) not in (2, 5) or not formats.is_digits(value):
        return False
    return AdministrativeUnit.objects.filter(edition=Edition.CURRENT, code=value).exists()


def _email(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        validate_email(value)
    except DjangoValidationError:
        return False
    return True


def _string_check(check):
    return lambda value: not isinstance(value, str) or check(value)


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date")(lambda value: not isinstance(value, str) or formats.parse_iso_date(value) is not None)
FORMAT_CHECKER.checks("email")(_email)
FORMAT_CHECKER.checks("vn-personal-id")(_string_check(formats.is_personal_id))
FORMAT_CHECKER.checks("vn-phone")(_string_check(formats.is_phone))
FORMAT_CHECKER.checks("vn-tax-code")(_string_check(formats.is_tax_code))
FORMAT_CHECKER.checks("vn-unit-code")(_unit_exists)

EFormValidator = validators.extend(Draft202012Validator, {NOT_FUTURE: _not_future, MIN_AGE_YEARS: _min_age})


# --- Form strings → schema types ---------------------------------------------------------------

def flatten(data: Mapping, prefix: str = "") -> dict[str, Any]:
    """A nested answer ({"child": {"full_name": …}}) as paths ({"child.full_name": …}); flat input as it is."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def raw_values(definition: Definition, data, prefix: str = "") -> dict[str, Any]:
    """The submitted value of each field, by path (a QueryDict's last value, as Django's forms take it)."""
    getlist = getattr(data, "getlist", None)
    source = data if getlist else flatten(data or {})
    values = {}
    for path in definition.fields:
        key = prefix + path
        value = (data.get(key) if getlist else source.get(key))
        if isinstance(value, list):
            value = value[-1] if value else None
        values[path] = value
    return values


def coerce(field: Field, value: Any) -> Any:
    """The value as the schema wants it, or the value as typed when it cannot be read (the check reports it)."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            value = None
    if field.type == "boolean":
        if value is None:
            return False  # an unticked checkbox sends nothing
        if isinstance(value, str):
            word = value.lower()
            return True if word in TRUE_WORDS else False if word in FALSE_WORDS else value
        return value
    if value is None or not isinstance(value, str):
        return value
    if field.type == "integer":
        number = formats.parse_integer(value)
        return value if number is None else number
    if field.type == "number":
        number = formats.parse_number(value)
        return value if number is None else number
    return _coerce_string(field, value)


def _parsed_date(value: str) -> str:
    day = formats.parse_date(value)
    return day.isoformat() if day else value


STRING_NORMALIZERS = {
    "date": _parsed_date,
    "vn-phone": formats.normalize_phone,
    "vn-personal-id": formats.normalize_personal_id,
    "vn-tax-code": formats.normalize_tax_code,
}


def _coerce_string(field: Field, value: str) -> Any:
    normalize = STRING_NORMALIZERS.get(field.format)
    if normalize:
        return normalize(value)
    if "enum" in field.schema and value not in field.schema["enum"]:
        # A select posts strings: an enum of numbers gets its number back.
        for option in field.schema["enum"]:
            if str(option) == value:
                return option
    return value


def build_instance(definition: Definition, raw: dict[str, Any]) -> dict:
    """The nested answer the schema checks. An optional group nobody filled in is left out entirely,
    so its own required fields only apply once someone starts filling it in. A value the form
    itself put there (the schema's default, e.g. nationality "Việt Nam") does not start a group."""
    values = {path: coerce(definition.fields[path], value) for path, value in raw.items()}
    filled_groups = set()
    for path, value in values.items():
        field = definition.fields[path]
        untouched = value is None or (field.type == "boolean" and value is False) or value == field.schema.get("default")
        if not untouched:
            parts = path.split(".")
            filled_groups.update(".".join(parts[:i]) for i in range(1, len(parts)))
    instance: dict = {}
    for path, value in values.items():
        parts = path.split(".")
        groups = [".".join(parts[:i]) for i in range(1, len(parts))]
        if any(not definition.groups.get(g, False) and g not in filled_groups for g in groups):
            continue
        node = instance
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is not None:
            node[parts[-1]] = value
    for group, required in definition.groups.items():
        if group and (required or group in filled_groups):
            node = instance
            for part in group.split("."):
                node = node.setdefault(part, {})
    return instance


# --- Errors → Vietnamese -----------------------------------------------------------------------

def _number_text(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return f"{int(value):,}".replace(",", ".")
        return str(value).replace(".", ",")
    return str(value)


FORMAT_MESSAGES = {
    "date": lambda: _("phải là ngày hợp lệ (dd/mm/yyyy)"),
    "email": lambda: _("phải là địa chỉ thư điện tử hợp lệ, ví dụ ten@example.vn"),
    "vn-personal-id": lambda: _("phải gồm 12 chữ số (số định danh cá nhân in trên thẻ căn cước)"),
    "vn-phone": lambda: _("phải là số điện thoại Việt Nam: di động 10 chữ số bắt đầu bằng 03, 05, 07, 08 "
                          "hoặc 09; cố định 11 chữ số bắt đầu bằng 02"),
    "vn-tax-code": lambda: _("phải gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số (ví dụ 0101234567-001), "
                             "hoặc số định danh cá nhân 12 chữ số"),
    "vn-unit-code": lambda: _("phải là một tỉnh/thành phố hoặc xã/phường/đặc khu đang có hiệu lực "
                              "(danh mục đơn vị hành chính từ 01/07/2025)"),
}
BOUND_MESSAGES = {
    "minimum": lambda: _("phải từ %(n)s trở lên"),
    "maximum": lambda: _("không được lớn hơn %(n)s"),
    "exclusiveMinimum": lambda: _("phải lớn hơn %(n)s"),
    "exclusiveMaximum": lambda: _("phải nhỏ hơn %(n)s"),
    "multipleOf": lambda: _("phải là bội số của %(n)s"),
}
TYPE_MESSAGES = {
    "integer": lambda: _("phải là số nguyên"),
    "number": lambda: _("phải là số"),
    "string": lambda: _("phải là chữ"),
    "boolean": lambda: _("phải là có hoặc không"),
}


def describe(error: ValidationError, field: Field | None) -> str:
    """One jsonschema error as a Vietnamese phrase (without the field name)."""
    keyword, expected = error.validator, error.validator_value
    custom = field.messages.get(keyword) if field else None
    if custom:
        return custom
    if keyword in ("required", "dependentRequired"):
        return _("không được để trống")
    if keyword == "type":
        kind = expected if isinstance(expected, str) else expected[0]
        return TYPE_MESSAGES.get(kind, TYPE_MESSAGES["string"])()
    if keyword == "format":
        return FORMAT_MESSAGES.get(expected, lambda: _("không đúng định dạng"))()
    if keyword == "minLength":
        return _("không được để trống") if expected <= 1 else _("phải có ít nhất %(n)d ký tự") % {"n": expected}
    if keyword == "maxLength":
        return _("không được dài quá %(n)d ký tự") % {"n": expected}
    if keyword == "pattern":
        return _("không đúng định dạng yêu cầu")
    if keyword in BOUND_MESSAGES:
        return BOUND_MESSAGES[keyword]() % {"n": _number_text(expected)}
    if keyword == "enum":
        labels = [label for _value, label in field.choices] if field else [str(v) for v in expected]
        if len(labels) <= 6:
            return _("phải chọn một trong: %(choices)s") % {"choices": ", ".join(labels)}
        return _("phải chọn một giá trị trong danh sách")
    if keyword == "const":
        if expected is True:
            return _("cần đánh dấu để xác nhận")
        return _("phải là “%(value)s”") % {"value": expected}
    if keyword == NOT_FUTURE:
        return _("không được sau ngày hôm nay") if field and field.format == "date" else _("không được sau năm nay")
    if keyword == MIN_AGE_YEARS:
        return _("người này phải đủ %(n)d tuổi trở lên") % {"n": expected}
    return _("không hợp lệ")


def _error_paths(error: ValidationError) -> list[str]:
    base = ".".join(str(p) for p in error.absolute_path)
    join = (lambda name: f"{base}.{name}") if base else (lambda name: name)
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        return [join(name) for name in error.validator_value if name not in instance]
    if error.validator == "dependentRequired":
        return [join(name) for present, needed in error.validator_value.items() if present in instance
                for name in needed if name not in instance]
    return [base]


def translate_errors(definition: Definition, instance: dict, validator: Draft202012Validator) -> dict[str, str]:
    """Every error, one per field (the first found), in the order the form shows the fields."""
    found: dict[str, str] = {}
    for error in validator.iter_errors(instance):
        for path in _error_paths(error):
            field = definition.fields.get(path)
            key = path if field else ALL_ERRORS
            if key in found:
                continue
            phrase = describe(error, field)
            found[key] = f"{field.error_name}: {phrase}" if field else _("Tờ khai: %(problem)s") % {"problem": phrase}
    order = {path: n for n, path in enumerate(definition.fields)}
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], -1)))


def check_lengths(definition: Definition, instance_values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    for path, value in instance_values.items():
        field = definition.fields[path]
        if isinstance(value, str) and "maxLength" not in field.schema and len(value) > DEFAULT_MAX_LENGTH:
            errors[path] = f"{field.error_name}: " + _("không được dài quá %(n)d ký tự") % {"n": DEFAULT_MAX_LENGTH}
    return errors
