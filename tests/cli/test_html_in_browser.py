"""The HTML explanation in a real browser: headless Chromium renders it, fetches nothing
from the network, and every citation in the rendered DOM is a link to its source.

Needs a `chromium` (or `chromium-browser`) binary on PATH; on Debian/Ubuntu
`apt-get update && apt-get install -y chromium` (which brings fonts-liberation). Without
one the tests are skipped.

Network requests are observed by pointing the browser at a recording proxy on 127.0.0.1
that answers every request with 404 (and by reading Chromium's verbose log). Chromium
makes requests of its own (component and extension updates, clock sync) whatever the flags,
so requests to the browser's service hosts are set aside; a control page with an image, a
stylesheet and a Google font proves that a page's own fetches, Google-hosted or not, are
seen.
"""

from __future__ import annotations

import contextlib
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import coop_logic
from coop_logic.explain import markup as render
from tests.helpers import run_cli

from .test_explain_formats import EXAMPLES, Page, norm, provisions

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no chromium or chromium-browser binary on PATH "
           "(apt-get install -y chromium)")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check")
# Chromium's own traffic (updates, time, sign-in), not the page's; fonts stay the page's.
BROWSER_SERVICE = re.compile(r"(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|gvt2\.com)$")
PAGE_FETCHABLE = {"fonts.googleapis.com", "fonts.gstatic.com"}
LOGGED_REQUEST = re.compile(r"NotifyBeforeURLRequest: (\S+)")


class Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that records what it is asked for and serves nothing."""

    seen: list[str]

    def _record(self) -> None:
        self.seen.append(self.path if self.command != "CONNECT" else f"https://{self.path}/")
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = _record

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """(the proxy's address, the URLs asked of it so far)."""
    seen: list[str] = []
    handler = type("Handler", (Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    cmd = [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def page_requests(proxy_seen: list[str], log: str) -> set[str]:
    """The URLs fetched (or tried) for the page, the browser's own traffic set aside."""
    urls = set(proxy_seen) | set(LOGGED_REQUEST.findall(log))
    hosts = {url: (urlsplit(url).hostname or "") for url in urls}
    return {url for url, host in hosts.items()
            if url.startswith(("http://", "https://"))
            and (host in PAGE_FETCHABLE or not BROWSER_SERVICE.search(host))}


def load(page: Path, profile: Path) -> tuple[str, set[str]]:
    """The DOM Chromium built for `page`, and the network requests the page made."""
    with recording_proxy() as (address, seen):
        proc = chromium(page, profile, f"--proxy-server={address}",
                        "--proxy-bypass-list=<-loopback>", "--enable-logging=stderr", "--v=1",
                        "--dump-dom")
        return proc.stdout, page_requests(seen, proc.stderr)


@pytest.fixture(scope="module")
def result(kb) -> coop_logic.Result:
    """Undetermined overall; refusable, discretionary, undetermined and not-applicable
    verdicts; a reservation; provisions with and without verified text."""
    return kb.evaluate(coop_logic.Request.from_file(EXAMPLES / "at-preservation-fraud.yaml"))


@pytest.fixture(scope="module")
def page(tmp_path_factory, result) -> Path:
    path = tmp_path_factory.mktemp("html") / "explanation.html"
    path.write_text(render.to_html(result), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(page, tmp_path_factory) -> tuple[str, set[str]]:
    """The page loaded once in Chromium (a launch takes seconds): its DOM and requests."""
    return load(page, tmp_path_factory.mktemp("profile"))


def test_the_page_renders_with_its_verdicts(loaded, result):
    dom, _ = loaded
    text = Page(dom).text
    assert "DE asks AT for expedited preservation" in text
    assert "Overall: UNDETERMINED" in text
    assert "Still possible: mandatory, refusable." in text
    for verdict in result.verdicts.values():
        assert verdict.title in text
    assert "Budapest Convention budapest REFUSABLE" in text
    assert "Decision support from encoded treaty law, not legal advice." in text


def test_every_citation_in_the_rendered_page_links_to_its_source(loaded, result):
    dom, _ = loaded
    rendered = Page(dom)
    assert len(rendered.provisions) == len(provisions(result)) > 0
    wanted = sorted((s.id, norm(s.cite), s.source) for s in provisions(result))
    found = []
    for item in rendered.provisions:
        [(href, label)] = item["links"]  # type: ignore[misc]
        assert re.match(r"https?://", href), item
        found.append((item["id"], norm(label), href))
    assert sorted(found) == wanted


def test_the_page_makes_no_network_request(page, loaded):
    html = page.read_text(encoding="utf-8")
    # Statically: no URL anywhere but in an <a href>.
    assert not re.search(r"(?i)https?:", re.sub(r'<a href="[^"]*"', "<a", html))
    # In the browser: nothing fetched.
    _, requests = loaded
    assert requests == set()


def test_the_request_watch_sees_what_a_page_fetches(tmp_path):
    """The control: a page with a remote image, stylesheet and Google font is caught."""
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><html><head>'
        '<link rel="stylesheet" href="http://styles.example.invalid/a.css">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">'
        '</head><body><p>control</p><img src="http://images.example.invalid/x.png">'
        "</body></html>", encoding="utf-8")
    dom, requests = load(control, tmp_path / "profile")
    assert "control" in dom
    hosts = {urlsplit(url).hostname for url in requests}
    assert {"styles.example.invalid", "images.example.invalid", "fonts.googleapis.com"} <= hosts


def test_the_screenshot_is_a_page(page, tmp_path):
    shot = tmp_path / "explanation.png"
    chromium(page, tmp_path / "profile", "--hide-scrollbars", "--window-size=1100,1600",
             f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1100, 1600)
    assert len(data) > 20_000  # a blank page compresses to a few kB; text and colour do not


@pytest.mark.parametrize(("verb", "extra", "shown"), [
    ("plan", (), ["Budapest Convention [budapest]", "channels"]),
    ("ask", (), ["Decisive questions"]),
    ("whatif", ("--target", "refusable"), ["What if", "refusable"]),
])
def test_the_html_of_plan_ask_and_whatif_renders_offline(tmp_path, verb, extra, shown):
    page = tmp_path / f"{verb}.html"
    proc = run_cli(verb, EXAMPLES / "pt_au_stored_data_fraud.yaml", *extra, "--format", "html",
                   "-o", page)
    assert proc.returncode == 0, proc.stderr
    dom, requests = load(page, tmp_path / "profile")
    text = Page(dom).text
    for words in shown:
        assert words in text, (words, text[:2000])
    assert requests == set()
