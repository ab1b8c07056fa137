"""Atom feeds from a scripted git history (real repositories made with GitPython): new and updated services, and
per buyer the compliance-relevant changes to the services it uses. Shallow clones and folders outside git
degrade with a message, never a crash."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import git
import pytest

from conftest import REPO, SERVICE, build_site
from thingwalla.interop.atom import feed_files
from thingwalla.interop.history import read_history

@pytest.fixture(autouse=True)
def _site_parts(repo):
    """Builds need the repository's design system too (issue 4); copy it when the shared fixture does not."""
    source = REPO / "design-system"
    if source.is_dir() and not (repo.root / "design-system").exists():
        shutil.copytree(source, repo.root / "design-system")


A = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/"


def commit(repository: git.Repo, message: str, when: str) -> str:
    repository.git.add(A=True)
    date = f"{when}T10:00:00 +0000"
    actor = git.Actor("Thingwalla Test", "test@example.org")
    return repository.index.commit(message, author=actor, committer=actor, author_date=date,
                                   commit_date=date).hexsha


@pytest.fixture
def history_repo(repo):
    """demo listed on day 1; then data moved to Sweden with a new sub-processor; then a price change; then a
    new service; then a description-only edit. The buyer testby uses demo."""
    repository = git.Repo.init(repo.root)
    first = commit(repository, "Add demo", "2026-10-01")
    repo.service(SERVICE.replace('  data_locations: ["NO"]\n', '  data_locations: ["SE"]\n  sub_processors:\n'
                                 '    - {name: Nordsky AB, country: SE, purpose: {nb: Drift, en: Hosting}}\n'))
    commit(repository, "Move demo data to Sweden", "2026-10-05")
    repo.service(SERVICE.replace('  data_locations: ["NO"]\n', '  data_locations: ["SE"]\n  sub_processors:\n'
                                 '    - {name: Nordsky AB, country: SE, purpose: {nb: Drift, en: Hosting}}\n')
                 .replace("price: 1200", "price: 1500"))
    commit(repository, "Raise the price of demo", "2026-10-09")
    other = SERVICE.replace("id: demo", "id: second").replace(
        "{nb: Demotjeneste, en: Demo Service}", '{nb: "Andre <tjeneste> & co\\a", en: "Second <service> & co"}')
    repo.service(other, ident="second")
    commit(repository, "Add second", "2026-10-12")
    repo.service(other.replace("Beskrivelse på bokmål.", "Ny beskrivelse."), ident="second")
    commit(repository, "Describe second", "2026-10-15")
    return repo, repository, first


def entries(xml_text: str) -> list[dict]:
    root = ET.fromstring(xml_text.encode("utf-8"))
    return [{"title": e.findtext(f"{A}title"), "summary": e.findtext(f"{A}summary"),
             "updated": e.findtext(f"{A}updated"), "link": e.find(f"{A}link").get("href")}
            for e in root.findall(f"{A}entry")]


def model(repo):
    from thingwalla.model import build_catalog

    return build_catalog(repo.validate())


def test_services_feed_lists_new_and_updated_services_newest_first(history_repo):
    repo, _, _ = history_repo
    history = read_history(repo.root)
    assert history.warnings == [] and not history.shallow
    feeds = feed_files(model(repo), history, BASE)
    assert [(e["title"], e["updated"]) for e in entries(feeds["feeds/services.en.atom"])] == [
        ("Updated: Second <service> & co", "2026-10-15T10:00:00+00:00"),
        ("New service: Second <service> & co", "2026-10-12T10:00:00+00:00"),
        ("Updated: Demo Service", "2026-10-09T10:00:00+00:00"),
        ("Updated: Demo Service", "2026-10-05T10:00:00+00:00"),
        ("New service: Demo Service", "2026-10-01T10:00:00+00:00"),
    ]
    nb = entries(feeds["feeds/services.nb.atom"])
    assert nb[0]["summary"] == "Endret: beskrivelse"
    assert nb[2]["summary"] == "Endret: pris"
    assert nb[3]["summary"] == "Endret: drift og datalagring"
    assert nb[4]["link"] == "https://example.org/tjenester/demo/"
    # vendor text is escaped by the XML writer; the control character is dropped so the feed stays readable
    assert "Andre &lt;tjeneste&gt; &amp; co</title>" in feeds["feeds/services.nb.atom"]
    assert "\x07" not in feeds["feeds/services.nb.atom"]


def test_buyer_feed_holds_only_compliance_relevant_changes_to_services_it_uses(history_repo):
    repo, _, _ = history_repo
    feeds = feed_files(model(repo), read_history(repo.root), BASE)
    assert [(e["title"], e["summary"]) for e in entries(feeds["feeds/buyers/testby.en.atom"])] == [
        ("Demo Service: Price changed", "Price: basic: 1200 NOK per organisation per month → "
                                        "basic: 1500 NOK per organisation per month"),
        ("Demo Service: Data location, Sub-processors changed", "Data location: NO → SE\nSub-processors: – → "
                                                                "Nordsky AB (SE)"),
    ]
    root = ET.fromstring(feeds["feeds/buyers/testby.nb.atom"].encode())
    assert root.findtext(f"{A}title") == "Thingwalla: endringer som angår Testby kommune"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "nb"
    assert root.findtext(f"{A}updated") == "2026-10-09T10:00:00+00:00"


def test_the_build_publishes_the_feeds(history_repo, tmp_path):
    repo, _, _ = history_repo
    site = tmp_path / "site"
    result = build_site(repo.root, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(entries((site / "feeds/buyers/testby.nb.atom").read_text(encoding="utf-8"))) == 2
    assert len(entries((site / "feeds/services.en.atom").read_text(encoding="utf-8"))) == 5
    page = (site / "for-utviklere/index.html").read_text(encoding="utf-8")
    assert 'href="../feeds/buyers/testby.nb.atom">Testby kommune</a>' in page
    assert 'href="../feeds/services.nb.atom"' in page


def test_a_shallow_clone_builds_with_a_note_and_reports_nothing_before_its_start(history_repo, tmp_path):
    repo, _, _ = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True)
    (clone / "docs").mkdir(exist_ok=True)  # empty folders are not in git; the real repository's docs/ has files
    history = read_history(clone)
    assert history.shallow is True
    assert history.warnings and "shallow clone" in history.warnings[0]
    # only the newest commit has its parent: the one change it can see
    assert [(c.service, c.kind) for c in history.changes] == [("second", "updated")]
    site = tmp_path / "site"
    result = build_site(clone, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "feeds: history starts at" in result.stderr
    text = (site / "feeds/services.en.atom").read_text(encoding="utf-8")
    assert "The history is incomplete (a shallow git clone)" in text


def test_a_folder_outside_git_builds_with_empty_feeds_and_a_clear_message(repo, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(repo.root, plain)
    history = read_history(plain)
    assert history.head is None and history.changes == []
    assert history.warnings == [f"{plain} is not in a git repository; feeds and change dates are empty"]
    site = tmp_path / "site"
    result = build_site(plain, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "is not in a git repository; feeds and change dates are empty" in result.stderr
    assert entries((site / "feeds/services.nb.atom").read_text(encoding="utf-8")) == []
    assert entries((site / "feeds/buyers/testby.en.atom").read_text(encoding="utf-8")) == []
