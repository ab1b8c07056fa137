"""The method library (methods-library/): the repository's own methods and recipes, and the exact message an
author sees (file:line:col: message) for each mistake in a method's front matter or templates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys

import pytest

from conftest import REPO
from thingwalla.methods.model import PHASES, TYPES, build_methods
from thingwalla.methods.pages import method_pages, template_files
from thingwalla.validate import validate_repository

TODAY = dt.date(2026, 12, 3)  # the date conftest's Repo.validate and the built site use
M = "methods-library/kickoff.md"
R = "methods-library/start.md"

# Line numbers below are part of the tests: keep the text stable.
METHOD = """\
---
id: kickoff
sample: true
type: workshop
title: {nb: Oppstartsmøte, en: Kick-off meeting}
summary: {nb: Et kort møte., en: A short meeting.}
phase: [discover]
duration: {minutes: 60}
participants:
  min: 2
  max: 8
  roles:
    - {nb: Prosjektleder, en: Project manager}
difficulty: beginner
outputs:
  - {nb: En plan, en: A plan}
steps:
  - {nb: Møt opp, en: Show up}
templates:
  - file: agenda.md
    title: {nb: Agenda, en: Agenda}
languages: [nb, en]
licence: CC-BY-4.0
last_reviewed: 2026-06-01
---
Veiledning på bokmål.
"""

RECIPE = """\
---
id: start
sample: true
type: recipe
title: {nb: Oppstart, en: Getting started}
summary: {nb: Slik kommer dere i gang., en: How to get started.}
phase: [discover, plan]
duration: {minutes: 60, sessions: 2}
participants: {min: 2, max: 8, roles: [{nb: Prosjektleder, en: Project manager}]}
difficulty: beginner
outputs:
  - {nb: En plan, en: A plan}
sequence:
  - method: kickoff
    why: {nb: Først et møte, en: First a meeting}
  - method: kickoff
    why: {nb: Så et nytt møte, en: Then another meeting}
