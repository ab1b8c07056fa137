"""The life of a challenge: its states, the legal steps between them, what each state needs, and the
check a pull request gets when it changes a challenge (base version -> head version).

    draft -> open_for_pledges -> funded -> committed -> open_for_bids -> prototype -> pilot -> done
    open_for_pledges -> expired (the deadline passed before the goal was reached)
    any state before done -> withdrawn

Funding is all-or-nothing: "funded" needs the pledges that are not withdrawn to reach the goal, from at
least `min_supporters` buyers. Goal, currency, deadline and min_supporters are locked once pledging opens,
so nobody pledges to one target and finds another: a pull request that changes them is refused, with or
without a reason, and "funded" is judged against the goal the pledges were made to. To change the terms,
withdraw the challenge and start a new one the buyers pledge to again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from ..load import Document
from ..problems import Problem

HAPPY_PATH = ("draft", "open_for_pledges", "funded", "committed", "open_for_bids", "prototype", "pilot", "done")
STATES = (*HAPPY_PATH, "expired", "withdrawn")
TERMINAL = ("done", "expired", "withdrawn")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open_for_pledges", "withdrawn"),
    "open_for_pledges": ("funded", "expired", "withdrawn"),
    "funded": ("committed", "withdrawn"),
    "committed": ("open_for_bids", "withdrawn"),
    "open_for_bids": ("prototype", "withdrawn"),
    "prototype": ("pilot", "withdrawn"),
    "pilot": ("done", "withdrawn"),
    "done": (), "expired": (), "withdrawn": (),
}
FIRST_STATES = ("draft", "open_for_pledges")  # a new challenge starts here
FUNDED_STATES = HAPPY_PATH[2:]  # states that claim the goal was reached
BIDDING_STATES = HAPPY_PATH[4:]  # states in which bids may exist
WINNER_STATES = HAPPY_PATH[5:]  # states that need a winning bid
LOCKED_FUNDING = ("goal", "currency", "deadline", "min_supporters")
DEFAULT_MIN_SUPPORTERS = 2

# Fields each state adds to what the states before it on the happy path need.
NEEDS: dict[str, tuple[str, ...]] = {
    "open_for_pledges": ("outcomes", "criteria", "funding"),
    "committed": ("agreement",),
    "open_for_bids": ("procurement",),
    "pilot": ("pilot",),
    "done": ("catalog_service",),
}
WHAT: dict[str, str] = {
    "outcomes": "the desired outcomes", "criteria": "the success criteria",
    "funding": "the funding goal, currency and deadline", "agreement": "the joint procurement agreement",
    "procurement": "the call for bids (route and bid window)", "pilot": "the pilot municipalities and start date",
    "catalog_service": "the service in the catalog that came out of it", "withdrawn_reason": "why it was withdrawn",
}


def required_fields(state: str) -> tuple[str, ...]:
    if state == "withdrawn":
        return ("withdrawn_reason",)
    if state == "expired":
        return NEEDS["open_for_pledges"]
    upto = HAPPY_PATH[: HAPPY_PATH.index(state) + 1] if state in HAPPY_PATH else ()
    return tuple(f for s in upto for f in NEEDS.get(s, ()))


def legal_next(state: str) -> str:
    options = TRANSITIONS.get(state, ())
    return ", ".join(options) if options else "nothing (it is finished)"


def amount(value: int) -> str:
    """310 000: grouped with spaces, as both Norwegian and Swedish write it."""
    return f"{value:,}".replace(",", " ")


def pledge_buyer(doc: Document) -> str:
    return PurePosixPath(doc.relpath).stem


def active_pledges(pledges: Iterable[Document], currency: str | None) -> list[Document]:
    """Pledges that count towards the goal: not withdrawn and in the challenge's currency."""
    return [p for p in pledges if isinstance(p.data, dict) and p.data.get("status") != "withdrawn"
            and p.data.get("currency") == currency and isinstance(p.data.get("amount"), int)]


def funding_problems(challenge: Document, pledges: Iterable[Document]) -> list[Problem]:
    """A state at or after "funded" whose pledges do not reach the goal or the number of supporters."""
    data = challenge.data
    state, funding = data.get("state"), data.get("funding")
    if state not in FUNDED_STATES or not isinstance(funding, dict) or not isinstance(funding.get("goal"), int):
        return []
    counted = active_pledges(pledges, funding.get("currency"))
    total = sum(p.data["amount"] for p in counted)
    problems = []
    line, col = challenge.position(("state",))
    if total < funding["goal"]:
        problems.append(Problem(
            challenge.relpath, line, col,
            f"state '{state}' says the goal is reached, but the pledges add up to {amount(total)} of "
            f"{amount(funding['goal'])} {funding.get('currency')}",
            "keep 'open_for_pledges' until pledges (not withdrawn, in the challenge's currency) reach the goal",
            "challenge.underfunded"))
    wanted = funding.get("min_supporters", DEFAULT_MIN_SUPPORTERS)
    if len(counted) < wanted:
        problems.append(Problem(
            challenge.relpath, line, col,
            f"state '{state}' needs pledges from at least {wanted} buyers; there are {len(counted)}",
            "wait for more municipalities to pledge, or lower min_supporters while the challenge is a draft",
            "challenge.supporters"))
    return problems


