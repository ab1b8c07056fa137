"""WCAG success criteria named by a finding: from axe's rule tags, HTML_CodeSniffer's codes, our own checks."""

from __future__ import annotations

import re

_HTMLCS = re.compile(r"Guideline\d+_\d+\.(\d+)_(\d+)_(\d+)")


def criteria_of(runner: str, code: str, given: list | None) -> list[str]:
    """The SC numbers ("1.4.3") a finding names. axe's and our own come from the runner, htmlcs from the code."""
    if runner == "htmlcs":
        match = _HTMLCS.search(code or "")
        return [".".join(match.groups())] if match else []
    return sorted({str(sc) for sc in (given or []) if re.fullmatch(r"\d+\.\d+\.\d+", str(sc))},
                  key=lambda sc: tuple(int(p) for p in sc.split(".")))
