"""Template helpers of the online services, and the "Nộp hồ sơ trực tuyến" link of the procedure page."""

from django import template

from motcua.eforms.selectors import eform_for
from motcua.eservices import selectors

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict value by a key held in a variable (`errors|get_item:slot.key`)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def paper_item_id(component) -> str:
    """The document-store id of a received paper."""
    return f"{selectors.PAPER_PREFIX}{component.pk}"


@register.inclusion_tag("eservices/_procedure_link.html")
def online_submission_link(procedure, version, is_current=True):
    """Shown when the version is current, published, has an online channel and an e-form or papers."""
    # The page prefetched channels and components: reading them costs no query; the e-form is
    # looked up only for a version without papers, so the page's query count stays constant.
    show = bool(
        is_current and version.status == "published" and selectors.has_online_channel(version)
        and (len(version.components.all()) > 0 or eform_for(procedure) is not None)
    )
    return {"show": show, "procedure": procedure}
