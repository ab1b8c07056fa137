"""The compliance rule engine.

Rules are data (catalog/compliance/rules.yaml: id, regulation, legal source, where it applies,
severity, messages in bokmål and English); each rule has one small Python check in checks_*.py.
The engine runs the checks on a service's declared facts and turns the results, the vendor's
evidence and automatic checks into one state per regulation:
declared → evidenced → verified → expiring → expired. Badges on the site come only from here.

Stages: data.py (load and validate the rule data) → facts.py (what a check may ask of a service)
→ checks_*.py (one function per rule) → engine.py (run the rules) → evidence.py (states)
→ buyers.py (buyer requirement verdicts). verification.py reads automatic check results.
"""

from .data import Rulebook, check_compliance_data
from .engine import Assessment, RuleResult, assess

__all__ = ["Assessment", "RuleResult", "Rulebook", "assess", "check_compliance_data"]
