"""Small real git repositories for the pull-request tests: the fixture catalog on `main`, a branch `pr`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import git

from conftest import BUYER, REPO, SERVICE, VENDOR, Repo

ON_DATE = dt.date(2026, 12, 3)
PLATFORM = ("# yaml-language-server: $schema=../scripts/thingwalla/schemas/platform-maintainers.schema.json\n"
            "maintainers: [platform-kari]\n")
# A second vendor, whose maintainers must not touch acme's services.
BETA = VENDOR.replace("id: acme", "id: beta").replace("Acme AS", "Beta AS").replace(
    '"912345688"', '"912345009"').replace("acme-dev", "beta-dev").replace("acme.example", "beta.example")


class GitCatalog(Repo):
    """A Thingwalla repository under git: `main` holds acme, beta, the demo service and testby."""

    def __init__(self, root: Path):
        super().__init__(root)
        shutil.copytree(REPO / "catalog" / "taxonomy", root / "catalog" / "taxonomy")
        self.write("catalog/platform-maintainers.yaml", PLATFORM)
        self.vendor()
        self.vendor(BETA, "beta")
        self.service()
        self.buyer()
        self.git = git.Repo.init(root, initial_branch="main")
        with self.git.config_writer() as config:
            config.set_value("user", "name", "Test")
            config.set_value("user", "email", "test@example.org")
        self.commit("base catalog")
        self.git.git.checkout("-b", "pr")

    def commit(self, message: str = "change") -> str:
        self.git.git.add("-A")
        self.git.git.commit("-m", message, "--allow-empty")
        return self.git.head.commit.hexsha

    def remove(self, relpath: str) -> None:
        path = self.root / relpath
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    def check(self, author: str | None = "acme-dev", approvers: list[str] = (), a11y=None):
        from thingwalla.pr.check import run_check

        return run_check(self.root, "main", "HEAD", author=author, approvers=list(approvers), on_date=ON_DATE,
                         a11y=a11y)


__all__ = ["BETA", "BUYER", "GitCatalog", "ON_DATE", "SERVICE", "VENDOR"]
