"""Innovation challenges (challenges/): the lifecycle a pull request must follow, checked over real git
history in tmp; pledge sums; the exact message (file:line:col) for each mistake in a challenge; and the
built site's challenge pages in headless chromium."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import BUYER, REPO, Repo, screenshot
from pr_helpers import ON_DATE, GitCatalog
from thingwalla.challenges import lifecycle
from thingwalla.challenges.model import build_challenges
from thingwalla.load import load_bytes
from thingwalla.model import build_catalog
from thingwalla.pr.check import run_check
from thingwalla.site import i18n

C = "challenges/snow-clearing/index.md"
PLEDGES = "challenges/snow-clearing/pledges"
PLEDGE_HEADER = "# yaml-language-server: $schema=../../../scripts/thingwalla/schemas/pledge.schema.json\n"
BID_HEADER = "# yaml-language-server: $schema=../../../scripts/thingwalla/schemas/bid.schema.json\n"
# Two more municipalities that can pledge (valid organisation numbers and municipality codes of their own).
NABO = (BUYER.replace("id: testby", "id: nabo").replace("Testby kommune", "Nabo kommune")
        .replace('"999888003"', '"999888011"').replace('"3999"', '"3998"').replace("testby-it", "nabo-it"))
FJELL = (BUYER.replace("id: testby", "id: fjell").replace("Testby kommune", "Fjell kommune")
         .replace('"999888003"', '"999888038"').replace('"3999"', '"3997"').replace("testby-it", "fjell-it"))

# The happy path: each state, the date it was reached and the fields it adds (line 18 onwards).
STEPS = (
    ("draft", "2026-03-01", ""),
    ("open_for_pledges", "2026-04-01", ""),
    ("funded", "2026-06-01", ""),
    ("committed", "2026-06-15", 'agreement: {reference: "2026/77", lead: testby, signed: 2026-06-15}\n'),
    ("open_for_bids", "2026-07-01",
     "procurement: {route: below_threshold, bids_open: 2026-07-01, bids_close: 2026-08-15}\n"),
    ("prototype", "2026-09-01", ""),
    ("pilot", "2026-10-01", "pilot: {municipalities: [testby, nabo], starts: 2026-10-01}\n"),
    ("done", "2026-11-20", "catalog_service: demo\n"),
)


def challenge(upto: str = "draft", state: str | None = None, goal: int = 300000, deadline: str = "2026-12-31",
              history: list[tuple[str, str]] | None = None, started_by: str = "testby") -> str:
    """challenges/snow-clearing/index.md as it is once `upto` is reached. Line numbers are part of the tests:
    state on line 7, funding.goal on 15, the fields of later states from line 18, then the history."""
    reached = STEPS[: [s for s, _, _ in STEPS].index(upto) + 1]
    history = history if history is not None else [(date, s) for s, date, _ in reached]
    return ("---\n"
            "id: snow-clearing\n"
            "title: {nb: Brøyting ved behov, en: Snow clearing on demand}\n"
            "summary: {nb: Brøyt når det trengs., en: Clear snow when it is needed.}\n"
            f"started_by: {started_by}\n"
            "started: 2026-03-01\n"
            f"state: {state or upto}\n"
            "category: transportation\n"
            "problem: {nb: Brøytebilene kjører fast rute., en: The ploughs drive a fixed route.}\n"
            "outcomes:\n"
            "  - {nb: Færre tomkjøringer, en: Fewer empty runs}\n"
            "criteria:\n"
            "  - {nb: Kortere kjøring, en: Less driving}\n"
            "funding:\n"
            f"  goal: {goal}\n"
            "  currency: NOK\n"
            f"  deadline: {deadline}\n"
            + "".join(fields for _, _, fields in reached)
            + "history:\n"
            + "".join(f"  - {{date: {date}, state: {s}}}\n" for date, s in history)
            + "---\nKommunen brøyter i dag etter fast rute.\n")


def pledge(amount: int, currency: str = "NOK", date: str = "2026-04-10", status: str = "approved") -> str:
    return (PLEDGE_HEADER + f"amount: {amount}\ncurrency: {currency}\ndate: {date}\nstatus: {status}\n"
            "authorised_by_role: Kommunedirektør\n")


def bid(status: str = "submitted") -> str:
    return (BID_HEADER + "submitted: 2026-07-20\nsummary: {nb: Ruter fra værdata., en: Routes from weather data.}\n"
            "price: 140000\ncurrency: NOK\n"
            "team:\n  - name: Kari Nordmann\n    role: {nb: Prosjektleder, en: Project lead}\n"
            f"status: {status}\n")


class History(GitCatalog):
    """The pull-request fixture (acme, beta, demo, testby on `main`) plus the buyer nabo. `pr()` commits a
    change and checks it against main; `merge()` fast-forwards main to it, as merging the pull request does."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.buyer(NABO, "nabo")
        self.merge("nabo joins")

    def merge(self, message: str = "merged") -> None:
        self.commit(message)
        self.git.git.branch("-f", "main", "HEAD")

    def pr(self, message: str, author: str, approvers: list[str] = (), on_date: dt.date = ON_DATE):
        self.commit(message)
        return run_check(self.root, "main", "HEAD", author=author, approvers=list(approvers), on_date=on_date)

    def state(self, upto: str, **kwargs) -> None:
        self.write(C, challenge(upto, **kwargs))


