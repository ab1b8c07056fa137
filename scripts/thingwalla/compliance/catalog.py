"""The engine applied to the model (site, catalog.json, CLI): one assessment per service and date."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .data import Rulebook
from .engine import Assessment, assess
from .verification import A11yResults, load_a11y_results

A11Y_RESULTS_ENV = "THINGWALLA_A11Y_RESULTS"


def assess_service(service, rulebook: Rulebook | None, today: dt.date, a11y: A11yResults | None = None) -> Assessment:
    """Assessment of a model Service, memoised on the service (pages ask for it several times)."""
    cache = service.__dict__.setdefault("_assessments", {})
    key = (today, id(rulebook), id(a11y))
    if key not in cache:
        kinds = {c.regulation.id: c.regulation.kind for c in service.compliance}
        cache[key] = assess(service.facts, rulebook or Rulebook(), today, vendor_country=service.vendor.country,
                            vendor_name=service.vendor.legal_name, regulation_kinds=kinds, a11y=a11y)
    return cache[key]


def a11y_results_from_env(root: Path | None = None) -> A11yResults | None:
    """Accessibility results named by THINGWALLA_A11Y_RESULTS (relative to the repository), if set."""
    value = os.environ.get(A11Y_RESULTS_ENV)
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute() and root is not None:
        path = root / path
    return load_a11y_results(path, value)
