"""Static files built by `npm run build` (the ECharts bundle, Leaflet): named only when they exist."""

from __future__ import annotations

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def built_static(path: str) -> str:
    """The URL of a built front-end file, or "" where it was not built (no Node.js, or collectstatic ran
    without it): the page then leaves the script out and renders without its charts or map."""
    try:
        url = static(path)
    except ValueError:  # a manifest storage that has never seen the file
        return ""
    if finders.find(path) is None and not staticfiles_storage.exists(path):
        return ""
    return url
