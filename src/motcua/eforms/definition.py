"""Reading an e-form's two documents (JSON Schema + UI) into sections and fields, and checking them.

An administrator writes both documents by hand, so every mistake they can make gets a Vietnamese
message that says where it is: a schema that is not valid JSON Schema 2020-12, a field the UI
names that the schema lacks, a schema field no section shows (nobody could fill it in), a widget
that cannot carry the field's type, a prefill source that does not exist, a typo in a key.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from motcua.dossiers.errors import InvalidInputError

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Widgets a field can be shown with; the value is what the field's schema must be.
WIDGETS = ("text", "textarea", "date", "select", "radio", "checkbox", "unit-picker", "id-number", "phone", "email")
# Vietnamese formats (eforms/formats.py) and the standard ones the validator checks.
FORMATS = ("date", "email", "vn-personal-id", "vn-phone", "vn-tax-code", "vn-unit-code")
WIDGET_FORMAT = {"date": "date", "unit-picker": "vn-unit-code", "id-number": "vn-personal-id",
                 "phone": "vn-phone", "email": "email"}
LEAF_TYPES = ("string", "integer", "number", "boolean")
# Keywords of our own (JSON Schema 2020-12 lets a schema carry unknown keywords; we give these meaning).
NOT_FUTURE = "x-notFuture"  # a date (or a year) that cannot be after today
MIN_AGE_YEARS = "x-minAgeYears"  # a date of birth of someone at least N years old today
# Where a field's initial value can come from (eforms/selectors.profile_values builds them).
PREFILL_SOURCES = (
    "profile.full_name", "profile.id_number", "profile.date_of_birth", "profile.phone", "profile.email",
    "profile.address", "profile.unit_code", "profile.tax_code",
)
FIELD_UI_KEYS = ("label", "widget", "help", "prefill", "placeholder", "autocomplete", "choices", "rows",
                 "error_label", "messages")
SECTION_KEYS = ("id", "legend", "help", "fields")
UI_KEYS = ("title", "intro", "sections", "fields")
PROPERTY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Strings without a maxLength of their own are still bounded: a form is not a file store.
DEFAULT_MAX_LENGTH = 2000


@dataclass
class Field:
    """One input of the form: where its value goes (path), what it must be (schema), how it is asked."""

    path: str
    schema: dict
    label: str
    widget: str
    section: str = ""
    help: str = ""
    placeholder: str = ""
    autocomplete: str = ""
    prefill: str = ""
    rows: int = 3
    required: bool = False  # must be answered on every declaration
    required_in_group: bool = False  # must be answered if anything of its optional group is
    choices: list[tuple[Any, str]] = field(default_factory=list)
    error_name: str = ""  # how messages name the field: unique in the form
    messages: dict = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.schema.get("type", "string")

    @property
    def format(self) -> str:
        return self.schema.get("format", "")

    @property
    def dom_id(self) -> str:
        return "tk-" + self.path.replace(".", "-").replace("_", "-")


@dataclass
class Section:
    id: str
    legend: str
    help: str
    fields: list[Field]


@dataclass
class Definition:
    title: str
    intro: str
    sections: list[Section]
    fields: dict[str, Field]  # by path, in the order the form shows them
    groups: dict[str, bool]  # every object path ("" = the root) → whether it must be present


def definition_errors(schema: Any, ui: Any) -> dict[str, list[str]]:
    """Every problem of a form's two documents, as Vietnamese messages under "schema" and "ui"."""
    errors: dict[str, list[str]] = {"schema": [], "ui": []}
    leaves = _check_schema(schema, errors["schema"])
    if leaves is not None:
        _check_ui(ui, leaves, errors["ui"])
    return {key: messages for key, messages in errors.items() if messages}


def check_definition(schema: Any, ui: Any) -> None:
    """InvalidInputError({"schema": ..., "ui": ...}) if the form cannot be used."""
    errors = definition_errors(schema, ui)
    if errors:
        raise InvalidInputError({key: " ".join(messages) for key, messages in errors.items()})