@pytest.fixture
def history(tmp_path) -> History:
    return History(tmp_path / "repo")


def errors(result) -> list[str]:
    return [f"{p.path}:{p.line}:{p.column}: {p.message}" for p in result.problems if p.severity == "error"]


def problems_of(result, kind: str, ident: str) -> list[str]:
    entry = next(e for e in result.entries if (e.change.kind, e.change.id) == (kind, ident))
    return [f"{p.path}:{p.line}:{p.column}: {p.message}" for p in entry.problems]


def opened_with(history: History, pledges: dict[str, int]) -> None:
    """main: the challenge open for pledges, with these pledges."""
    history.state("draft")
    history.merge("draft")
    history.state("open_for_pledges")
    for buyer, amount in pledges.items():
        history.write(f"{PLEDGES}/{buyer}.yaml", pledge(amount))
    history.merge("open for pledges")


# -- the lifecycle over real git history ---------------------------------------------------------------

def test_the_whole_lifecycle_one_pull_request_at_a_time(history):
    history.state("draft")
    result = history.pr("a buyer starts a challenge", author="testby-it")
    assert result.passed, errors(result)
    assert result.mode == "incremental"  # the challenge, what it names and the taxonomy: not the whole catalog
    history.merge()

    history.state("open_for_pledges")
    history.write(f"{PLEDGES}/testby.yaml", pledge(150000))
    result = history.pr("open for pledges, and the first pledge", author="testby-it")
    assert result.passed, errors(result)
    history.merge()

    history.write(f"{PLEDGES}/nabo.yaml", pledge(150000, date="2026-05-02"))
    result = history.pr("a neighbour pledges", author="nabo-it")
    assert result.passed, errors(result)
    assert [(e.change.kind, e.change.id) for e in result.entries] == [("pledge", "snow-clearing/nabo")]
    history.merge()

    for upto, author in (("funded", "testby-it"), ("committed", "testby-it"), ("open_for_bids", "testby-it")):
        history.state(upto)
        result = history.pr(upto, author=author)
        assert result.passed, (upto, errors(result))
        history.merge()

    history.write("challenges/snow-clearing/bids/acme.yaml", bid())
    result = history.pr("acme bids", author="acme-dev")
    assert result.passed, errors(result)
    history.merge()

    history.state("prototype")
    history.write("challenges/snow-clearing/bids/acme.yaml", bid("winner"))
    result = history.pr("acme wins", author="testby-it", approvers=["acme-dev"])
    assert result.passed, errors(result)
    history.merge()

    for upto in ("pilot", "done"):
        history.state(upto)
        result = history.pr(upto, author="testby-it")
        assert result.passed, (upto, errors(result))
        history.merge()

    # done is final: going back to the pilot is refused, at the state and at the history entry.
    back = [(d, s) for s, d, _ in STEPS] + [("2026-12-01", "pilot")]
    history.write(C, challenge("done", state="pilot", history=back))
    result = history.pr("back to the pilot", author="testby-it")
    assert errors(result) == [
        f"{C}:7:8: illegal state change: 'done' -> 'pilot'",
        f"{C}:31:31: illegal state change in the history: 'done' -> 'pilot'",
    ]
    illegal = next(p for p in result.problems if p.line == 7)
    assert illegal.hint == "from 'done' a challenge can go to: nothing (it is finished)"


