"""The vendored Vega bundle: built at Altair's Vega-Lite version, cached, exposing vegaEmbed."""

from __future__ import annotations

import re

import altair
import pytest

from generator import vendor


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[str, object]:
    """Write the bundle once into a temporary site folder, with a temporary cache."""
    root = tmp_path_factory.mktemp("vendor")
    path = vendor.write_vega_bundle(root / "site", cache_dir=root / "cache")
    return path.read_text(encoding="utf-8"), root


def test_bundle_defines_vega_embed(bundle):
    text, _ = bundle
    assert re.search(r"window\.vegaEmbed\s*=\s*[$\w]+;", text)
    # vl-convert's stock snippet would also publish `vega` and `vegaLite`, both null in Vega 6.
    assert "window.vega=" not in text and "window.vegaLite=" not in text


def test_bundle_vega_lite_version_is_altairs(bundle):
    text, _ = bundle
    full = altair.SCHEMA_VERSION.lstrip("v")
    assert f"Vega-Lite {full} " in text.splitlines()[0]
    # Vega-Lite's own `version` constant, compiled into the bundle.
    assert f'"{full}"' in text


def test_vega_lite_version_is_major_minor_of_altair():
    major, minor = altair.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    assert vendor.vega_lite_version() == f"{major}.{minor}"


def test_bundle_keeps_its_names_out_of_the_global_scope(bundle):
    text, _ = bundle
    body = text.split("*/\n", 1)[1]
    assert body.startswith("(() => {\n") and body.endswith("\n})();\n")


def test_bundle_is_cached_by_versions(bundle, monkeypatch):
    text, root = bundle
    cached = list((root / "cache").glob("*.js"))
    assert [p.name for p in cached] == [f"{vendor.bundle_key(vendor.vega_lite_version())}.js"]

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cached bundle should have been reused")

    monkeypatch.setattr(vendor.vl_convert, "javascript_bundle", no_rebuild)
    again = vendor.write_vega_bundle(root / "again", cache_dir=root / "cache")
    assert again.read_text(encoding="utf-8") == text


def test_unsupported_vega_lite_version_says_what_to_do(monkeypatch):
    monkeypatch.setattr(vendor.altair, "SCHEMA_VERSION", "v99.1.0")
    with pytest.raises(vendor.VendorError, match="upgrade vl-convert-python"):
        vendor.vega_lite_version()