def transition_problems(base: Document | None, head: Document | None,
                        pledges: Iterable[Document] = ()) -> list[Problem]:
    """What a pull request may not do to a challenge, given its front matter before and after the change.

    `base`/`head` are the front matter of challenges/<id>/index.md (load.load_markdown_bytes(...).front),
    None where the file does not exist; `pledges` are the head's pledges/<buyer>.yaml documents. Pure: no
    files, no git, no clock. Returns located problems on the head file (the base file for a deletion).
    """
    pledges = list(pledges)
    if head is None:
        if base is None or not isinstance(base.data, dict) or base.data.get("state") in (None, "draft"):
            return []
        line, col = base.position(("state",))
        return [Problem(base.relpath, line, col,
                        f"the challenge is deleted while it is '{base.data['state']}'; only a draft may be deleted",
                        "keep the file and set 'state: withdrawn' with a withdrawn_reason, so its history stays public",
                        "challenge.deleted")]
    if not isinstance(head.data, dict):
        return []
    new = head.data.get("state")
    problems: list[Problem] = []
    line, col = head.position(("state",))
    if base is None or not isinstance(base.data, dict):
        if new not in FIRST_STATES:
            problems.append(Problem(head.relpath, line, col, f"a new challenge cannot start as '{new}'",
                                    "start it as 'draft' or 'open_for_pledges'", "challenge.transition"))
    else:
        old = base.data.get("state")
        if old in TRANSITIONS and new != old and new not in TRANSITIONS[old]:
            problems.append(Problem(head.relpath, line, col, f"illegal state change: '{old}' -> '{new}'",
                                    f"from '{old}' a challenge can go to: {legal_next(old)}", "challenge.transition"))
        problems += _history_kept(base, head)
        problems += _funding_locked(base, head)
        problems += _funded_at_pledged_goal(base, head, pledges)
    problems += funding_problems(head, pledges)
    return problems


def _history_kept(base: Document, head: Document) -> list[Problem]:
    before, after = base.data.get("history"), head.data.get("history")
    if not isinstance(before, list) or not isinstance(after, list):
        return []
    if after[: len(before)] == before:
        return []
    index = next((i for i, entry in enumerate(before) if i >= len(after) or after[i] != entry), len(before) - 1)
    line, col = head.position(("history", min(index, len(after) - 1)) if after else ("history",))
    return [Problem(head.relpath, line, col, f"history entry {index + 1} was changed or removed",
                    "history is appended to, never rewritten: restore the earlier entries and add a new one at the end",
                    "challenge.history")]


def _pledging_opened(base: Document) -> bool:
    return base.data.get("state") not in (None, "draft")


def _terms(funding) -> dict:
    """The funding terms pledges are made to; min_supporters counts with its default."""
    funding = funding if isinstance(funding, dict) else {}
    return {**funding, "min_supporters": funding.get("min_supporters", DEFAULT_MIN_SUPPORTERS)}


def _shown(key: str, value) -> str:
    return amount(value) if key == "goal" and isinstance(value, int) else str(value)


def _funding_locked(base: Document, head: Document) -> list[Problem]:
    """Once buyers pledge, the terms they pledged to stay as they were: no reason makes a change legal."""
    if not _pledging_opened(base) or not isinstance(base.data.get("funding"), dict):
        return []
    before, after = _terms(base.data["funding"]), _terms(head.data.get("funding"))
    problems = []
    for key in LOCKED_FUNDING:
        if key not in before or after.get(key) == before[key]:
            continue
        present = isinstance(head.data.get("funding"), dict) and key in head.data["funding"]
        line, col = head.position(("funding", key) if present else ("funding",))
        problems.append(Problem(
            head.relpath, line, col,
            f"funding.{key} changed from {_shown(key, before[key])} to {_shown(key, after.get(key))} after pledging "
            f"opened",
            f"set it back to {_shown(key, before[key])}: the buyers pledged to these terms, so goal, currency, "
            "deadline and min_supporters are locked once pledging opens, with or without a reason. To change them, "
            "set 'state: withdrawn' with a withdrawn_reason and start a new challenge the buyers pledge to again",
            "challenge.locked"))
    return problems


def _funded_at_pledged_goal(base: Document, head: Document, pledges: list[Document]) -> list[Problem]:
    """'funded' is judged against the goal the buyers pledged to, not a goal lowered in the same change."""
    funding = base.data.get("funding")
    if (not _pledging_opened(base) or head.data.get("state") not in FUNDED_STATES or not isinstance(funding, dict)
            or not isinstance(funding.get("goal"), int)):
        return []
    after = head.data.get("funding") if isinstance(head.data.get("funding"), dict) else {}
    if after.get("goal") == funding["goal"] and after.get("currency") == funding.get("currency"):
        return []  # unchanged terms: funding_problems judges the head as it is
    if not _reaches(after, pledges):
        return []  # funding_problems already says the head's own goal is not reached
    total = sum(p.data["amount"] for p in active_pledges(pledges, funding.get("currency")))
    if total >= funding["goal"]:
        return []
    line, col = head.position(("state",))
    return [Problem(head.relpath, line, col,
                    f"state '{head.data['state']}' says the goal is reached, but the pledges add up to "
                    f"{amount(total)} of the {amount(funding['goal'])} {funding.get('currency')} they were made to",
                    "keep 'open_for_pledges' and the goal the buyers pledged to until their pledges reach it",
                    "challenge.underfunded")]


def _reaches(funding: dict, pledges: list[Document]) -> bool:
    goal = funding.get("goal")
    counted = active_pledges(pledges, funding.get("currency"))
    return not isinstance(goal, int) or sum(p.data["amount"] for p in counted) >= goal
