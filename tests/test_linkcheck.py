"""``make linkcheck`` (generator/linkcheck.py) against a local server on 127.0.0.1: live, missing,
moved, HEAD-refusing and silent pages (issue 6). Nothing here reaches the internet."""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest
from conftest import run_cli

from generator.linkcheck import Cited, Result, check_url, cited_urls, format_report, wayback_lookup
from generator.loader import load_data


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802 - the stdlib's name
        if self.path == "/no-head":
            self._answer(405)
        else:
            self._route()

    def do_GET(self):  # noqa: N802
        self._route(body=True)

    def _route(self, body: bool = False):
        if self.path in ("/ok", "/no-head"):
            self._answer(200, b"<p>here</p>" if body else b"")
        elif self.path == "/moved":
            self._answer(301, location="/ok")
        elif self.path == "/slow":
            time.sleep(2)
            self._answer(200)
        else:
            self._answer(404)

    def _answer(self, status: int, body: bytes = b"", location: str | None = None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _cited(url: str) -> Cited:
    return Cited(url, ("example-source",), "url", "2022-11-05")


@pytest.mark.parametrize(
    "path,outcome,status,final",
    [
        ("/ok", "ok", 200, "/ok"),
        ("/gone", "dead", 404, "/gone"),
        ("/moved", "moved", 200, "/ok"),
        ("/no-head", "ok", 200, "/no-head"),
    ],
)
def test_each_kind_of_answer(server, path, outcome, status, final):
    result = check_url(_cited(server + path), timeout=5)
    assert (result.outcome, result.status, result.final_url) == (outcome, status, server + final)


def test_a_silent_server_fails_after_the_timeout(server):
    start = time.perf_counter()
    result = check_url(_cited(server + "/slow"), timeout=0.5)
    assert (result.outcome, result.status, result.detail) == ("failed", None, "timed out")
    assert time.perf_counter() - start < 5


def test_a_closed_port_fails():
    result = check_url(_cited("http://127.0.0.1:9/nothing"), timeout=2)
    assert result.outcome == "failed" and result.status is None and result.detail


def test_dead_urls_get_a_wayback_lookup_suggestion_only():
    dead = Result(_cited("https://gov.example.cn/a b?x=1"), "dead", 404, "https://gov.example.cn/a b?x=1", "Not Found")
    assert (
        dead.suggestion
        == "https://archive.org/wayback/available?url=https%3A%2F%2Fgov.example.cn%2Fa+b%3Fx%3D1&timestamp=20221105"
    )
    assert (
        wayback_lookup("https://a.example/") == "https://archive.org/wayback/available?url=https%3A%2F%2Fa.example%2F"
    )
    archived = Result(
        Cited("https://web.archive.org/x", ("s",), "archive_url", "2022-11-05"),
        "dead",
        404,
        "https://web.archive.org/x",
        "",
    )
    assert archived.suggestion == ""  # an archived copy has no archive of its own to suggest


def test_report_lists_dead_then_moved_and_counts():
    results = [
        Result(_cited("https://a.example/ok"), "ok", 200, "https://a.example/ok", ""),
        Result(_cited("https://a.example/old"), "moved", 200, "https://a.example/new", ""),
        Result(_cited("https://a.example/gone"), "dead", 404, "https://a.example/gone", "Not Found"),
        Result(_cited("https://a.example/down"), "failed", None, "https://a.example/down", "timed out"),
    ]
    report, bad = format_report(results)
    assert bad == 2
    assert report == (
        "DEAD   404 https://a.example/gone [url of example-source]\n"
        "       archived copy? open https://archive.org/wayback/available?url=https%3A%2F%2Fa.example%2Fgone&timestamp=20221105\n"
        "FAILED --- https://a.example/down (timed out) [url of example-source]\n"
        "       archived copy? open https://archive.org/wayback/available?url=https%3A%2F%2Fa.example%2Fdown&timestamp=20221105\n"
        "MOVED  200 https://a.example/old -> https://a.example/new [url of example-source]\n"
        "4 URL(s) checked: 1 ok, 1 moved, 1 dead, 1 failed.\n"
        "Find the page again or an archived copy you can read, then update the source record by hand.\n"
    )


def test_cited_urls_are_distinct_and_name_their_sources(valid_data: Path):
    cited = cited_urls(load_data(valid_data))
    assert [(c.url, c.sources, c.field, c.accessed) for c in cited] == [
        (c.url, c.sources, c.field, c.accessed) for c in sorted(cited, key=lambda c: (c.url, c.field))
    ]
    assert {c.field for c in cited} <= {"url", "archive_url"} and len(cited) >= 2
    assert all(len(c.sources) == len(set(c.sources)) for c in cited)


def test_cli_reports_dead_sources_and_never_touches_records(server, valid_data: Path):
    sources = sorted((valid_data / "sources").rglob("*.yaml"))
    before = {}
    for path, route in zip(sources, ("/gone", "/moved")):
        text = path.read_text("utf-8")
        url = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("url: "))
        path.write_text(text.replace(f"url: {url}", f"url: {server}{route}"), "utf-8")
        for line in text.splitlines():
            if line.startswith("archive_url: "):
                path.write_text(path.read_text("utf-8").replace(line, f"archive_url: {server}/ok"), "utf-8")
        before[path] = path.read_bytes()
    with (valid_data / "vocab" / "official_hosts.yaml").open(
        "a", encoding="utf-8"
    ) as hosts:  # the government source moved here
        hosts.write(
            "  - {id: local-test-server, host: 127.0.0.1, source_kind: government, en: Test server, zh: 测试服务器}\n"
        )
    proc = run_cli("linkcheck", "--data", str(valid_data), "--timeout", "5", cwd=valid_data.parent)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"DEAD   404 {server}/gone [url of " in proc.stdout
    assert "archived copy? open https://archive.org/wayback/available?url=http%3A%2F%2F127.0.0.1" in proc.stdout
    assert f"MOVED  200 {server}/moved -> {server}/ok" in proc.stdout
    assert "1 dead, 0 failed." in proc.stdout
    assert {p: p.read_bytes() for p in before} == before