languages: [nb]
licence: CC-BY-4.0
last_reviewed: 2026-06-01
---
Veiledning.
"""


def write_library(repo, method: str = METHOD, recipe: str | None = None) -> None:
    repo.write(M, method)
    repo.write("methods-library/kickoff/agenda.md", "# Agenda\n\n1. Velkommen\n")
    if recipe is not None:
        repo.write(R, recipe)


# --- the repository's own method library ---------------------------------------------------------------


@pytest.fixture(scope="module")
def result():
    return validate_repository(REPO, on_date=TODAY)


@pytest.fixture(scope="module")
def methods(result):
    return build_methods(result.methods)


def test_the_method_library_validates_without_problems(result):
    found = [p.as_text() for p in result.problems if p.path.startswith("methods-library/")]
    assert found == []
    assert result.methods and all(m.valid for m in result.methods)


def test_the_validate_command_reports_no_method_problems():
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": TODAY.isoformat()}
    run = subprocess.run([sys.executable, "-m", "thingwalla", "validate"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    assert "methods-library/" not in run.stdout + run.stderr


def test_size_types_and_phases(methods):
    recipes = [m for m in methods.values() if m.type == "recipe"]
    others = [m for m in methods.values() if m.type != "recipe"]
    assert len(others) >= 12
    assert len(recipes) >= 2
    assert {m.type for m in methods.values()} == set(TYPES)
    assert {p for m in others for p in m.phases} == set(PHASES), "the methods cover every phase"
    assert {p for m in recipes for p in m.phases} == set(PHASES), "the recipes lead through every phase"


def test_recipes_sequence_existing_methods_and_say_why(methods):
    for recipe in (m for m in methods.values() if m.type == "recipe"):
        assert len(recipe.sequence) >= 3, recipe.id
        assert not recipe.steps, recipe.id
        for step in recipe.sequence:
            assert step.method_id in methods and step.method_id != recipe.id, (recipe.id, step.method_id)
            assert methods[step.method_id].type != "recipe", (recipe.id, step.method_id)
            assert step.why.get("nb") and step.why.get("en"), (recipe.id, step.method_id)


def test_every_method_is_bilingual_sample_content_with_a_bokmal_guide(methods):
    for m in methods.values():
        texts = [m.title, m.summary, *m.roles, *m.outputs, *m.steps, *(t.title for t in m.templates)]
        assert all(t.get("nb") and t.get("en") for t in texts), m.id
        assert m.sample and m.licence == "CC-BY-4.0", m.id
        assert dt.date(2026, 1, 1) <= m.last_reviewed <= TODAY, m.id
        assert m.type == "recipe" or len(m.steps) >= 4, m.id
        assert len(m.body) > 1000, f"{m.id}: the guide should be real guidance"
        # the page puts the guide under its own h2: the body's headings start at ## so the outline holds
        assert not any(line.startswith("# ") for line in m.body.splitlines()), m.id
        assert m.participants_min <= m.participants_max, m.id


def test_templates_are_offered_listed_and_well_formed(methods):
    with_templates = [m for m in methods.values() if m.templates]
    assert len(with_templates) >= 10
    assert any(t.file.endswith(".csv") for t in methods["accessibility-acceptance-test"].templates)
    assert any(t.file.endswith(".md") for t in methods["user-interview-guide"].templates)
    for m in with_templates:
        folder = REPO / "methods-library" / m.id
        listed = {t.file for t in m.templates}
        on_disk = {p.name for p in folder.iterdir()}
        assert on_disk == listed, f"{m.id}: every file in its folder is offered for download, and only those"
        for t in m.templates:
            text = t.path.read_text(encoding="utf-8")
            assert text.strip(), t.path
            if t.file.endswith(".csv"):
                rows = list(csv.reader(io.StringIO(text)))
                assert len(rows) >= 2, t.path
                assert {len(r) for r in rows} == {len(rows[0])}, f"{t.path}: every row has the header's columns"


def test_the_accessibility_checklist_lists_every_wcag_2_1_a_and_aa_criterion(methods):
    (sheet,) = [t for t in methods["accessibility-acceptance-test"].templates if t.file.endswith(".csv")]
    rows = list(csv.DictReader(io.StringIO(sheet.path.read_text(encoding="utf-8"))))
    assert len(rows) == 50
    assert sum(r["nivå"] == "A" for r in rows) == 30
    # Norway's public sector: WCAG 2.1 A and AA except 1.2.3, 1.2.4 and 1.2.5 (47 requirements)
    not_required = {r["wcag"] for r in rows if not r["krav i Norge (offentlig sektor)"].startswith("Ja")}
    assert not_required == {"1.2.3", "1.2.4", "1.2.5"}
    assert all(r["en 301 549 (web)"] == "9." + r["wcag"] for r in rows)


def test_pages_and_downloads(methods):
    pages = method_pages(methods)
    urls = {p.url for p in pages}
    assert {"metoder/", "en/methods/"} <= urls
    for ident in methods:
        assert {f"metoder/{ident}/", f"en/methods/{ident}/"} <= urls
    assert len(pages) == 2 * (1 + len(methods))
    files = template_files(methods)
    assert "assets/methods/accessibility-acceptance-test/wcag-2-1-aa-sjekkliste.csv" in files
    assert all(os.path.isfile(source) for source in files.values())


# --- each rule: a bad input and the exact message an author sees -----------------------------------------

METHOD_CASES = {
    "wrong type": ("type: workshop", "type: workshp",
                   f"{M}:4:7: error: type must be one of: workshop, training_module, diagnostic_template, template, "
                   "recipe (found 'workshp')"),
    "missing steps": ("steps:\n  - {nb: Møt opp, en: Show up}\n", "",
                      f"{M}:4:7: error: a workshop needs 'steps': what to do, in order"),
    "participants max below min": ("  max: 8", "  max: 1",
                                   f"{M}:11:8: error: participants.max (1) is below participants.min (2)"),
    "template that does not exist": ("file: agenda.md", "file: agendaa.md",
                                     f"{M}:20:11: error: the template 'agendaa.md' does not exist"),
    "template of a kind not offered": ("file: agenda.md", "file: agenda.pdf",
                                       f"{M}:20:11: error: templates[0].file has the wrong form: 'agenda.pdf'"),
    "review date in the future": ("last_reviewed: 2026-06-01", "last_reviewed: 2026-12-24",
                                  f"{M}:24:16: error: the date 2026-12-24 is in the future"),
    "review date that does not exist": ("last_reviewed: 2026-06-01", "last_reviewed: 2026-02-30",
                                        f"{M}:24:16: error: last_reviewed is not a real date: '2026-02-30'"),
    "review more than two years ago": ("last_reviewed: 2026-06-01", "last_reviewed: 2024-06-01",
                                       f"{M}:24:16: warning: the method was last reviewed on 2024-06-01, "
                                       "more than two years ago"),
    "sequence in a workshop": ("languages: [nb, en]", "sequence:\n  - method: a1\n  - method: b2\nlanguages: [nb, en]",
                               f"{M}:23:3: error: only a recipe has a 'sequence'"),
    "unknown language": ("languages: [nb, en]", "languages: [nb, qq]",
                         f"{M}:22:17: error: 'qq' is not an ISO 639 language code"),
    "licence not SPDX": ("licence: CC-BY-4.0", "licence: CC-BY-4",
                         f"{M}:23:10: error: licence 'CC-BY-4' is not an SPDX licence id or expression"),
    "missing required field": ("outputs:\n  - {nb: En plan, en: A plan}\n", "",
                               f"{M}:1:1: error: the entry is missing the required field 'outputs'"),
    "unknown field": ("difficulty: beginner", "difficulty: beginner\nlevel: 2",
                      f"{M}:15:1: error: unknown field 'level'"),
    "session too short": ("duration: {minutes: 60}", "duration: {minutes: 2}",
                          f"{M}:8:21: error: duration.minutes must be at least 5 (found 2)"),
    "title in neither nb nor en": ("title: {nb: Oppstartsmøte, en: Kick-off meeting}", "title: {sv: Startmöte}",
                                   f"{M}:5:8: error: title needs text in nb (bokmål) or en (English)"),
}

RECIPE_CASES = {
    "unknown method in the sequence": ("method: kickoff", "method: kickof",
                                       f"{R}:14:13: error: unknown method 'kickof'"),
    "recipe that includes itself": ("method: kickoff", "method: start",
                                    f"{R}:14:13: error: a recipe cannot include itself"),
    "recipe without a sequence": (RECIPE[RECIPE.index("sequence:"):RECIPE.index("languages:")], "",
                                  f"{R}:4:7: error: a recipe needs 'sequence': the methods in the order to use them"),
}


@pytest.mark.parametrize("old,new,expected", METHOD_CASES.values(), ids=METHOD_CASES.keys())
def test_method_rule(repo, old, new, expected):
    assert old in METHOD
    write_library(repo, METHOD.replace(old, new, 1))
    assert repo.messages() == [expected]


@pytest.mark.parametrize("old,new,expected", RECIPE_CASES.values(), ids=RECIPE_CASES.keys())
def test_recipe_rule(repo, old, new, expected):
    assert old in RECIPE
    write_library(repo, recipe=RECIPE.replace(old, new, 1))
    assert repo.messages() == [expected]


def test_valid_fixture_has_no_problems(repo):
    before = repo.validate().files_checked
    write_library(repo, recipe=RECIPE)
    assert repo.messages() == []
    result = repo.validate()
    assert [m.markdown.front.data["id"] for m in result.methods] == ["kickoff", "start"]
    assert result.files_checked == before + 2  # the two method files; templates are not entries


def test_unknown_method_suggests_the_closest_id(repo):
    write_library(repo, recipe=RECIPE.replace("method: kickoff", "method: kickof", 1))
    (problem,) = repo.validate().problems
    assert problem.hint == "did you mean 'kickoff'? use the file name of a method in methods-library/"
    assert problem.code == "ref.method"


def test_unknown_method_without_a_close_match_gets_no_guess(repo):
    write_library(repo, recipe=RECIPE.replace("method: kickoff", "method: budget-review", 1))
    (problem,) = repo.validate().problems
    assert problem.as_text() == (f"{R}:14:13: error: unknown method 'budget-review'\n"
                                 "    hint: use the file name of a method in methods-library/")


def test_missing_template_says_where_to_put_it(repo):
    write_library(repo, METHOD.replace("file: agenda.md", "file: sjekkliste.csv"))
    (problem,) = repo.validate().problems
    assert problem.hint == "add it as methods-library/kickoff/sjekkliste.csv"
    assert problem.code == "files.missing"


def test_a_training_module_and_a_diagnostic_need_steps_too(repo):
    no_steps = METHOD.replace("steps:\n  - {nb: Møt opp, en: Show up}\n", "")
    write_library(repo, no_steps.replace("type: workshop", "type: training_module"))
    assert repo.messages() == [f"{M}:4:7: error: a training module needs 'steps': what to do, in order"]
    write_library(repo, no_steps.replace("type: workshop", "type: diagnostic_template"))
    assert repo.messages() == [f"{M}:4:7: error: a diagnostic template needs 'steps': what to do, in order"]


def test_all_problems_of_a_method_come_in_one_run(repo):
    write_library(repo, METHOD.replace("  max: 8", "  max: 1").replace("file: agenda.md", "file: agendaa.md")
                  .replace("languages: [nb, en]", "languages: [nb, qq]")
                  .replace("last_reviewed: 2026-06-01", "last_reviewed: 2027-01-01"))
    assert repo.messages() == [
        f"{M}:11:8: error: participants.max (1) is below participants.min (2)",
        f"{M}:20:11: error: the template 'agendaa.md' does not exist",
        f"{M}:22:17: error: 'qq' is not an ISO 639 language code",
        f"{M}:24:16: error: the date 2027-01-01 is in the future",
    ]


def test_id_must_match_the_file_name(repo):
    write_library(repo, METHOD.replace("id: kickoff", "id: kick-off"))
    assert f"{M}:2:5: error: id 'kick-off' does not match the file name 'kickoff'" in repo.messages()


def test_a_method_file_without_front_matter(repo):
    write_library(repo)
    repo.write("methods-library/notes.md", "# Notater\n\nTekst uten front matter.\n")
    (problem,) = repo.validate().problems
    assert problem.as_text() == (
        "methods-library/notes.md:1:1: error: the file does not start with front matter\n"
        "    hint: make line 1 exactly '---', then the fields, then a line '---' before the text")


def test_a_schema_comment_above_the_front_matter_is_not_front_matter(repo):
    write_library(repo, "# yaml-language-server: $schema=../scripts/thingwalla/schemas/method.schema.json\n" + METHOD)
    assert repo.messages() == [f"{M}:1:1: error: the file does not start with front matter"]


def test_front_matter_that_is_not_closed(repo):
    write_library(repo, METHOD.replace("---\nVeiledning på bokmål.\n", "Veiledning på bokmål.\n"))
    assert repo.messages() == [f"{M}:1:1: error: the front matter is not closed"]


def test_yaml_error_in_front_matter_is_located_in_the_markdown_file(repo):
    write_library(repo, METHOD.replace("  min: 2", "  min: 2\n\tmax: 8"))
    (message,) = repo.messages()
    assert message.startswith(f"{M}:11:1: error: YAML syntax error: a tab character")


def test_stray_files_and_folders_are_reported(repo):
    write_library(repo)
    repo.write("methods-library/notes.txt", "hei")
    repo.write("methods-library/orphan/agenda.md", "# Agenda\n")
    assert repo.messages() == [
        "methods-library/notes.txt:1:1: error: only <id>.md files are read in methods-library/",
        "methods-library/orphan:1:1: error: the folder 'orphan' belongs to no method",
    ]


def test_templates_must_be_utf8_text(repo):
    write_library(repo)
    repo.write("methods-library/kickoff/agenda.md", b"Agenda \xe6\xf8\xe5 in Latin-1\n")
    assert repo.messages() == [f"{M}:20:11: error: 'agenda.md' is not valid UTF-8"]
    repo.write("methods-library/kickoff/agenda.md", b"%PDF-1.7\x00\x00binary")
    assert repo.messages() == [f"{M}:20:11: error: 'agenda.md' is not a text file under 256 KB"]


def test_a_template_linked_from_outside_its_folder_is_refused(repo, tmp_path):
    write_library(repo)
    outside = tmp_path / "secret.md"
    outside.write_text("not for publishing\n", encoding="utf-8")
    target = repo.root / "methods-library/kickoff/agenda.md"
    target.unlink()
    target.symlink_to(outside)
    assert repo.messages() == [
        f"{M}:20:11: error: 'agenda.md' points outside methods-library/kickoff/ (through a link)"]


def test_a_broken_method_is_reported_once_not_by_every_recipe(repo):
    write_library(repo, METHOD.replace("type: workshop", "type: workshp"), recipe=RECIPE)
    messages = repo.messages()
    assert len(messages) == 1 and messages[0].startswith(M)


def test_a_wrong_id_is_reported_once(repo):
    write_library(repo, METHOD.replace("id: kickoff", "id: kick-off"))
    assert repo.messages() == [f"{M}:2:5: error: id 'kick-off' does not match the file name 'kickoff'"]


def test_a_recipe_with_one_step_is_told_it_needs_two(repo):
    one_step = RECIPE.replace("  - method: kickoff\n    why: {nb: Så et nytt møte, en: Then another meeting}\n", "")
    write_library(repo, recipe=one_step)
    (message,) = repo.messages()
    assert message.startswith(f"{R}:14:3: error: sequence") and "must not be empty" not in message


# --- the built site -----------------------------------------------------------------------------------------


def test_the_site_has_the_method_index_and_one_page_per_method(built_site, methods):
    index = (built_site / "metoder" / "index.html").read_text(encoding="utf-8")
    assert index.count('class="tw-card tw-method-card"') == len(methods)
    english = (built_site / "en" / "methods" / "index.html").read_text(encoding="utf-8")
    assert "Accessibility acceptance test" in english
    page = (built_site / "metoder" / "accessibility-acceptance-test" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in page
    assert 'href="../../assets/methods/accessibility-acceptance-test/wcag-2-1-aa-sjekkliste.csv" download' in page
    assert "Hva loven krever" in page  # the guide, rendered from the body
    assert (built_site / "assets/methods/accessibility-acceptance-test/wcag-2-1-aa-sjekkliste.csv").is_file()
    recipe = (built_site / "en" / "methods" / "adopt-a-catalog-service" / "index.html").read_text(encoding="utf-8")
    assert 'class="tw-fallback-note"' in recipe  # the bokmål guide on the English page says so


def test_every_template_can_be_downloaded_from_the_built_site(built_site, methods):
    missing = [path for path in template_files(methods) if not (built_site / path).is_file()]
    assert missing == []
