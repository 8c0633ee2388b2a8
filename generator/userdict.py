"""The search dictionary ``data/search/jieba_userdict.txt``: words jieba must keep whole when it
segments Chinese for the search index (元宇宙, 专精特新). Material's search plugin hands the file to
``jieba.load_userdict`` (``mkdocs.yml``: ``plugins.search.jieba_dict_user``), which raises a bare
ValueError on a file that is not UTF-8 and silently misreads other lines; so it is checked here,
with the same reader and error format as the records.
"""

from __future__ import annotations

import re

from .errors import Problem
from .text import check_text_bytes, control_characters

#: Where the dictionary lives, relative to the data folder (mkdocs.yml names the same file).
USERDICT = "search/jieba_userdict.txt"

#: jieba's line format (jieba 0.42.1, ``re_userdict``): a word, an optional frequency, an optional
#: part-of-speech tag, separated by single spaces. A word here holds no space.
_LINE = re.compile(r"^(\S+)(?: ([0-9]+))?(?: ([a-z]+))?$")
LIMIT_BYTES = 1_000_000


def parse_userdict(data: bytes, path: str) -> list[Problem]:
    """Return the problems of a jieba user dictionary: one per bad line (code
    ``dictionary-line``), plus the byte-level ones of :func:`generator.text.check_text_bytes`
    (encoding, NUL, size) and invisible characters (``control-character``). Blank lines are allowed."""
    text, problems = check_text_bytes(data, path, LIMIT_BYTES)
    if text is None:
        return problems
    for number, line in enumerate(text.split("\n"), 1):
        bad = control_characters(line)
        if bad:
            problems.append(
                Problem(
                    path,
                    number,
                    1,
                    "",
                    "control-character",
                    f"the line contains the invisible or control character {bad}; delete it",
                )
            )
        elif line.strip() and not _LINE.match(line):
            problems.append(
                Problem(
                    path,
                    number,
                    1,
                    "",
                    "dictionary-line",
                    f"'{line[:80]}' is not 'word [frequency] [tag]' (元宇宙 20000 n): one word without spaces, then a "
                    "whole number and a lowercase tag, each after one space",
                )
            )
    return problems
