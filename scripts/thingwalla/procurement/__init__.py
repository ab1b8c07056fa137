"""Procurement: from a service plan to a lawful route, a contract draft and a Peppol order.

Public procurement law limits what "one click" can lawfully do, so this package first says which
routes are lawful for a buyer, a service plan and a term (`route.assess`), then writes the documents
for the chosen route (`documents.write_documents`): a contract draft (HTML and PDF), a Peppol BIS
order (UBL 2.1, only where the route allows ordering now) and a procurement record with hashes.

Everything the law says lives as data in catalog/procurement/ (dated thresholds, sources, the wording
of every statement, frameworks, dynamic purchasing systems, Peppol code lists); the code only decides
which statements apply. Buyers, services and plans come from the validated catalog model.
"""

from __future__ import annotations

from .data import ProcurementData, ProcurementDataError, load_procurement_data
from .route import Assessment, RequestError, RouteRequest, assess

__all__ = ["Assessment", "ProcurementData", "ProcurementDataError", "RequestError", "RouteRequest", "assess",
           "load_procurement_data"]
