"""Validation of an order against the OASIS UBL 2.1 XML Schema (xmlschema).

The schemas are not part of this repository: give their folder (the UBL 2.1 release package's root,
its xsdrt/ or xsd/ folder, or a folder holding maindoc/UBL-Order-2.1.xsd) with --ubl-xsd or the
environment variable THINGWALLA_UBL_XSD. Without either, a copy next to the repository
(../shared/peer/ubl-2.1-xsd) is used when present; otherwise the order is reported as "not checked".
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ORDER_XSD = Path("maindoc") / "UBL-Order-2.1.xsd"
ENV = "THINGWALLA_UBL_XSD"


class SchemaNotFound(Exception):
    pass


@dataclass
class XsdReport:
    status: str  # valid | invalid | not-checked
    schema: str | None = None
    errors: list[str] = field(default_factory=list)
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "valid"


def find_order_xsd(explicit: str | Path | None, repo_root: Path | None = None) -> Path | None:
    """The Order schema file, or None when no schema folder is configured or found."""
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get(ENV):
        candidates.append(Path(os.environ[ENV]))
    elif repo_root is not None:
        candidates.append(Path(repo_root).resolve().parent / "shared" / "peer" / "ubl-2.1-xsd")
    for base in candidates:
        for folder in (base / "xsdrt", base / "xsd", base):
            if (folder / ORDER_XSD).is_file():
                return (folder / ORDER_XSD).resolve()
        if explicit or os.environ.get(ENV):
            raise SchemaNotFound(f"{base} holds no {ORDER_XSD.as_posix()} (looked in xsdrt/, xsd/ and the folder "
                                 "itself): give the folder of the OASIS UBL 2.1 schemas")
    return None


@cache
def _schema(path: str):
    import xmlschema

    # Every import of the UBL schemas is relative and local; refuse anything remote.
    return xmlschema.XMLSchema(path, defuse="always", allow="local")


def validate_order_xsd(root: ET.Element, xsd: Path | None) -> XsdReport:
    if xsd is None:
        return XsdReport("not-checked", reason="no UBL 2.1 schema folder was given or found "
                                              f"(use --ubl-xsd or {ENV})")
    schema = _schema(str(xsd))
    errors = []
    for error in schema.iter_errors(root):
        where = error.path or ""
        reason = (error.reason or str(error)).strip().splitlines()[0]
        errors.append(f"{where}: {reason}" if where else reason)
        if len(errors) >= 50:
            errors.append("… more errors not shown")
            break
    return XsdReport("invalid" if errors else "valid", str(xsd), errors)
