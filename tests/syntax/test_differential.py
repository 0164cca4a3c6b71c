"""dockerfile-parse as a second opinion on instruction boundaries.

dockerfile-parse (the Python library) has known gaps: it splits heredoc bodies into bogus instructions
(its issue #145), ends an instruction at a blank or comment line inside a continuation (BuildKit goes
on, see BuildKit's testfile-line case), treats a line ending in an escaped backslash as continued, and
reads a continuation at the end of the file differently. On the corpus files that avoid all of these,
it must agree with dfcheck on every instruction: keyword, first and last line, and the argument text.
"""

import io
import re
from pathlib import Path

import pytest

from dfcheck.syntax import parse

dockerfile_parse = pytest.importorskip("dockerfile_parse", reason="dockerfile-parse is a test extra")

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dockerfiles"


def _plain(text: str, dockerfile) -> bool:
    if "<<" in text or re.search(r"\\\\[ \t]*$", text, re.M) or re.search(r"\\[ \t]*\n?\Z", text):
        return False
    for node in dockerfile.instructions:
        if node.empty_continuation_lines:
            return False
        if any(node.span.line < c.span.line <= node.span.end_line for c in dockerfile.comments):
            return False
    return True


def _corpus():
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.iterdir())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_instruction_boundaries_agree_on_plain_corpus_files():
    compared = 0
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        ours = parse(text)
        if not _plain(text, ours):
            continue
        theirs = dockerfile_parse.DockerfileParser(fileobj=io.BytesIO(text.encode())).structure
        expected = [(i["instruction"], i["startline"] + 1, i["endline"] + 1, i["value"])
                    for i in theirs if i["instruction"] != "COMMENT"]
        got = [(n.keyword, n.span.line, n.span.end_line, n.original.strip()[len(n.keyword_text):].strip())
               for n in ours.instructions]
        assert got == expected, path.name
        compared += 1
    assert compared >= 150  # most of the corpus is plain enough to compare
