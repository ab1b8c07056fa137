"""`make serve`, the README's first command, builds and serves the marketplace on the repo's content."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_serve_serves_the_marketplace():
    port = free_port()
    process = subprocess.Popen(["make", "serve", f"SERVE_ADDR=127.0.0.1:{port}"], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        home = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    home = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert home is not None, "make serve did not answer within 120 s"
        assert "<h1>Markedsplass</h1>" in home
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/services/peppol-access-point/", timeout=5) as r:
            assert "<h1>Peppol Access Point</h1>" in r.read().decode()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
