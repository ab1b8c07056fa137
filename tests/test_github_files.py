"""The files in .github/: every workflow and issue form, whoever wrote it, passes zizmor and GitHub's schemas;
the pull request workflow keeps the properties that make it safe to run on a fork's code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import REPO

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.y*ml"))
FORMS = sorted(p for p in (REPO / ".github/ISSUE_TEMPLATE").glob("*.y*ml") if p.stem != "config")
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.M)


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed: `make test` installs requirements/test.txt")
    return str(path)


def load(path: Path) -> dict:
    # GitHub reads `on:` as a key; YAML 1.1 (PyYAML) would read it as True.
    return {("on" if k is True else k): v for k, v in yaml.safe_load(path.read_text()).items()}


def test_the_expected_workflows_and_forms_exist():
    assert {"pr.yml", "deploy.yml", "requalify.yml"} <= {p.name for p in WORKFLOWS}
    assert {"feature-request.yml", "new-vendor.yml", "challenge-support.yml", "challenge-bid.yml",
            "procurement-request.yml"} <= {p.name for p in FORMS}


def test_zizmor_finds_nothing_in_any_workflow():
    proc = subprocess.run([tool("zizmor"), "--offline", "--no-progress", *map(str, WORKFLOWS)],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout


@pytest.mark.parametrize(("schema", "files"), [("vendor.github-workflows", WORKFLOWS),
                                               ("vendor.github-issue-forms", FORMS)], ids=["workflows", "forms"])
def test_github_schemas_accept_every_file(schema, files):
    proc = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_are_pinned_by_commit_sha_with_the_version_named(path):
    for action, rest in USES.findall(path.read_text()):
        if action.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{path.name}: {action} is not pinned by SHA"
        assert re.match(r"\s*#\s*v\d", rest), f"{path.name}: {action} has no '# vX' comment"


def test_pull_request_workflow_is_read_only_and_passes_untrusted_data_through_env():
    path = REPO / ".github/workflows/pr.yml"
    workflow = load(path)
    assert set(workflow["on"]) == {"pull_request", "pull_request_review"}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["check"]["permissions"] == {"contents": "read", "pull-requests": "read"}
    text = path.read_text()
    assert "pull_request_target" not in text.replace("never `pull_request_target`", "")
    assert not re.search(r"\$\{\{\s*secrets", text)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"expression inside run: {step.get('name')}"
    check = next(s for s in workflow["jobs"]["check"]["steps"] if s.get("name") == "Check the change")
    assert "thingwalla\" check" in check["run"] and "--report" in check["run"] and "--json" in check["run"]
    assert check["env"]["AUTHOR"] == "${{ github.event.pull_request.user.login }}"


def test_deploy_publishes_to_pages_from_main_only():
    workflow = load(REPO / ".github/workflows/deploy.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_requalification_runs_weekly_and_never_on_pull_requests():
    workflow = load(REPO / ".github/workflows/requalify.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", workflow["on"]["schedule"][0]["cron"])
    runs = " ".join(s.get("run", "") for s in workflow["jobs"]["requalify"]["steps"])
    assert "thingwalla check --all --links" in runs


def test_the_service_page_link_prefills_the_feature_request_form():
    from types import SimpleNamespace

    from thingwalla.site.pages import Renderer

    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/feature-request.yml").read_text())
    assert form["name"].startswith("Be om ny funksjon")
    ids = {field.get("id") for field in form["body"]}
    assert {"service", "background", "request", "criteria", "compliance", "vendors"} <= ids
    renderer = SimpleNamespace(settings=SimpleNamespace(repo_url="https://github.com/thingwalla/thingwalla"))
    service = SimpleNamespace(id="demo", name=lambda lang: "Demo")
    url = urlsplit(Renderer.feature_request_url(renderer, service, "nb"))
    query = parse_qs(url.query)
    assert url.path == "/thingwalla/thingwalla/issues/new"
    assert query["template"] == ["feature-request.yml"]
    assert query["service"] == ["demo"] and "service" in ids


def test_pre_commit_hooks_run_the_validator_on_changed_files(tmp_path):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "thingwalla-validate")
    assert re.search(hook["files"], "catalog/vendors/x.yaml") and not re.search(hook["files"], "README.md")
    entry = hook["entry"].split()
    entry[0] = str(REPO / entry[0])  # pre-commit runs it from the repository root
    broken = tmp_path / "repo/catalog/vendors/x.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("id: x\nid: y\n")
    proc = subprocess.run([*entry, str(broken)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "catalog/vendors/x.yaml:2:1: error: duplicate key 'id'" in proc.stdout
