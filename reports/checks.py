"""System checks: a meaningful threshold, and export files kept out of every public folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from reports.suppression import MINIMUM_THRESHOLD


@register()
def check_report_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    threshold = settings.REPORT_SUPPRESSION_THRESHOLD
    if not isinstance(threshold, int) or threshold < MINIMUM_THRESHOLD:
        errors.append(
            Error(
                f"REPORT_SUPPRESSION_THRESHOLD must be a whole number of at least {MINIMUM_THRESHOLD}.",
                id="reports.E001",
            )
        )
    exports = Path(settings.REPORT_EXPORT_DIR).resolve()
    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        public = getattr(settings, name, None)
        if public and (exports == Path(public).resolve() or Path(public).resolve() in exports.parents):
            errors.append(
                Error(f"REPORT_EXPORT_DIR must not be inside {name}: exports are private.", id="reports.E002")
            )
    return errors


@register()
def check_funder_items(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every item of an award's form is answered by a registered measure (a typo would answer "none" forever)."""
    from reports.funder import funder_items, funder_templates
    from reports.measures import measure_keys

    known = set(measure_keys())
    return [
        Error(
            f"Funder item {item.code!r} of {template.key!r} names no registered measure {item.measure!r}.",
            id="reports.E003",
        )
        for template in funder_templates()
        for item in funder_items(template.key)
        if item.measure not in known
    ]
