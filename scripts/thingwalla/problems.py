"""The one error type every stage reports: a located problem a vendor can act on."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # repository-relative, with forward slashes
    line: int  # 1-based; 1 when the whole file is meant
    column: int  # 1-based
    message: str
    hint: str = ""
    code: str = ""  # stable identifier of the rule, e.g. "ref.vendor"
    severity: str = "error"  # "error" or "warning"

    def as_text(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_github(self) -> str:
        # Workflow command: ::error file=…,line=…,col=…,title=…::message
        level = "warning" if self.severity == "warning" else "error"
        body = self.message + (f" — {self.hint}" if self.hint else "")
        return (
            f"::{level} file={_gh_property(self.path)},line={self.line},col={self.column},"
            f"title={_gh_property(self.code or 'thingwalla')}::{_gh_data(body)}"
        )

    def as_dict(self) -> dict:
        return asdict(self)


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def format_problems(problems: list[Problem], fmt: str) -> str:
    """Render problems as text, JSON or GitHub workflow annotations."""
    ordered = sorted(problems)
    if fmt == "json":
        errors = sum(p.severity == "error" for p in ordered)
        return json.dumps(
            {"errors": errors, "warnings": len(ordered) - errors, "problems": [p.as_dict() for p in ordered]},
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(p.as_github() for p in ordered)
    return "\n".join(p.as_text() for p in ordered)