def test_funded_with_too_few_pledges_is_refused(history):
    opened_with(history, {"testby": 150000})
    history.state("funded")
    result = history.pr("funded too early", author="testby-it")
    assert errors(result) == [
        f"{C}:7:8: state 'funded' needs pledges from at least 2 buyers; there are 1",
        f"{C}:7:8: state 'funded' says the goal is reached, but the pledges add up to 150 000 of 300 000 NOK",
    ]
    problem = next(p for p in result.problems if "goal is reached" in p.message)
    assert problem.hint == ("keep 'open_for_pledges' until pledges (not withdrawn, in the challenge's currency) reach "
                            "the goal")
    from thingwalla.pr import report

    assert (f"`{C}:7:8` — state 'funded' says the goal is reached, but the pledges add up to 150 000 of 300 000 NOK"
            in report.markdown(result))


def test_skipping_a_state_is_refused(history):
    opened_with(history, {"testby": 150000, "nabo": 150000})
    history.write(C, challenge("committed", history=[(d, s) for s, d, _ in STEPS[:2]] + [("2026-06-15", "committed")]))
    result = history.pr("skip funded", author="testby-it")
    assert errors(result) == [
        f"{C}:7:8: illegal state change: 'open_for_pledges' -> 'committed'",
        f"{C}:22:31: illegal state change in the history: 'open_for_pledges' -> 'committed'",
    ]
    assert next(p for p in result.problems if p.line == 7).hint == ("from 'open_for_pledges' a challenge can go to: "
                                                                   "funded, expired, withdrawn")


def test_a_goal_lowered_to_what_was_pledged_does_not_make_it_funded(history):
    opened_with(history, {"testby": 150000, "nabo": 50000})
    history.state("funded", goal=200000)
    result = history.pr("lower the goal and call it funded", author="testby-it")
    assert errors(result) == [
        f"{C}:7:8: state 'funded' says the goal is reached, but the pledges add up to 200 000 of the 300 000 NOK they "
        "were made to",
        f"{C}:15:9: funding.goal changed from 300 000 to 200 000 after pledging opened",
    ]
    locked = next(p for p in result.problems if p.code == "challenge.locked")
    assert locked.hint == ("set it back to 300 000: the buyers pledged to these terms, so goal, currency, deadline and "
                           "min_supporters are locked once pledging opens, with or without a reason. To change them, "
                           "set 'state: withdrawn' with a withdrawn_reason and start a new challenge the buyers pledge "
                           "to again")


def test_the_funding_terms_are_locked_once_pledging_opens_but_not_in_a_draft(history):
    history.state("draft")
    history.merge()
    history.state("draft", goal=250000, deadline="2027-01-31")
    assert history.pr("a draft may change its terms", author="testby-it").passed
    history.merge()
    history.state("open_for_pledges", goal=250000, deadline="2027-01-31")
    history.merge()
    # Fewer supporters needed is a lower bar too: refused like a lower goal.
    history.write(C, challenge("open_for_pledges", goal=250000, deadline="2027-01-31").replace(
        "  currency: NOK\n", "  currency: NOK\n  min_supporters: 1\n"))
    result = history.pr("one supporter is enough", author="testby-it")
    assert errors(result) == [f"{C}:17:19: funding.min_supporters changed from 2 to 1 after pledging opened"]


def test_withdrawing_a_pledge_from_a_funded_challenge_is_refused_on_the_pledge(history):
    opened_with(history, {"testby": 150000, "nabo": 150000})
    history.state("funded")
    history.merge()
    history.write(f"{PLEDGES}/nabo.yaml", pledge(150000, status="withdrawn"))
    result = history.pr("nabo withdraws", author="nabo-it")
    expected = [f"{C}:7:8: state 'funded' needs pledges from at least 2 buyers; there are 1",
                f"{C}:7:8: state 'funded' says the goal is reached, but the pledges add up to 150 000 of 300 000 NOK"]
    assert errors(result) == expected  # each once, though the validator finds one of them too
    assert problems_of(result, "pledge", "snow-clearing/nabo") == expected
    assert result.elsewhere == []


