"""Template helpers of the back office."""

from django import template

register = template.Library()


@register.simple_tag
def widget(field, **attrs):
    """The field's input, tied to its error message for screen readers when it has one."""
    if field.errors:
        attrs["aria-invalid"] = "true"
        described = [f"{field.auto_id}_helptext"] if field.help_text else []
        attrs["aria-describedby"] = " ".join([*described, f"{field.auto_id}-loi"])
    return field.as_widget(attrs=attrs)


@register.filter
def person(user) -> str:
    """An official's name in Vietnamese order (family name first), else the login name."""
    from motcua.backoffice.presenters import person as name_of

    return name_of(user)
