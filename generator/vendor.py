"""The Vega JavaScript bundle that the site serves itself, so charts draw offline.

Charts are saved by Altair as Vega-Lite JSON and drawn in the browser by vega-embed. Loading Vega
from a CDN breaks offline, in mainland China and when versions drift, so one bundle of Vega,
Vega-Lite and vega-embed is built by vl-convert-python at the Vega-Lite version that Altair writes
(``altair.SCHEMA_VERSION``) and written to ``content/assets/vendor/vega-bundle.js``.

Building takes a few seconds, so the bundle is cached on disk under a name made of every version
that shapes it; a cached file is reused until Altair, vl-convert or this module changes.

What the bundle exposes: ``window.vegaEmbed`` only. vl-convert's Vega 6 build has no default
export for ``vega`` and ``vegaLite`` (its stock snippet sets both globals to ``null``), so they are
not published. vega-embed 7 carries its own copy of vega-interpreter: ``vegaEmbed(el, spec,
{ast: true})`` evaluates expressions without ``eval``/``Function`` and so runs under a
Content-Security-Policy without ``'unsafe-eval'``. One exception remains: Vega parses CSV/TSV
data with d3-dsv, which compiles a row converter with ``new Function``; specs must carry their
data inline or as JSON.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import altair
import vl_convert

from .errors import BuildFailed

#: File name of the bundle inside the destination folder.
BUNDLE_NAME = "vega-bundle.js"

#: Default cache folder, relative to the working directory (the repository top in every build).
DEFAULT_CACHE_DIR = Path(".cache") / "vendor"

# Publishes only what works: see the module docstring for vega/vegaLite being null.
_SNIPPET = "window.vegaEmbed = vegaEmbed;\n"

# vl-convert emits an ES module whose top-level `const`s would land in the page's global lexical
# scope as a classic script and clash with other scripts' names: keep them in a function scope.
_PROLOGUE = "(() => {\n"
_EPILOGUE = "\n})();\n"


class VendorError(BuildFailed):
    """The Vega bundle cannot be built for the installed Altair and vl-convert."""


def vega_lite_version() -> str:
    """Return the Vega-Lite ``major.minor`` that Altair writes, in the form vl-convert accepts.

    Returns:
        e.g. ``"6.4"`` for ``altair.SCHEMA_VERSION == "v6.4.1"``.

    Raises:
        VendorError: vl-convert has no bundle for that Vega-Lite version (upgrade
            vl-convert-python, or pin altair to a version it supports).
    """
    major, minor = altair.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    wanted = f"{major}.{minor}"
    supported = vl_convert.get_vegalite_versions()
    if wanted not in supported:
        raise VendorError(
            f"Altair writes Vega-Lite {altair.SCHEMA_VERSION} but vl-convert-python "
            f"{vl_convert.__version__} bundles only {', '.join(supported)}: upgrade vl-convert-python "
            f"or pin altair to a release that writes one of those versions."
        )
    return wanted


def bundle_key(vl_version: str) -> str:
    """Return the cache key: every version that shapes the bundle, and a hash of this module's glue."""
    glue = hashlib.sha256((_SNIPPET + _PROLOGUE + _EPILOGUE).encode()).hexdigest()[:8]
    return (
        f"vega-lite-{altair.SCHEMA_VERSION.lstrip('v')}_vega-{vl_convert.get_vega_version()}"
        f"_vega-embed-{vl_convert.get_vega_embed_version()}_vl-convert-{vl_convert.__version__}_{glue}"
    )


def build_vega_bundle(vl_version: str) -> str:
    """Return the bundle text for ``vl_version`` (``"6.4"``); takes a few seconds, no disk access."""
    header = (
        f"/*! Metaverse Policy Atlas vendor bundle: Vega-Lite {altair.SCHEMA_VERSION.lstrip('v')} "
        f"(as written by Altair {altair.__version__}), Vega {vl_convert.get_vega_version()}, "
        f"vega-embed {vl_convert.get_vega_embed_version()}; built by vl-convert-python "
        f"{vl_convert.__version__} (generator/vendor.py). */\n"
    )
    body = vl_convert.javascript_bundle(snippet=_SNIPPET, vl_version=vl_version)
    return header + _PROLOGUE + body + _EPILOGUE


def cached_vega_bundle(cache_dir: Path = DEFAULT_CACHE_DIR) -> str:
    """Return the bundle text, building it and storing it under ``cache_dir`` when not cached.

    Raises:
        VendorError: as :func:`vega_lite_version`.
        OSError: the cache folder cannot be written.
    """
    vl_version = vega_lite_version()
    cached = cache_dir / f"{bundle_key(vl_version)}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    text = build_vega_bundle(vl_version)
    _write_atomically(cached, text)
    return text


def write_vega_bundle(dest: Path, cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """Write the Vega + Vega-Lite + vega-embed bundle to ``dest/vega-bundle.js``.

    Args:
        dest: folder to write into (created if missing), normally ``content/assets/vendor``.
        cache_dir: where built bundles are kept between builds, keyed by versions.

    Returns:
        The path of the written file. It defines ``window.vegaEmbed``; call it with
        ``{ast: true}`` to stay CSP-safe.

    Raises:
        VendorError: vl-convert has no bundle for Altair's Vega-Lite version.
        OSError: ``dest`` or ``cache_dir`` cannot be written.
    """
    path = dest / BUNDLE_NAME
    _write_atomically(path, cached_vega_bundle(cache_dir))
    return path


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


#: Files copied from ``node_modules/`` (installed by ``npm ci`` from package-lock.json) into the
#: site: content path → path under node_modules. Licences travel with the code and data.
NODE_ASSETS = {
    "assets/vendor/tablesort.min.js": "tablesort/dist/tablesort.min.js",
    "assets/vendor/tablesort.number.min.js": "tablesort/dist/sorts/tablesort.number.min.js",
    "assets/vendor/tablesort.LICENCE.txt": "tablesort/LICENCE",
    "assets/vendor/world-land-110m.json": "world-atlas/land-110m.json",
    "assets/vendor/world-countries-110m.json": "world-atlas/countries-110m.json",
    "assets/vendor/world-atlas.LICENSE.txt": "world-atlas/LICENSE",
}


def node_assets(node_modules: Path = Path("node_modules")) -> dict[str, bytes]:
    """Return the npm files the site serves, by content path (see :data:`NODE_ASSETS`).

    Raises:
        VendorError: a file is missing: ``npm ci`` has not been run (``make site`` runs it).
    """
    out = {}
    for dest, src in NODE_ASSETS.items():
        path = node_modules / src
        if not path.is_file():
            raise VendorError(
                f"{path} is missing: run `npm ci --ignore-scripts` in the repository (make site and make test do it)"
            )
        out[dest] = path.read_bytes()
    return out