def test_deleting_a_challenge_is_refused_unless_it_is_a_draft(history):
    opened_with(history, {"testby": 150000})
    history.remove("challenges/snow-clearing")
    result = history.pr("delete it", author="testby-it")
    assert errors(result) == [f"{C}:7:8: the challenge is deleted while it is 'open_for_pledges'; only a draft may be "
                              "deleted"]
    assert result.problems[0].hint == ("keep the file and set 'state: withdrawn' with a withdrawn_reason, so its "
                                       "history stays public")

    history.git.git.reset("--hard", "main")
    history.write(C.replace("snow-clearing", "idea"), challenge("draft").replace("id: snow-clearing", "id: idea"))
    history.merge("an idea")
    history.remove("challenges/idea")
    assert history.pr("drop the idea", author="testby-it").passed


def test_a_challenge_expires_only_after_its_deadline(history):
    history.state("draft", deadline="2026-11-30")
    history.merge()
    history.state("open_for_pledges", deadline="2026-11-30")
    history.write(f"{PLEDGES}/testby.yaml", pledge(100000))
    history.merge()
    history.write(C, challenge("open_for_pledges", state="expired", deadline="2026-11-30",
                               history=[(d, s) for s, d, _ in STEPS[:2]] + [("2026-11-20", "expired")]))
    early = history.pr("expire early", author="testby-it", on_date=dt.date(2026, 11, 20))
    assert errors(early) == [f"{C}:7:8: 'expired' before the deadline 2026-11-30"]
    history.git.git.reset("--soft", "HEAD~1")
    history.write(C, challenge("open_for_pledges", state="expired", deadline="2026-11-30",
                               history=[(d, s) for s, d, _ in STEPS[:2]] + [("2026-12-01", "expired")]))
    result = history.pr("the deadline has passed", author="testby-it")
    assert result.passed, errors(result)


def test_a_buyer_that_pledged_cannot_be_deleted_quietly(history):
    opened_with(history, {"testby": 150000, "nabo": 100000})
    history.remove("catalog/buyers/nabo.yaml")
    result = history.pr("nabo leaves the catalog", author="nabo-it")
    assert errors(result) == [f"{PLEDGES}/nabo.yaml:1:1: unknown buyer 'nabo' (the file name)"]


# -- pledge sums -----------------------------------------------------------------------------------------

@pytest.fixture
def backed(repo: Repo) -> Repo:
    repo.buyer(NABO, "nabo")
    repo.buyer(FJELL, "fjell")
    repo.write(C, challenge("open_for_pledges"))
    repo.write(f"{PLEDGES}/testby.yaml", pledge(120000))
    repo.write(f"{PLEDGES}/nabo.yaml", pledge(100000, date="2026-05-02", status="intent"))
    repo.write(f"{PLEDGES}/fjell.yaml", pledge(79000, date="2026-05-20", status="signed"))
    return repo


def built(repo: Repo):
    result = repo.validate()
    assert result.problems == [], [p.as_text() for p in result.problems]
    return build_challenges(result.challenges, build_catalog(result))


def test_pledge_sums_the_funded_percentage_and_the_supporters(backed):
    [c] = built(backed)
    assert (c.pledged, c.goal, c.percent, c.funding_band) == (299000, 300000, 99, "over_half")  # 99.67 % is not 100 %
    assert [b.id for b in c.supporters] == ["testby", "nabo", "fjell"]
    assert [b.name for b in c.other_supporters] == ["Nabo kommune", "Fjell kommune"]
    assert i18n.translate("challenge.backers", "nb", n=len(c.other_supporters)) == "+2 kommuner støtter"
    assert i18n.translate("challenge.funded_text", "nb", percent=c.percent, pledged="299 000", goal="300 000",
                          currency=c.currency) == "99 % finansiert (299 000 av 300 000 NOK)"