def parse_definition(schema: dict, ui: dict) -> Definition:
    """The form as sections of fields. Checks first: a broken form is never shown half-right."""
    check_definition(schema, ui)
    leaves: dict[str, dict] = {}
    groups: dict[str, bool] = {}
    required_leaves: dict[str, tuple[bool, bool]] = {}
    _walk(schema, "", True, leaves, groups, required_leaves)
    field_ui = ui.get("fields", {})
    labels = {path: (field_ui.get(path, {}).get("label") or leaves[path].get("title", "")) for path in leaves}
    label_count: dict[str, int] = {}
    for label in labels.values():
        label_count[label] = label_count.get(label, 0) + 1
    sections, fields = [], {}
    for number, section_ui in enumerate(ui["sections"], start=1):
        section_fields = []
        for path in section_ui["fields"]:
            leaf, hints = leaves[path], field_ui.get(path, {})
            required, in_group = required_leaves[path]
            label = labels[path]
            error_name = hints.get("error_label") or (
                label if label_count[label] == 1 else f"{label} ({section_ui['legend']})"
            )
            item = Field(
                path=path, schema=leaf, label=label, widget=hints.get("widget") or default_widget(leaf),
                section=section_ui["legend"], help=hints.get("help") or leaf.get("description", ""),
                placeholder=hints.get("placeholder", ""), autocomplete=hints.get("autocomplete", ""),
                prefill=hints.get("prefill", ""), rows=int(hints.get("rows", 3)),
                required=required, required_in_group=in_group, error_name=error_name,
                choices=_choices(leaf, hints.get("choices") or {}), messages=hints.get("messages") or {},
            )
            section_fields.append(item)
            fields[path] = item
        sections.append(Section(id=section_ui.get("id") or f"muc-{number}", legend=section_ui["legend"],
                                help=section_ui.get("help", ""), fields=section_fields))
    return Definition(title=ui.get("title", ""), intro=ui.get("intro", ""), sections=sections, fields=fields,
                      groups=groups)


def default_widget(leaf: dict) -> str:
    if leaf.get("type") == "boolean":
        return "checkbox"
    if "enum" in leaf:
        return "radio" if len(leaf["enum"]) <= 4 else "select"
    by_format = {fmt: widget for widget, fmt in WIDGET_FORMAT.items()}
    return by_format.get(leaf.get("format", ""), "text")


def _choices(leaf: dict, labels: dict) -> list[tuple[Any, str]]:
    return [(value, str(labels.get(str(value), value))) for value in leaf.get("enum", [])]


def _walk(node: dict, prefix: str, chain_required: bool, leaves, groups, required_leaves) -> None:
    groups[prefix] = chain_required
    required = set(node.get("required", []))
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        if sub.get("type") == "object":
            _walk(sub, path, chain_required and name in required, leaves, groups, required_leaves)
        else:
            leaves[path] = sub
            required_leaves[path] = (chain_required and name in required, not chain_required and name in required)


# --- Checks ------------------------------------------------------------------------------------

def _check_schema(schema: Any, problems: list[str]) -> dict[str, dict] | None:
    """The schema's leaf fields by path, or None when it is too broken to check the UI against."""
    if not isinstance(schema, dict):
        problems.append(_("Lược đồ (schema) phải là một đối tượng JSON {…}."))
        return None
    dialect = schema.get("$schema")
    if dialect is not None and dialect != SCHEMA_DIALECT:
        problems.append(_("Lược đồ phải theo JSON Schema Draft 2020-12 (“$schema”: “%(dialect)s”).")
                        % {"dialect": SCHEMA_DIALECT})
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(p) for p in error.path) or _("gốc")
        problems.append(_("Lược đồ không hợp lệ theo JSON Schema 2020-12 tại “%(where)s”: %(detail)s")
                        % {"where": where, "detail": error.message})
        return None
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict) or not schema["properties"]:
        problems.append(_("Lược đồ phải có “type”: “object” và ít nhất một trường trong “properties”."))
        return None
    leaves: dict[str, dict] = {}
    _check_object(schema, "", leaves, problems)
    return leaves


