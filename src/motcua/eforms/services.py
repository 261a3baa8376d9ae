"""The rules of e-forms: checking a declaration, publishing and revising a form, keeping drafts.

What the submission page calls:
- `validate_submission(eform, request.POST)` → (clean, errors): clean is the declaration to store
  with the dossier (with the form's id and version) when errors is empty; errors maps each field
  path to a Vietnamese message naming the field, ready to pass back to `render_form`.
- `validate_or_raise(eform, data)` → clean, or `InvalidInputError(errors)` for the API.
- `save_draft` / `load_draft` / `discard_draft`: unfinished answers, kept as typed, never checked.
"""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.errors import InvalidInputError
from motcua.eforms import validation
from motcua.eforms.definition import check_definition
from motcua.eforms.models import Draft, EForm

# A draft keeps at most this much of what was typed per field: enough for any answer, and a
# bound on what an anonymous-looking POST can make us store.
DRAFT_MAX_VALUE_LENGTH = 5000
# Keys besides the fields' own that a draft keeps: the province chosen in a unit picker.
UNIT_PROVINCE_SUFFIX = "__province"


def validate_submission(eform: EForm, form_data, *, prefix: str = "") -> tuple[dict, dict[str, str]]:
    """(clean declaration, {field path: Vietnamese message}); clean is only meaningful without errors.

    `form_data` is a QueryDict (a form post, names as the rendered form has them, after `prefix`)
    or a dict, flat by path or nested as the schema is (a JSON body). Nothing is written.
    """
    definition = eform.definition
    raw = validation.raw_values(definition, form_data, prefix)
    instance = validation.build_instance(definition, raw)
    coerced = {path: validation.coerce(definition.fields[path], value) for path, value in raw.items()}
    validator = validation.EFormValidator(eform.schema, format_checker=validation.FORMAT_CHECKER)
    errors = validation.translate_errors(definition, instance, validator)
    for path, message in validation.check_lengths(definition, coerced).items():
        errors.setdefault(path, message)
    return instance, errors


def validate_or_raise(eform: EForm, form_data, *, prefix: str = "") -> dict:
    """The clean declaration, or InvalidInputError with every field's message."""
    clean, errors = validate_submission(eform, form_data, prefix=prefix)
    if errors:
        raise InvalidInputError(errors)
    return clean


# --- Forms: create, publish, revise ------------------------------------------------------------

@transaction.atomic
def create_eform(*, procedure, title: str, valid_from, legal_source: str, schema: dict, ui: dict,
                 created_by=None, note: str = "") -> EForm:
    """A new unpublished revision of the procedure's form, numbered after the last one."""
    check_definition(schema, ui)
    last = EForm.objects.select_for_update().filter(procedure=procedure).aggregate(n=Max("version"))["n"] or 0
    return EForm.objects.create(
        procedure=procedure, version=last + 1, title=title, valid_from=valid_from, legal_source=legal_source,
        schema=schema, ui=ui, created_by=created_by, note=note,
    )


@transaction.atomic
def publish(eform: EForm) -> EForm:
    """Make a revision the one citizens fill in from its valid_from; from then on it never changes."""
    eform = EForm.objects.select_for_update().get(pk=eform.pk)
    if eform.published:
        return eform
    check_definition(eform.schema, eform.ui)
    errors = {}
    if not eform.title.strip():
        errors["title"] = _("Tên tờ khai: không được để trống")
    if not eform.legal_source.strip():
        errors["legal_source"] = _("Căn cứ (mẫu tờ khai): không được để trống; ghi văn bản quy định mẫu.")
    if errors:
        raise InvalidInputError(errors)
    eform.published = True
    eform.published_at = timezone.now()
    # Bypass EForm.save's guard deliberately: this is the one change from draft to published.
    EForm.objects.filter(pk=eform.pk).update(published=True, published_at=eform.published_at)
    return eform


def new_revision(eform: EForm, *, created_by=None) -> EForm:
    """An unpublished copy of a form to edit: how a published form is changed."""
    return create_eform(
        procedure=eform.procedure, title=eform.title, valid_from=eform.valid_from,
        legal_source=eform.legal_source, schema=eform.schema, ui=eform.ui, created_by=created_by,
        note=_("Sửa đổi từ lần ban hành %(n)d") % {"n": eform.version},
    )


def load_form_file(path) -> EForm:
    """Create and publish a form from a JSON file as in eforms/data/forms/ (code, title, valid_from,
    legal_source, schema, ui); the procedure row is created by its code if the catalogue lacks it."""
    import json
    from datetime import date
    from pathlib import Path

    from motcua.catalog.models import Procedure

    form = json.loads(Path(path).read_text(encoding="utf-8"))
    procedure, _created = Procedure.objects.get_or_create(code=form["code"])
    eform = create_eform(procedure=procedure, title=form["title"], valid_from=date.fromisoformat(form["valid_from"]),
                         legal_source=form["legal_source"], schema=form["schema"], ui=form["ui"])
    return publish(eform)


# --- Drafts ------------------------------------------------------------------------------------

def _draft_values(eform: EForm, form_data, prefix: str) -> dict[str, Any]:
    definition = eform.definition
    raw = validation.raw_values(definition, form_data, prefix)
    getter = form_data.get if hasattr(form_data, "getlist") else validation.flatten(form_data or {}).get
    for path, field in definition.fields.items():
        if field.widget == "unit-picker":
            raw[path + UNIT_PROVINCE_SUFFIX] = getter(prefix + path + UNIT_PROVINCE_SUFFIX)
    kept = {}
    for key, value in raw.items():
        if value is None or value == "":
            continue
        if not isinstance(value, bool | int | float):
            value = str(value)[:DRAFT_MAX_VALUE_LENGTH]
        kept[key] = value
    return kept


def save_draft(user, eform: EForm, form_data, *, prefix: str = "") -> Draft:
    """Keep what the user typed so far for this form, as typed (no check: a draft may be wrong)."""
    draft, _created = Draft.objects.update_or_create(
        user=user, eform=eform, defaults={"data": _draft_values(eform, form_data, prefix)},
    )
    return draft


def load_draft(user, eform: EForm) -> dict[str, Any] | None:
    """The user's draft for this form, to pass as `data` to render_form; None if there is none.

    A draft begun on an earlier revision of the same procedure's form is carried over: the
    answers to fields that still exist are kept, the rest dropped (the new form may ask otherwise).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    draft = Draft.objects.filter(user=user, eform=eform).first()
    if draft is not None:
        return dict(draft.data)
    earlier = (Draft.objects.filter(user=user, eform__procedure_id=eform.procedure_id, eform__version__lt=eform.version)
               .order_by("-eform__version").first())
    if earlier is None:
        return None
    fields = eform.definition.fields
    return {key: value for key, value in earlier.data.items()
            if key in fields or key.removesuffix(UNIT_PROVINCE_SUFFIX) in fields}


def discard_draft(user, eform: EForm) -> None:
    """Forget the user's drafts of this procedure's form (after the declaration was filed)."""
    Draft.objects.filter(user=user, eform__procedure_id=eform.procedure_id).delete()
