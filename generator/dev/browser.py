"""What the browser tests and the screenshot and search-pair scripts share: Debian's Chromium with
the flags it runs with here, and a quiet static server for a built site.

Chromium is Debian's package (``apt-get install chromium``), never Playwright's download; the flags
run it headless as root without a sandbox, a GPU or any network of its own
(``--disable-background-networking`` and friends: nothing loads from outside the site).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

#: The browser binary (``ATLAS_CHROMIUM`` overrides Debian's path).
CHROMIUM = Path(os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"))
#: Flags for every launch: no sandbox (root in CI), no GPU, no background traffic or first-run UI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def palette_script(site_path: str, dark: bool) -> str:
    """Return a script to run before a page's own (Playwright ``add_init_script``) that selects
    the light (``default``) or dark (``slate``) palette of mkdocs.yml, as a reader's toggle does:
    Material keeps the choice in ``localStorage`` under ``<site path>.__palette`` (``/.__palette``
    for a site served at the root)."""
    scheme = "slate" if dark else "default"
    key = f"{site_path}.__palette"
    return f"localStorage.setItem('{key}', JSON.stringify({{index: {int(dark)}, color: {{scheme: '{scheme}'}}}}))"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class SiteServer:
    """A threaded static server for ``root`` on 127.0.0.1 at a free port, started at once (``root``
    need not exist yet); usable as a context manager.

    The port is known before the site is built, so a build can use ``url``
    (``http://127.0.0.1:PORT/``) as its site URL (Material's instant navigation needs the sitemap's
    port and path to match). :meth:`close` stops it.
    """

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.root = root
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
