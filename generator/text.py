"""Checks on the raw bytes and characters of contributor files."""

from __future__ import annotations

import re
import unicodedata

from .errors import Problem

# C0/C1 controls except tab, LF and CR; zero-width and bidirectional formatting characters
# (Unicode TR9 explicit formatting: U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C); BOM; the
# invisible line and paragraph separators U+2028/U+2029 (line breaks to some readers, not others).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\ufdd0-\ufdef\ufffe\uffff]"
)


def control_characters(text: str) -> str:
    """Return the first forbidden control character of ``text`` as ``U+XXXX (NAME)``, or ``""``.

    Forbidden: C0/C1 controls other than tab and line breaks, zero-width characters, bidi
    overrides and isolates, line/paragraph separators, and the BOM inside text (CVE-2021-42574 "Trojan Source" class).
    """
    match = _CONTROL.search(text)
    if not match:
        return ""
    char = match.group()
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'CONTROL')})"


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in data)


def check_text_bytes(data: bytes, path: str, limit: int) -> tuple[str | None, list[Problem]]:
    """Decode a contributor file as UTF-8 and check its bytes.

    Args:
        data: raw file content.
        path: file name for problems.
        limit: the largest accepted size in bytes.

    Returns:
        ``(text, problems)``: ``text`` is the decoded content with a leading BOM removed and line
        endings unified to LF, or ``None`` when the file cannot be used. Problem codes:
        ``file-too-large``, ``nul-byte``, ``encoding-gbk``, ``encoding``, ``mixed-line-endings``.
    """
    if len(data) > limit:
        return None, [
            Problem(
                path,
                0,
                0,
                "",
                "file-too-large",
                f"the file has {len(data):,} bytes; a record file may have at most {limit:,}",
            )
        ]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [
            Problem(
                path,
                line,
                1,
                "",
                "nul-byte",
                "the file contains a NUL byte (is it a binary file?); save it as UTF-8 text",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if _looks_gbk(data):
            return None, [
                Problem(
                    path,
                    line,
                    1,
                    "",
                    "encoding-gbk",
                    "the file is encoded as GBK/GB18030; re-save it as UTF-8 (in Excel: Save As > CSV UTF-8)",
                )
            ]
        return None, [
            Problem(path, line, 1, "", "encoding", f"byte {exc.start} is not valid UTF-8; re-save the file as UTF-8")
        ]
    text = text.removeprefix("\ufeff")
    problems = []
    crlf = text.count("\r\n")
    if crlf and crlf != text.count("\n"):
        lf_line = next(i for i, ln in enumerate(text.split("\n"), 1) if not ln.endswith("\r"))
        problems.append(
            Problem(
                path,
                lf_line,
                1,
                "",
                "mixed-line-endings",
                "the file mixes CRLF and LF line endings; save it with LF endings only",
            )
        )
    return text.replace("\r\n", "\n"), problems
