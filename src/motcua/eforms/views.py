"""The administrator's preview: the form as a citizen sees it, and what the server says about answers.

Mounted under the EForm admin (admin/eforms/eform/<id>/xem-truoc/), so only staff reach it. A POST
is checked exactly as a submission would be and nothing is stored: the page shows either the
Vietnamese messages at each field, or the clean declaration that a dossier would keep.
"""

import json

from django.shortcuts import render
from django.utils.html import format_html_join

from motcua.dossiers.errors import InvalidInputError
from motcua.eforms import selectors, services
from motcua.eforms.rendering import render_form


def preview(request, eform, *, admin_context: dict | None = None):
    try:
        eform.definition  # noqa: B018 — parsing is the check
    except InvalidInputError as error:
        # An unpublished draft saved from code may be broken; say what is wrong instead of failing.
        problems = format_html_join("", "<li>{}</li>", ((message,) for message in error.errors.values()))
        return render(request, "eforms/preview.html", {**(admin_context or {}), "eform": eform, "problems": problems},
                      status=422)
    prefill = selectors.profile_values(request.user)
    data = errors = clean = None
    if request.method == "POST":
        data = request.POST
        clean, errors = services.validate_submission(eform, data)
    context = {
        **(admin_context or {}),
        "eform": eform,
        "form_html": render_form(eform, data=data, errors=errors, prefill=prefill),
        "submitted": request.method == "POST",
        "errors": errors,
        "clean_json": json.dumps(clean, ensure_ascii=False, indent=2) if clean is not None and not errors else "",
    }
    return render(request, "eforms/preview.html", context, status=422 if errors else 200)