def _check_object(node: dict, prefix: str, leaves: dict, problems: list[str]) -> None:
    properties = node.get("properties", {})
    for name in node.get("required", []):
        if name not in properties:
            problems.append(_("“required” của “%(group)s” nêu trường “%(name)s” không có trong “properties”.")
                            % {"group": prefix or _("gốc"), "name": name})
    for name, sub in properties.items():
        path = f"{prefix}.{name}" if prefix else name
        if not PROPERTY_NAME.match(name):
            problems.append(_("Tên trường “%(path)s” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch dưới, "
                              "bắt đầu bằng chữ.") % {"path": path})
            continue
        if not isinstance(sub, dict):
            problems.append(_("Trường “%(path)s” phải được mô tả bằng một đối tượng JSON.") % {"path": path})
            continue
        if "$ref" in sub:
            problems.append(_("Trường “%(path)s”: chưa hỗ trợ “$ref”, hãy viết trực tiếp lược đồ của trường.")
                            % {"path": path})
            continue
        kind = sub.get("type")
        if kind == "object":
            if not sub.get("properties"):
                problems.append(_("Nhóm “%(path)s” phải có ít nhất một trường trong “properties”.") % {"path": path})
            else:
                _check_object(sub, path, leaves, problems)
            continue
        if kind not in LEAF_TYPES:
            problems.append(_("Trường “%(path)s”: “type” phải là một trong %(types)s (hoặc “object” cho một nhóm).")
                            % {"path": path, "types": ", ".join(LEAF_TYPES)})
            continue
        _check_leaf(path, sub, problems)
        leaves[path] = sub


def _check_leaf(path: str, leaf: dict, problems: list[str]) -> None:
    fmt = leaf.get("format")
    if fmt is not None and fmt not in FORMATS:
        problems.append(_("Trường “%(path)s”: định dạng “%(format)s” không được hỗ trợ; dùng một trong: %(formats)s.")
                        % {"path": path, "format": fmt, "formats": ", ".join(FORMATS)})
    if fmt is not None and leaf["type"] != "string":
        problems.append(_("Trường “%(path)s”: “format” chỉ dùng cho trường kiểu “string”.") % {"path": path})
    if NOT_FUTURE in leaf and not (fmt == "date" or leaf["type"] == "integer"):
        problems.append(_("Trường “%(path)s”: “%(key)s” chỉ dùng cho ngày (format “date”) hoặc năm (integer).")
                        % {"path": path, "key": NOT_FUTURE})
    if MIN_AGE_YEARS in leaf and (fmt != "date" or not isinstance(leaf[MIN_AGE_YEARS], int)):
        problems.append(_("Trường “%(path)s”: “%(key)s” là một số năm và chỉ dùng cho ngày sinh (format “date”).")
                        % {"path": path, "key": MIN_AGE_YEARS})


def _check_ui(ui: Any, leaves: dict[str, dict], problems: list[str]) -> None:
    if not isinstance(ui, dict):
        problems.append(_("Giao diện (ui) phải là một đối tượng JSON {…}."))
        return
    for key in ui:
        if key not in UI_KEYS:
            problems.append(_("Giao diện có khóa lạ “%(key)s”; các khóa được dùng: %(keys)s.")
                            % {"key": key, "keys": ", ".join(UI_KEYS)})
    sections = ui.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append(_("Giao diện phải có “sections”: danh sách các mục, mỗi mục có “legend” và “fields”."))
        return
    _check_sections(sections, leaves, problems)
    field_ui = ui.get("fields", {})
    if not isinstance(field_ui, dict):
        problems.append(_("“fields” của giao diện phải là một đối tượng: đường dẫn trường → mô tả."))
        field_ui = {}
    for path, hints in field_ui.items():
        if path not in leaves:
            problems.append(_("Giao diện mô tả trường “%(path)s” không có trong lược đồ.") % {"path": path})
        elif not isinstance(hints, dict):
            problems.append(_("Mô tả giao diện của trường “%(path)s” phải là một đối tượng JSON.") % {"path": path})
        else:
            _check_field_ui(path, leaves[path], hints, problems)
    for path, leaf in leaves.items():
        hints = field_ui.get(path) if isinstance(field_ui.get(path), dict) else {}
        if not (hints.get("label") or leaf.get("title")):
            problems.append(_("Trường “%(path)s” chưa có nhãn: thêm “label” trong giao diện hoặc “title” trong lược đồ.")
                            % {"path": path})


