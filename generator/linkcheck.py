"""Check that the pages the records cite still answer (``make linkcheck``; needs internet, so it is
not part of the tests, which run it against a server on 127.0.0.1).

Every distinct source URL (``url`` and ``archive_url``) is asked for once with ``HEAD``, then with
``GET`` when the server refuses ``HEAD``. A URL that fails gets a Wayback Machine availability
lookup (https://archive.org/help/wayback_api.php) around the day the source was read, printed as a
suggestion to open by hand: nothing here fetches it, and no archive URL is ever written into a
record (an ``archive_url`` must be a copy someone actually saw).
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .loader import Loaded

USER_AGENT = "metaverse-policy-atlas-linkcheck/1 (+https://github.com/metaverse-policy-atlas/metaverse-policy-atlas)"
WAYBACK_API = "https://archive.org/wayback/available"
#: Answers to HEAD that say "try GET instead" rather than "the page is gone".
_RETRY_WITH_GET = {400, 403, 405, 406, 429, 500, 501, 503}


@dataclass(frozen=True)
class Cited:
    """A URL and who cites it: ``sources`` (ids, sorted), ``field`` (``url`` or ``archive_url``)
    and ``accessed`` (the earliest day a citing source was read, YYYY-MM-DD)."""

    url: str
    sources: tuple[str, ...]
    field: str
    accessed: str


@dataclass(frozen=True)
class Result:
    """What one URL answered: ``outcome`` is ``ok``, ``moved`` (answered after a redirect),
    ``dead`` (an HTTP error status) or ``failed`` (no answer: DNS, refused, timeout, TLS);
    ``status`` the final HTTP status or None; ``final_url`` after redirects; ``detail`` the reason."""

    cited: Cited
    outcome: str
    status: int | None
    final_url: str
    detail: str

    @property
    def suggestion(self) -> str:
        """A Wayback availability lookup for a dead or failed URL (empty otherwise)."""
        if self.outcome not in ("dead", "failed") or self.cited.field == "archive_url":
            return ""
        return wayback_lookup(self.cited.url, self.cited.accessed)

    def line(self) -> str:
        """One line: outcome, status, URL, redirect target and the citing sources."""
        status = str(self.status) if self.status is not None else "---"
        moved = f" -> {self.final_url}" if self.final_url != self.cited.url else ""
        why = f" ({self.detail})" if self.outcome == "failed" else ""
        return (
            f"{self.outcome.upper():6} {status} {self.cited.url}{moved}{why} [{self.cited.field} of "
            f"{', '.join(self.cited.sources)}]"
        )


def wayback_lookup(url: str, day: str = "") -> str:
    """Return the Wayback availability API URL for ``url`` near ``day`` (YYYY-MM-DD): open it to see
    whether an archived copy exists. A suggestion only, never fetched here."""
    query = {"url": url}
    if day:
        query["timestamp"] = day.replace("-", "")
    return f"{WAYBACK_API}?{urllib.parse.urlencode(query)}"


def cited_urls(loaded: Loaded) -> list[Cited]:
    """Return every distinct URL of the source records, sorted, with the sources citing it."""
    found: dict[tuple[str, str], list] = {}
    for located in loaded.records.get("sources", []):
        source = located.record
        for field in ("url", "archive_url"):
            url = getattr(source, field)
            if url:
                found.setdefault((url, field), []).append(source)
    return [
        Cited(url, tuple(sorted(s.id for s in sources)), field, min(s.accessed for s in sources))
        for (url, field), sources in sorted(found.items())
    ]


def check_url(cited: Cited, timeout: float = 15.0) -> Result:
    """Ask for ``cited.url`` with HEAD (then GET when HEAD is refused) and classify the answer."""
    result = _request(cited, "HEAD", timeout)
    if result.outcome == "failed" or (result.outcome == "dead" and result.status in _RETRY_WITH_GET):
        result = _request(cited, "GET", timeout)
    return result


def _request(cited: Cited, method: str, timeout: float) -> Result:
    request = urllib.request.Request(cited.url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked by the model
            if method == "GET":
                response.read(1024)
            final = response.geturl()
            return Result(cited, "moved" if final != cited.url else "ok", response.status, final, "")
    except urllib.error.HTTPError as exc:
        return Result(
            cited, "dead", exc.code, exc.geturl() or cited.url, exc.reason if isinstance(exc.reason, str) else ""
        )
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        detail = "timed out" if isinstance(reason, (socket.timeout, TimeoutError)) else str(reason)
        return Result(cited, "failed", None, cited.url, detail)


def check_sources(loaded: Loaded, timeout: float = 15.0, workers: int = 8, progress=None) -> list[Result]:
    """Check every cited URL of ``loaded`` (``workers`` at a time); return the results sorted by URL.

    ``progress``, when given, is called with each :class:`Result` as it arrives.
    """
    cited = cited_urls(loaded)
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(lambda c: check_url(c, timeout), cited):
            if progress:
                progress(result)
            results.append(result)
    return sorted(results, key=lambda r: (r.cited.url, r.cited.field))


def format_report(results: list[Result]) -> tuple[str, int]:
    """Return ``(report text, number of dead or failed URLs)``: the URLs that need a look (dead and
    failed ones with a Wayback lookup to try, then moved ones), and a one-line summary."""
    lines = []
    bad = [r for r in results if r.outcome in ("dead", "failed")]
    for r in bad:
        lines.append(r.line())
        if r.suggestion:
            lines.append(f"       archived copy? open {r.suggestion}")
    lines += [r.line() for r in results if r.outcome == "moved"]
    counts = {o: sum(1 for r in results if r.outcome == o) for o in ("ok", "moved", "dead", "failed")}
    lines.append(
        f"{len(results)} URL(s) checked: {counts['ok']} ok, {counts['moved']} moved, {counts['dead']} dead, "
        f"{counts['failed']} failed."
    )
    if bad:
        lines.append("Find the page again or an archived copy you can read, then update the source record by hand.")
    return "\n".join(lines) + "\n", len(bad)
