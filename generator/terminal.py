"""Text as the command line prints it: one problem, one line, nothing a terminal or CI runner
would act on (issue 14).

Contributor values reach the output inside problem messages, error messages and the site
engine's warnings. Each of those lines passes :func:`terminal_line` once, at the edge where it is
printed (:mod:`generator.cli` and the engine's log handler in :mod:`generator.engines`).
:func:`report_problems` prints a list of problems the one way the commands do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .errors import Problem

# Every C0/C1 control (line breaks and tabs too, so one problem stays one line), the zero-width and
# bidirectional formatting characters (Unicode TR9: U+202A..U+202E, U+2066..U+2069, U+200E/F,
# U+061C; CVE-2021-42574), the line and paragraph separators, the BOM and the noncharacters. A
# backslash is left as it is, so that escaping twice (a problem line, then the terminal edge)
# changes nothing the second time.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\ufdd0-\ufdef\ufffe\uffff]"
)
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: object) -> str:
    """Return ``text`` as one printable line.

    A tab and line break are written ``\\t``, ``\\n``, ``\\r``; every other
    control, invisible or bidirectional character ``\\uXXXX`` (``"k\\u202eind"`` for a key holding
    a right-to-left override). Text without such characters is returned unchanged, so applying
    it twice is the same as once.
    """
    text = str(text)
    return (
        _INVISIBLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
        if _INVISIBLE.search(text)
        else text
    )


def terminal_line(text: object) -> str:
    """Return ``text`` as a line safe to print in a terminal or CI log: :func:`visible`, and a
    line that would start (after spaces) with ``::``, which GitHub Actions reads as a workflow
    command (``::warning::``, ``::add-mask::``, ``::stop-commands::``), gets its first colon
    written ``\\x3a``."""
    line = visible(text)
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]
    return line


def report_problems(problems: Sequence[Problem], outcome: str, err: bool = False) -> None:
    """Print every problem on a line of its own (:meth:`generator.errors.Problem.format`, through
    :func:`terminal_line`), then one count line: ``N problem(s) in F file(s); OUTCOME``, where
    ``outcome`` says what happened because of them (``nothing was written.``). To standard error
    when ``err``. ``validate``, ``build`` and ``serve`` print their problems with it."""
    for problem in problems:
        click.echo(terminal_line(problem.format()), err=err)
    files = len({problem.path for problem in problems})
    click.echo(f"{len(problems)} problem(s) in {files} file(s); {outcome}", err=err)