def _check_sections(sections: list, leaves: dict[str, dict], problems: list[str]) -> None:
    """Each section is well-formed, names schema fields only, and every field is in exactly one."""
    placed: dict[str, str] = {}
    for number, section in enumerate(sections, start=1):
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            problems.append(_("Mục thứ %(n)d phải là một đối tượng có “legend” và danh sách “fields”.") % {"n": number})
            continue
        legend = section.get("legend")
        if not isinstance(legend, str) or not legend.strip():
            problems.append(_("Mục thứ %(n)d chưa có tiêu đề (“legend”).") % {"n": number})
            legend = str(number)
        for key in section:
            if key not in SECTION_KEYS:
                problems.append(_("Mục “%(legend)s” có khóa lạ “%(key)s”; các khóa được dùng: %(keys)s.")
                                % {"legend": legend, "key": key, "keys": ", ".join(SECTION_KEYS)})
        for path in section["fields"]:
            if not isinstance(path, str) or path not in leaves:
                problems.append(_("Mục “%(legend)s” nêu trường “%(path)s” không có trong lược đồ.")
                                % {"legend": legend, "path": path})
            elif path in placed:
                problems.append(_("Trường “%(path)s” được xếp vào cả mục “%(first)s” và mục “%(second)s”.")
                                % {"path": path, "first": placed[path], "second": legend})
            else:
                placed[path] = legend
    for path in leaves:
        if path not in placed:
            problems.append(_("Trường “%(path)s” có trong lược đồ nhưng chưa được xếp vào mục nào, "
                              "người khai sẽ không điền được.") % {"path": path})


def _check_field_ui(path: str, leaf: dict, hints: dict, problems: list[str]) -> None:
    for key in hints:
        if key not in FIELD_UI_KEYS:
            problems.append(_("Trường “%(path)s”: khóa giao diện lạ “%(key)s”; các khóa được dùng: %(keys)s.")
                            % {"path": path, "key": key, "keys": ", ".join(FIELD_UI_KEYS)})
    if hints.get("widget") is not None:
        _check_widget(path, leaf, hints["widget"], problems)
    prefill = hints.get("prefill")
    if prefill is not None and prefill not in PREFILL_SOURCES:
        problems.append(_("Trường “%(path)s”: nguồn điền sẵn “%(source)s” không có; dùng một trong: %(sources)s.")
                        % {"path": path, "source": prefill, "sources": ", ".join(PREFILL_SOURCES)})
    choices = hints.get("choices")
    if choices is not None:
        values = {str(v) for v in leaf.get("enum", [])}
        if not isinstance(choices, dict) or not set(choices) <= values:
            problems.append(_("Trường “%(path)s”: “choices” phải là nhãn cho các giá trị trong “enum” của lược đồ.")
                            % {"path": path})
    for key in ("label", "help", "placeholder", "autocomplete", "error_label"):
        if key in hints and not isinstance(hints[key], str):
            problems.append(_("Trường “%(path)s”: “%(key)s” phải là một chuỗi ký tự.") % {"path": path, "key": key})
    if "rows" in hints and not (isinstance(hints["rows"], int) and 1 <= hints["rows"] <= 30):
        problems.append(_("Trường “%(path)s”: “rows” phải là số dòng từ 1 đến 30.") % {"path": path})
    if "messages" in hints and not (isinstance(hints["messages"], dict)
                                    and all(isinstance(v, str) for v in hints["messages"].values())):
        problems.append(_("Trường “%(path)s”: “messages” phải là đối tượng từ khóa lược đồ → thông báo.")
                        % {"path": path})


def _check_widget(path: str, leaf: dict, widget: Any, problems: list[str]) -> None:
    if widget not in WIDGETS:
        problems.append(_("Trường “%(path)s”: kiểu nhập “%(widget)s” không có; dùng một trong: %(widgets)s.")
                        % {"path": path, "widget": widget, "widgets": ", ".join(WIDGETS)})
    elif widget in ("select", "radio") and "enum" not in leaf:
        problems.append(_("Trường “%(path)s”: kiểu nhập “%(widget)s” cần danh sách giá trị “enum” trong lược đồ.")
                        % {"path": path, "widget": widget})
    elif widget == "checkbox" and leaf.get("type") != "boolean":
        problems.append(_("Trường “%(path)s”: ô đánh dấu (checkbox) chỉ dùng cho trường kiểu “boolean”.")
                        % {"path": path})
    elif widget in WIDGET_FORMAT and leaf.get("format") != WIDGET_FORMAT[widget]:
        problems.append(_("Trường “%(path)s”: kiểu nhập “%(widget)s” cần “format”: “%(format)s” trong lược đồ.")
                        % {"path": path, "widget": widget, "format": WIDGET_FORMAT[widget]})
    elif widget in ("text", "textarea") and leaf.get("type") == "boolean":
        problems.append(_("Trường “%(path)s”: trường có/không dùng kiểu nhập “checkbox” hoặc “radio”.")
                        % {"path": path})