def test_a_withdrawn_pledge_does_not_count(backed):
    backed.write(f"{PLEDGES}/fjell.yaml", pledge(79000, date="2026-05-20", status="withdrawn"))
    [c] = built(backed)
    assert (c.pledged, c.percent, [b.id for b in c.other_supporters]) == (220000, 73, ["nabo"])
    assert i18n.translate("challenge.backers_one", "nb") == "+1 kommune støtter"


def test_a_pledge_in_another_currency_is_refused_and_not_counted(backed):
    backed.write(f"{PLEDGES}/fjell.yaml", pledge(79000, currency="SEK", date="2026-05-20"))
    assert backed.messages() == [f"{PLEDGES}/fjell.yaml:3:11: error: the pledge is in SEK, the challenge in NOK"]
    docs = [load_bytes((backed.root / PLEDGES / f"{b}.yaml").read_bytes(), Path(b), f"{PLEDGES}/{b}.yaml")[0]
            for b in ("testby", "nabo", "fjell")]
    assert [lifecycle.pledge_buyer(d) for d in lifecycle.active_pledges(docs, "NOK")] == ["testby", "nabo"]
    [files] = backed.validate().challenges
    assert files.valid is False  # the site shows only valid challenges: this one waits for the fix


# -- validation messages ------------------------------------------------------------------------------------

def messages(repo: Repo, text: str) -> list[str]:
    repo.write(C, text)
    return repo.messages()


def test_an_unknown_buyer_suggests_the_nearest(repo):
    assert messages(repo, challenge("draft", started_by="testbyy")) == [
        f"{C}:5:13: error: unknown buyer 'testbyy'"]
    found = repo.validate().problems[0]
    assert found.hint == "did you mean 'testby'? use the id of a buyer in catalog/buyers/"


def test_each_state_needs_its_fields(repo):
    funding = "funding:\n  goal: 300000\n  currency: NOK\n  deadline: 2026-12-31\n"
    text = challenge("open_for_pledges").replace(funding, "")
    assert messages(repo, text) == [f"{C}:7:8: error: state 'open_for_pledges' needs 'funding': the funding goal, "
                                    "currency and deadline"]


def test_the_state_must_be_the_last_history_entry(repo):
    assert messages(repo, challenge("draft", state="open_for_pledges")) == [
        f"{C}:7:8: error: state is 'open_for_pledges' but the last history entry says 'draft'"]


def test_an_unknown_state_is_a_schema_error(repo):
    assert messages(repo, challenge("draft", state="approved")) == [
        f"{C}:7:8: error: state must be one of: draft, open_for_pledges, funded, committed, open_for_bids, prototype, "
        "pilot, done, expired, withdrawn (found 'approved')"]


def test_the_id_must_match_the_folder(repo):
    assert messages(repo, challenge("draft").replace("id: snow-clearing", "id: snow")) == [
        f"{C}:2:5: error: id 'snow' does not match the folder name 'snow-clearing'"]


def test_pledges_on_a_draft_and_after_the_deadline(repo):
    repo.write(C, challenge("draft"))
    repo.write(f"{PLEDGES}/testby.yaml", pledge(50000))
    assert repo.messages() == [
        f"{PLEDGES}/testby.yaml:1:1: error: the challenge is a draft and does not take pledges yet"]
    repo.write(C, challenge("open_for_pledges", deadline="2026-04-05"))
    assert repo.messages() == [
        f"{C}:7:8: warning: the pledge deadline 2026-04-05 has passed",
        f"{PLEDGES}/testby.yaml:4:7: error: pledged on 2026-04-10, after the deadline 2026-04-05"]


# -- the built site in headless chromium -----------------------------------------------------------------

FORMS = REPO / ".github/ISSUE_TEMPLATE"
NB = "\u00a0"  # the site groups thousands with a no-break space, so a number never breaks across lines


def form_ids(name: str) -> set[str]:
    form = yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))
    return {field["id"] for field in form["body"] if "id" in field}


def prefilled(href: str) -> tuple[str, dict[str, str]]:
    url = urlsplit(href)
    query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
    assert url.netloc == "github.com" and url.path.endswith("/issues/new")
    return query.pop("template"), query


