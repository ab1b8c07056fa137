"""Read and check challenges/: each challenge's front matter, its pledges and its bids, with every problem
located. Called by the validator (validate/__init__.py) after the catalog, whose ids it refers to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..load import Document, MarkdownDocument, load_file, load_markdown_file
from ..problems import Problem
from ..validate.references import Index, _unknown
from ..validate.schema import check_schema
from . import lifecycle

FOLDER = "challenges"


@dataclass
class ChallengeFiles:
    """One challenge folder as read: the front matter and body, and the pledges and bids that loaded."""

    markdown: MarkdownDocument
    pledges: list[Document] = field(default_factory=list)
    bids: list[Document] = field(default_factory=list)
    valid: bool = True  # no errors in the folder: the site shows only valid challenges

    @property
    def front(self) -> Document:
        return self.markdown.front


def read_challenges(root: Path, index: Index, today: dt.date) -> tuple[list[ChallengeFiles], list[Problem], int]:
    """(challenges, problems, files read)."""
    from ..validate import schema_line

    base = root / FOLDER
    problems: list[Problem] = []
    out: list[ChallengeFiles] = []
    read = 0
    if not base.is_dir():
        return out, problems, read
    for folder in sorted(p for p in base.iterdir() if not p.name.startswith(".")):
        rel = f"{FOLDER}/{folder.name}"
        if not folder.is_dir():
            if folder.name.lower() != "readme.md":
                problems.append(Problem(rel, 1, 1, "a file directly in challenges/ is not read",
                                        "put each challenge in its own folder: challenges/<id>/index.md", "layout.stray"))
            continue
        index_md = folder / "index.md"
        if not index_md.is_file():
            problems.append(Problem(rel, 1, 1, "the challenge folder has no index.md",
                                    "add index.md with the challenge's front matter, or remove the folder", "layout.missing"))
            continue
        read += 1
        markdown, found = load_markdown_file(index_md, f"{rel}/index.md")
        before = len(problems)
        problems += found
        for stray in sorted(folder.iterdir()):
            if stray.name not in ("index.md", "pledges", "bids") and not stray.name.startswith("."):
                problems.append(Problem(f"{rel}/{stray.name}", 1, 1, "only index.md, pledges/ and bids/ are read here",
                                        "move the file, or remove it", "layout.stray"))
        parties: dict[str, list[Document]] = {"pledges": [], "bids": []}
        for kind, sub in (("pledge", "pledges"), ("bid", "bids")):
            for path in sorted((folder / sub).glob("*")) if (folder / sub).is_dir() else []:
                prel = f"{rel}/{sub}/{path.name}"
                if path.name.startswith("."):
                    continue
                if not (path.is_file() and path.suffix == ".yaml"):
                    problems.append(Problem(prel, 1, 1, f"only <id>.yaml files are read in {sub}/",
                                            "rename the file to end in .yaml" if path.suffix == ".yml" else "remove it",
                                            "layout.stray"))
                    continue
                read += 1
                doc, found = load_file(path, prel)
                problems += found
                if doc is None:
                    continue
                header = schema_line(prel, kind)
                if doc.first_line != header:
                    problems.append(Problem(prel, 1, 1, "the first line must name the entry's schema",
                                            f"make line 1 exactly: {header}", "schema.header"))
                found = check_schema(doc, kind)
                problems += found
                if not found:
                    parties[sub].append(doc)
        if markdown is None:
            continue
        front = markdown.front
        found = check_schema(front, "challenge")
        problems += found
        if found or not isinstance(front.data, dict):
            continue
        if front.data["id"] != folder.name:
            line, col = front.position(("id",))
            problems.append(Problem(front.relpath, line, col,
                                    f"id '{front.data['id']}' does not match the folder name '{folder.name}'",
                                    f"set 'id: {folder.name}', or rename the folder", "ref.id_name"))
        entry = ChallengeFiles(markdown, parties["pledges"], parties["bids"])
        problems += check_challenge(entry, index, today)
        entry.valid = not any(p.severity == "error" for p in problems[before:])
        out.append(entry)
    return out, problems, read


def check_challenge(entry: ChallengeFiles, index: Index, today: dt.date) -> list[Problem]:
    doc, data = entry.front, entry.front.data
    state = data["state"]
    problems: list[Problem] = []
    line, col = doc.position(("state",))
    for name in lifecycle.required_fields(state):
        if name not in data:
            problems.append(Problem(doc.relpath, line, col, f"state '{state}' needs '{name}': {lifecycle.WHAT[name]}",
                                    f"add '{name}:' to the front matter, or keep an earlier state", "challenge.required"))
    # references to the catalog
    if data["started_by"] not in index.buyers:
        problems.append(_unknown(doc, ("started_by",), "buyer", data["started_by"], index.buyers,
                                 "use the id of a buyer in catalog/buyers/"))
    if data["category"] not in index.categories:
        problems.append(_unknown(doc, ("category",), "category", data["category"], index.categories,
                                 "use an id from catalog/taxonomy/categories.yaml"))
    for i, reg in enumerate(data.get("compliance", [])):
        if reg not in index.regulations:
            problems.append(_unknown(doc, ("compliance", i), "regulation", reg, index.regulations,
                                     "use an id from catalog/taxonomy/regulations.yaml"))
    if "agreement" in data and data["agreement"]["lead"] not in index.buyers:
        problems.append(_unknown(doc, ("agreement", "lead"), "buyer", data["agreement"]["lead"], index.buyers,
                                 "the lead contracting authority is a buyer in catalog/buyers/"))
    for i, buyer in enumerate(data.get("pilot", {}).get("municipalities", [])):
        if buyer not in index.buyers:
            problems.append(_unknown(doc, ("pilot", "municipalities", i), "buyer", buyer, index.buyers,
                                     "use the id of a buyer in catalog/buyers/"))
    if "catalog_service" in data and data["catalog_service"] not in index.services:
        problems.append(_unknown(doc, ("catalog_service",), "service", data["catalog_service"], index.services,
                                 "use the folder name of a service in catalog/services/"))
    problems += _dates(doc, today)
    problems += _history(doc, today)
    problems += lifecycle.funding_problems(doc, entry.pledges)
    problems += _deadline(doc, entry.pledges, today)
    problems += _pledges(entry, index, today)
    problems += _bids(entry, index, today)
    return problems


def _not_future(doc: Document, where: tuple, value: str, today: dt.date) -> list[Problem]:
    if dt.date.fromisoformat(value) <= today:
        return []
    line, col = doc.position(where)
    return [Problem(doc.relpath, line, col, f"the date {value} is in the future",
                    f"this date records something that has happened; use {today.isoformat()} or earlier", "dates.future")]


def _dates(doc: Document, today: dt.date) -> list[Problem]:
    data, problems = doc.data, []
    problems += _not_future(doc, ("started",), data["started"], today)
    if "agreement" in data:
        problems += _not_future(doc, ("agreement", "signed"), data["agreement"]["signed"], today)
    procurement = data.get("procurement")
    if procurement and procurement["bids_close"] < procurement["bids_open"]:
        line, col = doc.position(("procurement", "bids_close"))
        problems.append(Problem(doc.relpath, line, col, f"bids close ({procurement['bids_close']}) before they open "
                                f"({procurement['bids_open']})", "check the two dates", "dates.order"))
    return problems


def _history(doc: Document, today: dt.date) -> list[Problem]:
    data, problems = doc.data, []
    history = data["history"]
    first = history[0]["state"]
    if first not in lifecycle.FIRST_STATES:
        line, col = doc.position(("history", 0, "state"))
        problems.append(Problem(doc.relpath, line, col, f"the history starts in '{first}'",
                                "a challenge starts as 'draft' or 'open_for_pledges'", "challenge.history"))
    for i, entry in enumerate(history):
        problems += _not_future(doc, ("history", i, "date"), entry["date"], today)
        if i == 0:
            continue
        previous = history[i - 1]
        if entry["date"] < previous["date"]:
            line, col = doc.position(("history", i, "date"))
            problems.append(Problem(doc.relpath, line, col, f"history entry {i + 1} is dated before the one above it",
                                    "list the states oldest first", "challenge.history"))
        if entry["state"] not in lifecycle.TRANSITIONS[previous["state"]]:
            line, col = doc.position(("history", i, "state"))
            problems.append(Problem(doc.relpath, line, col,
                                    f"illegal state change in the history: '{previous['state']}' -> '{entry['state']}'",
                                    f"from '{previous['state']}' a challenge can go to: "
                                    f"{lifecycle.legal_next(previous['state'])}", "challenge.transition"))
    if history[-1]["state"] != data["state"]:
        line, col = doc.position(("state",))
        problems.append(Problem(doc.relpath, line, col,
                                f"state is '{data['state']}' but the last history entry says '{history[-1]['state']}'",
                                f"add '- {{date: {today.isoformat()}, state: {data['state']}}}' at the end of history",
                                "challenge.history"))
    return problems


def _deadline(doc: Document, pledges: list[Document], today: dt.date) -> list[Problem]:
    data = doc.data
    funding = data.get("funding")
    if not funding:
        return []
    deadline = dt.date.fromisoformat(funding["deadline"])
    line, col = doc.position(("state",))
    total = sum(p.data["amount"] for p in lifecycle.active_pledges(pledges, funding["currency"]))
    if data["state"] == "open_for_pledges" and deadline < today:
        return [Problem(doc.relpath, line, col, f"the pledge deadline {funding['deadline']} has passed",
                        "set 'state: expired' (or 'funded' if the goal was reached in time)", "challenge.deadline",
                        "warning")]
    if data["state"] == "expired":
        if deadline >= today:
            return [Problem(doc.relpath, line, col, f"'expired' before the deadline {funding['deadline']}",
                            "keep 'open_for_pledges' until the deadline has passed, or withdraw the challenge",
                            "challenge.deadline")]
        if total >= funding["goal"]:
            return [Problem(doc.relpath, line, col, "'expired' although the pledges reach the goal",
                            "set 'state: funded'", "challenge.deadline")]
    for i, entry in enumerate(data["history"]):
        if entry["state"] == "funded" and entry["date"] > funding["deadline"]:
            hline, hcol = doc.position(("history", i, "date"))
            return [Problem(doc.relpath, hline, hcol, f"funded on {entry['date']}, after the deadline {funding['deadline']}",
                            "funding is all-or-nothing by the deadline: the challenge expired instead",
                            "challenge.deadline")]
    return []


def _pledges(entry: ChallengeFiles, index: Index, today: dt.date) -> list[Problem]:
    data, problems = entry.front.data, []
    funding = data.get("funding") or {}
    reached = [h["state"] for h in data["history"]]
    for doc in entry.pledges:
        buyer = lifecycle.pledge_buyer(doc)
        if buyer not in index.buyers:
            problems.append(Problem(doc.relpath, 1, 1, f"unknown buyer '{buyer}' (the file name)",
                                    "name the file after a buyer in catalog/buyers/: pledges/<buyer>.yaml", "ref.buyer"))
        if reached == ["draft"]:
            problems.append(Problem(doc.relpath, 1, 1, "the challenge is a draft and does not take pledges yet",
                                    "pledge once its state is 'open_for_pledges'", "challenge.pledge_state"))
        if funding and doc.data["currency"] != funding["currency"]:
            line, col = doc.position(("currency",))
            problems.append(Problem(doc.relpath, line, col, f"the pledge is in {doc.data['currency']}, the challenge in "
                                    f"{funding['currency']}", f"give the amount in {funding['currency']}", "pledge.currency"))
        problems += _not_future(doc, ("date",), doc.data["date"], today)
        if funding and doc.data["date"] > funding["deadline"]:
            line, col = doc.position(("date",))
            problems.append(Problem(doc.relpath, line, col, f"pledged on {doc.data['date']}, after the deadline "
                                    f"{funding['deadline']}", "pledges count only up to the deadline", "pledge.late"))
    return problems


def _bids(entry: ChallengeFiles, index: Index, today: dt.date) -> list[Problem]:
    data, problems = entry.front.data, []
    reached = {h["state"] for h in data["history"]}
    funding, window = data.get("funding") or {}, data.get("procurement")
    for doc in entry.bids:
        vendor = lifecycle.pledge_buyer(doc)
        if vendor not in index.vendors:
            problems.append(Problem(doc.relpath, 1, 1, f"unknown vendor '{vendor}' (the file name)",
                                    "name the file after a vendor in catalog/vendors/: bids/<vendor>.yaml", "ref.vendor"))
        if "open_for_bids" not in reached:
            problems.append(Problem(doc.relpath, 1, 1, "the challenge has not been open for bids",
                                    "bid once its state is 'open_for_bids'", "challenge.bid_state"))
        if funding and doc.data["currency"] != funding["currency"]:
            line, col = doc.position(("currency",))
            problems.append(Problem(doc.relpath, line, col, f"the bid is in {doc.data['currency']}, the challenge in "
                                    f"{funding['currency']}", f"give the price in {funding['currency']}", "bid.currency"))
        problems += _not_future(doc, ("submitted",), doc.data["submitted"], today)
        if window and not window["bids_open"] <= doc.data["submitted"] <= window["bids_close"]:
            line, col = doc.position(("submitted",))
            problems.append(Problem(doc.relpath, line, col, f"submitted on {doc.data['submitted']}, outside the bid window "
                                    f"{window['bids_open']} – {window['bids_close']}", "bids count only inside the window",
                                    "bid.late"))
        if doc.data["status"] == "winner" and data["state"] not in lifecycle.WINNER_STATES + ("withdrawn",):
            line, col = doc.position(("status",))
            problems.append(Problem(doc.relpath, line, col, f"a winner is named while the challenge is '{data['state']}'",
                                    "name winners when the challenge moves to 'prototype'", "bid.winner"))
    if data["state"] in lifecycle.WINNER_STATES and not any(b.data["status"] == "winner" for b in entry.bids):
        line, col = entry.front.position(("state",))
        problems.append(Problem(entry.front.relpath, line, col, f"state '{data['state']}' needs a winning bid",
                                "set 'status: winner' in the chosen bids/<vendor>.yaml", "challenge.winner"))
    return problems
