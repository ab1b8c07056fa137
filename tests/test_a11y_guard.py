"""SSRF guard of `thingwalla a11y`: refused URLs never reach a browser, and say why."""

from __future__ import annotations

import pytest

from thingwalla import cli
from thingwalla.a11y import check as a11y_check
from thingwalla.a11y.guard import UnsafeUrl, check_url


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/", "loopback address"),
    ("http://127.0.0.1:8000/demo", "loopback address"),
    ("http://10.0.0.1/", "private address"),
    ("http://192.168.1.20/", "private address"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata service address"),
    ("http://169.254.10.10/", "link-local address"),
    ("http://[::1]/", "loopback address"),
    ("http://[::ffff:10.0.0.1]/", "private address"),
    ("http://0.0.0.0/", "unspecified address"),
    ("http://2130706433/", "loopback address (2130706433 resolves to 127.0.0.1)"),
    ("http://localhost:8000/", "loopback address (localhost resolves to 127.0.0.1)"),
])
def test_non_public_addresses_are_refused(url, reason):
    with pytest.raises(UnsafeUrl) as refused:
        check_url(url)
    assert f"{url}: refused, {reason}; only public addresses are checked" in str(refused.value)


def test_a_hostname_that_resolves_to_loopback_is_refused():
    # a public-looking name whose DNS answer is 127.0.0.1 (DNS rebinding style)
    with pytest.raises(UnsafeUrl, match=r"loopback address \(demo\.vendor\.example resolves to 127\.0\.0\.1\)"):
        check_url("https://demo.vendor.example/", resolver=lambda host, port: ["127.0.0.1"])
    with pytest.raises(UnsafeUrl, match=r"private address \(demo\.vendor\.example resolves to 10\.1\.2\.3\)"):
        check_url("https://demo.vendor.example/", resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"])


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "only http:// and https:// URLs can be checked ('file:' given)"),
    ("ftp://demo.example.no/", "only http:// and https:// URLs can be checked ('ftp:' given)"),
    ("javascript:alert(1)", "only http:// and https:// URLs can be checked ('javascript:' given)"),
    ("demo.example.no", "only http:// and https:// URLs can be checked (no scheme given)"),
    ("http:///path", "the URL has no host"),
    ("https://user:secret@demo.example.no/", "URLs with a user name or password are not checked"),
])
def test_other_schemes_and_odd_urls_are_refused(url, message):
    with pytest.raises(UnsafeUrl) as refused:
        check_url(url, allow_private=True)  # --allow-private never lets file:// through
    assert str(refused.value) == f"{url}: {message}"


def test_public_addresses_pass_and_allow_private_lets_loopback_through():
    assert check_url("https://demo.vendor.example/x", resolver=lambda h, p: ["93.184.216.34"]) == \
        "https://demo.vendor.example/x"
    assert check_url("http://127.0.0.1:1234/", allow_private=True) == "http://127.0.0.1:1234/"


def test_the_command_refuses_before_any_browser_starts(monkeypatch, capsys, tmp_path):
    started = []
    monkeypatch.setattr(a11y_check, "run_pa11y", lambda *a, **k: started.append(a))
    monkeypatch.setattr(a11y_check, "fetch_all", lambda *a, **k: started.append(a))
    code = cli.main(["a11y", "--url", "http://169.254.169.254/", "file:///etc/passwd", "http://10.0.0.1/",
                     "--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")])
    err = capsys.readouterr().err
    assert code == 2
    assert started == []
    assert not (tmp_path / "r.json").exists()
    assert err.splitlines() == [
        "thingwalla: http://169.254.169.254/: refused, cloud metadata service address; only public addresses are "
        "checked (--allow-private is for tests on this machine)",
        "file:///etc/passwd: only http:// and https:// URLs can be checked ('file:' given)",
        "http://10.0.0.1/: refused, private address; only public addresses are checked (--allow-private is for "
        "tests on this machine)",
    ]


def test_a_redirect_to_a_private_address_is_refused(monkeypatch):
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from thingwalla.a11y import fetch as a11y_fetch

        # the first hop is allowed (a test on loopback), the redirect target is checked again without that
        monkeypatch.setattr(a11y_fetch, "check_url", lambda url, allow: check_url(url, False))
        result = a11y_fetch.fetch(f"http://127.0.0.1:{server.server_address[1]}/", allow_private=True)
    finally:
        server.shutdown()
        server.server_close()
    assert result.status == 302
    assert result.problem.startswith("redirect refused: http://169.254.169.254/latest/: refused, cloud metadata")


def test_pa11y_ci_is_found_from_the_current_folder_when_installed(monkeypatch, tmp_path):
    # installed into site-packages (not editable), the package has no checkout beside it: node_modules is
    # looked for in the current folder and its parents, i.e. the repository root when run inside it
    from thingwalla.a11y import pa11y

    monkeypatch.setattr(pa11y, "SOURCE_CHECKOUT", tmp_path / "site-packages")
    repo = tmp_path / "repo"
    (repo / "node_modules" / ".bin").mkdir(parents=True)
    (repo / "node_modules" / ".bin" / "pa11y-ci").write_text("")
    (repo / "catalog" / "services").mkdir(parents=True)
    assert pa11y.node_root(repo / "catalog" / "services") == repo
    assert pa11y.node_root(repo) == repo
    assert pa11y.node_root(tmp_path) is None


def test_a_missing_pa11y_ci_names_npm_ci(monkeypatch, capsys, tmp_path):
    from thingwalla.a11y import pa11y

    fetched = []
    monkeypatch.setattr(pa11y, "SOURCE_CHECKOUT", tmp_path / "site-packages")
    monkeypatch.setattr(a11y_check, "fetch_all", lambda *a, **k: fetched.append(a))
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "package.json").write_text("{}")
    monkeypatch.chdir(repo / "docs")
    code = cli.main(["a11y", "--url", "http://127.0.0.1:9/", "--allow-private"])
    err = capsys.readouterr().err
    assert code == 2
    assert fetched == []  # nothing is fetched before the tools are known to be there
    assert f"no node_modules/.bin/pa11y-ci in {repo / 'docs'} or its parent folders" in err
    assert f"Run `npm ci` in the repository root ({repo}): it installs pa11y-ci from package-lock.json" in err
    assert "Traceback" not in err
    assert not (repo / "docs" / "a11y-report.json").exists()