def test_the_bid_form_has_every_field_of_a_bid():
    form = yaml.safe_load((FORMS / "challenge-bid.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Søk om å utvikle / Apply to develop"
    assert form_ids("challenge-bid.yml") == {"challenge", "vendor", "summary", "demo", "price", "currency", "team"}
    labels = [f["attributes"]["label"] for f in form["body"] if f["type"] != "markdown"]
    assert all(" / " in label for label in labels), labels  # bokmål first, then English


def test_a_challenge_page_shows_funding_supporters_and_the_bid_button(page, site_server):
    page.goto(site_server.url + "utfordringer/social-services-access-management/")
    meter = page.get_by_role("progressbar", name="Finansiert")
    assert [meter.get_attribute(a) for a in ("aria-valuemin", "aria-valuemax", "aria-valuenow", "aria-valuetext")] == [
        "0", "100", "100", f"105 % finansiert (950{NB}000 av 900{NB}000 NOK)"]
    text = page.locator(".tw-funding .tw-progress__text").inner_text()
    assert text == f"105 % finansiert (950{NB}000 av 900{NB}000 NOK)"  # the percent is visible, not only announced
    backers = page.locator(".tw-funding .tw-backers")
    assert " ".join(backers.inner_text().split()) == ("+4 kommuner støtter: Elvdal kommune, Fjellvik kommune, "
                                                      "Skogli kommune, Vindnes kommune")
    assert page.get_by_role("link", name="Støtt dette prosjektet").count() == 0  # pledging is over
    apply = page.get_by_role("link", name="Søk om å utvikle")
    template, fields = prefilled(apply.get_attribute("href"))
    assert template == "challenge-bid.yml"
    assert fields == {"title": "[Bud / Bid] Tilgangsstyring for ansatte i sosialtjenesten",
                      "challenge": "social-services-access-management", "currency": "NOK"}
    assert set(fields) - {"title"} <= form_ids(template)
    screenshot(page, "challenge-page")


def test_the_support_button_prefills_the_support_form(page, site_server):
    page.goto(site_server.url + "utfordringer/autonomous-harbour-inspection/")
    meter = page.get_by_role("progressbar", name="Finansiert")
    assert meter.get_attribute("aria-valuenow") == "62"
    text = page.locator(".tw-funding .tw-progress__text").inner_text()
    assert text == f"62 % finansiert (310{NB}000 av 500{NB}000 NOK)"
    assert " ".join(page.locator(".tw-funding .tw-backers").inner_text().split()) == (
        "+2 kommuner støtter: Nordhavn kommune, Sjøberg kommune")
    template, fields = prefilled(page.get_by_role("link", name="Støtt dette prosjektet").get_attribute("href"))
    assert template == "challenge-support.yml"
    assert fields == {"title": "[Støtte / Support] Selvgående inspeksjon av kaier og havneanlegg",
                      "challenge": "autonomous-harbour-inspection", "amount": "NOK "}
    assert set(fields) - {"title"} <= form_ids(template)
    assert page.get_by_role("link", name="Søk om å utvikle").count() == 0  # not open for bids yet


def test_the_index_filters_by_state_and_funding(page, site_server):
    page.goto(site_server.url + "utfordringer/")
    cards = page.locator(".tw-challenge-card:visible")
    count = page.locator("[data-tw-filter-count]")
    assert (cards.count(), count.inner_text()) == (7, "Viser 7 av 7")
    page.get_by_label("Status").select_option("open_for_bids")
    assert (cards.count(), count.inner_text()) == (1, "Viser 1 av 7")
    assert cards.locator("h2").inner_text() == "Tilgangsstyring for ansatte i sosialtjenesten"
    assert page.url.endswith("/utfordringer/?state=open_for_bids")  # a filtered list can be shared
    page.get_by_label("Status").select_option("")
    page.get_by_label("Finansiering").select_option("funded")
    assert [c.get_attribute("data-state") for c in cards.all()] == ["funded", "open_for_bids", "prototype", "done"]
    assert count.inner_text() == "Viser 4 av 7"
    screenshot(page, "challenge-index-funded")
