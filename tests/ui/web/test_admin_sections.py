"""The Django admin's sections: each of our apps is named in Chinese first, and in English when asked."""

from __future__ import annotations

import re

from django.contrib import admin
from django.utils import translation

CJK = re.compile(r"[\u4e00-\u9fff]")


def _our_sections() -> dict[str, str]:
    return {
        model._meta.app_label: str(model._meta.app_config.verbose_name)
        for model in admin.site._registry
        if model.__module__.startswith("gridgov.")
    }


def test_every_admin_section_of_ours_reads_in_chinese_then_in_english():
    assert {label: name for label, name in _our_sections().items() if not CJK.search(name)} == {}
    with translation.override("en"):
        assert {label: name for label, name in _our_sections().items() if CJK.search(name)} == {}
