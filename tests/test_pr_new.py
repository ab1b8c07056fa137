"""`thingwalla new`: scaffolded entries validate as written and start with their schema line."""

from __future__ import annotations

from thingwalla.cli import main
from thingwalla.validate import placeholders


def new(repo, *args: str) -> int:
    return main(["new", *args, "--repository", str(repo.root)])


def test_new_vendor_service_and_buyer_validate(repo, capsys, monkeypatch):
    monkeypatch.setenv("THINGWALLA_TODAY", "2026-12-03")
    assert new(repo, "vendor", "fjordsoft", "--legal-name", 'Fjordsoft: "Nord" AS', "--country", "NO",
               "--org-number", "912345025", "--website", "https://fjordsoft.example.no", "--email",
               "post@fjordsoft.example.no", "--maintainer", "@fjord-dev") == 0
    assert new(repo, "service", "fjord-absence", "--vendor", "fjordsoft", "--category", "education",
               "--solution-type", "attendance-absence", "--name-nb", "Fravær: enkelt") == 0
    assert new(repo, "buyer", "nyby", "--name", "Nyby kommune", "--country", "NO", "--org-number", "912345033",
               "--municipality-code", "3998", "--maintainer", "nyby-it") == 0
    out = capsys.readouterr().out
    assert "wrote catalog/services/fjord-absence/description.nb.md" in out
    assert "next: replace the 4 placeholder text(s) above" in out and "error" not in out
    # No errors: the vendor can work through the entry. The texts to replace are named, as warnings.
    assert sorted(repo.messages()) == [
        "catalog/services/fjord-absence/description.en.md:1:1: warning: the description is still the placeholder "
        "from `thingwalla new`",
        "catalog/services/fjord-absence/description.nb.md:1:1: warning: the description is still the placeholder "
        "from `thingwalla new`",
        "catalog/services/fjord-absence/service.yaml:7:7: warning: tagline.nb is still the placeholder from "
        "`thingwalla new`",
        "catalog/services/fjord-absence/service.yaml:8:7: warning: tagline.en is still the placeholder from "
        "`thingwalla new`",
    ]
    # (the placeholders are the ones the validator knows)
    description = (repo.root / "catalog/services/fjord-absence/description.nb.md").read_text(encoding="utf-8")
    assert placeholders.is_placeholder_description(description, "nb")
    assert not placeholders.is_placeholder_description(description + "Mer tekst.", "nb")
    service = (repo.root / "catalog/services/fjord-absence/service.yaml").read_text().splitlines()
    assert service[0] == "# yaml-language-server: $schema=../../../scripts/thingwalla/schemas/service.schema.json"
    assert 'name: {nb: "Fravær: enkelt", en: "Fravær: enkelt"}' in service
    assert "listed: 2026-12-03" in service
    assert '  nb: "' + placeholders.TAGLINE["nb"] + '"' in service
    vendor = repo.validate().documents["vendor"]
    assert {d.data["id"]: d.data["legal_name"] for d in vendor}["fjordsoft"] == 'Fjordsoft: "Nord" AS'
    assert {d.data["id"]: d.data["maintainers"] for d in vendor}["fjordsoft"] == ["fjord-dev"]


def test_mistakes_are_usage_errors_and_nothing_is_written(repo, capsys):
    assert new(repo, "service", "x-app", "--vendor", "nobody", "--category", "education",
               "--solution-type", "attendance-absence") == 2
    assert capsys.readouterr().err == ("thingwalla: there is no vendor 'nobody' (catalog/vendors/nobody.yaml); "
                                       "create it first with `thingwalla new vendor nobody …`\n")
    assert new(repo, "service", "x-app", "--vendor", "acme", "--category", "educaton",
               "--solution-type", "attendance-absence") == 2
    assert capsys.readouterr().err.startswith("thingwalla: unknown category 'educaton' (did you mean 'education'?); "
                                              "choose one of: business, education,")
    assert new(repo, "service", "Bad_Id", "--vendor", "acme", "--category", "education",
               "--solution-type", "attendance-absence") == 2
    assert "'Bad_Id' is not a valid service id" in capsys.readouterr().err
    assert new(repo, "service", "demo", "--vendor", "acme", "--category", "education",
               "--solution-type", "attendance-absence") == 2
    assert capsys.readouterr().err == ("thingwalla: catalog/services/demo already exists; edit it, or choose "
                                       "another id\n")
    assert not (repo.root / "catalog/services/x-app").exists()


def test_a_wrong_organisation_number_is_reported_where_it_is(repo, capsys):
    assert new(repo, "vendor", "wrongnum", "--legal-name", "Wrong AS", "--country", "NO", "--org-number", "912345026",
               "--website", "https://w.example.no", "--email", "post@w.example.no", "--maintainer", "w-dev") == 1
    err = capsys.readouterr().err
    assert err.startswith("catalog/vendors/wrongnum.yaml:7:13: error: '912345026' is not a valid Norwegian "
                          "organisation number: the check digit is wrong")


def test_contributing_guides_example_commands_work_on_the_repositorys_own_catalog(tmp_path, capsys):
    # A newcomer copies these commands: on the real catalog their ids and numbers must not already be taken.
    import re
    import shlex
    import shutil

    from conftest import REPO

    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = [" ".join(block.replace("\\\n", " ").split())
                for block in re.findall(r"^\.venv/bin/thingwalla new .*?(?<!\\)$", guide, re.M | re.S)]
    assert len(commands) == 4, commands  # a vendor, then its service: in bokmål and in English
    for section, pair in enumerate((commands[:2], commands[2:])):
        root = tmp_path / f"repo-{section}"
        for folder in ("catalog", "challenges", "methods-library", "design-system"):
            shutil.copytree(REPO / folder, root / folder)
        for command in pair:
            assert main([*shlex.split(command)[1:], "--repository", str(root)]) == 0, command
            assert main(["validate", "--repository", str(root)]) == 0, capsys.readouterr().out
