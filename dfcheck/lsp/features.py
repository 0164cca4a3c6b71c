"""What the language server (`dfcheck lsp`) computes, in editor-neutral terms.

The server itself (`dfcheck.lsp.server`) is built on pygls, a dependency that only this command
imports. This module holds the parts that need no LSP library: turning dfcheck's 1-based code-point
spans into LSP positions (0-based lines, characters counted in the negotiated encoding, UTF-16 unless
the client asked otherwise), the edits of the code actions, and the hover texts.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# The first change after a lint is linted at once; a change that comes while one waits starts a wait as long as
# the document's last lint took, within these bounds: typing faster than the server lints coalesces into one
# lint, and a pause is answered at once (a fixed 150 ms wait was most of the latency on a 600-line file).
DEBOUNCE_SECONDS = 0.15  # at most
MIN_DEBOUNCE_SECONDS = 0.005  # at least
SOURCE = "dfcheck"
FIX_ALL_KIND = "source.fixAll.dfcheck"
SETTINGS_SECTION = "dfcheck"
# Where a built-in rule's page lives: its heading in docs/rules.md (`python -m dfcheck.docs` writes it).
BOM = "\ufeff"

_LSP_LINE_END = re.compile(r"\r\n|\r|\n")


# ---------------------------------------------------------------- positions


def units(text: str, encoding: str = "utf-16") -> int:
    """How many code units of `encoding` ("utf-8", "utf-16" or "utf-32") `text` takes."""
    if text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text)


class TextMap:
    """Positions in one version of a document: dfcheck's (line, column) and LSP's (line, character).

    dfcheck counts code points on lines split at "\\n" (a trailing "\\r" not counted, a byte-order mark
    removed); LSP counts code units of `encoding` on lines split at "\\n", "\\r\\n" or "\\r", the mark
    included. Both are mapped through character offsets into the document's text.
    """

    __slots__ = ("text", "encoding", "_skip", "_df_starts", "_lsp_starts")

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.encoding = encoding
        self._skip = 1 if text.startswith(BOM) else 0
        starts = [self._skip]
        i = text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self._df_starts = starts
        self._lsp_starts = [0] + [m.end() for m in _LSP_LINE_END.finditer(text)]

    # dfcheck side
    def offset(self, line: int, column: int) -> int:
        """The offset of dfcheck's 1-based (line, column); past the end of a line: the end of the line."""
        starts = self._df_starts
        if line < 1:
            return self._skip
        if line > len(starts):
            return len(self.text)
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        while end > start and self.text[end - 1] == "\r":
            end -= 1
        return max(start, min(start + column - 1, end))

    def df_position(self, offset: int) -> tuple[int, int]:
        """dfcheck's 1-based (line, column) of an offset."""
        offset = max(self._skip, min(offset, len(self.text)))
        i = bisect_right(self._df_starts, offset) - 1
        return i + 1, offset - self._df_starts[i] + 1

    # LSP side
    def lsp_position(self, offset: int) -> tuple[int, int]:
        """LSP's (line, character) of an offset."""
        offset = max(0, min(offset, len(self.text)))
        i = bisect_right(self._lsp_starts, offset) - 1
        start = self._lsp_starts[i]
        if offset > start and self.text[offset - 1] == "\r" and self.text[offset:offset + 1] == "\n":
            offset -= 1  # between "\r" and "\n": the end of the line
        return i, units(self.text[start:offset], self.encoding)

    def lsp_offset(self, line: int, character: int) -> int:
        """The offset of LSP's (line, character); past the end of a line: the end of the line."""
        if line < 0:
            return 0
        if line >= len(self._lsp_starts):
            return len(self.text)
        start = self._lsp_starts[line]
        end = self._lsp_starts[line + 1] if line + 1 < len(self._lsp_starts) else len(self.text)
        body = self.text[start:end].rstrip("\r\n")
        if body.isascii() or self.encoding == "utf-32":
            return start + min(character, len(body))
        count = 0
        for i, ch in enumerate(body):
            if count >= character:
                return start + i
            count += units(ch, self.encoding)
        return start + len(body)

    def lsp_range(self, span) -> tuple[tuple[int, int], tuple[int, int]]:
        """The LSP range of a dfcheck Span."""
        start = self.offset(span.line, span.column)
        end = max(start, self.offset(span.end_line, span.end_column))
        return self.lsp_position(start), self.lsp_position(end)

    def span_offsets(self, span) -> tuple[int, int]:
        start = self.offset(span.line, span.column)
        return start, max(start, self.offset(span.end_line, span.end_column))

    @property
    def line_ending(self) -> str:
        """The document's line ending: that of its first line, "\\n" when it has one line."""
        i = self.text.find("\n")
        return "\r\n" if i > 0 and self.text[i - 1] == "\r" else "\n"


# ---------------------------------------------------------------- rules


def rule_url(rule) -> str | None:
    """The page of a built-in rule with documentation; plugin rules have none in dfcheck's docs."""
    from ..docs import rule_url

    return rule_url(rule)


def rule_hover(finding, rule) -> str:
    """Markdown for a finding under the cursor: the message, then the rule's page."""
    title = f"**{finding.code}** `{finding.name}` ({finding.severity}): {_escape(finding.message)}"
    parts = [title]
    if finding.fix is not None:
        what = finding.fix.description or "an automatic fix is available"
        parts.append(f"Fix ({finding.fix.applicability}): {_escape(what)}")
    if rule is not None and rule.doc.strip():
        parts.append(rule.doc.strip())
    url = rule_url(rule)
    if url:
        parts.append(f"[{finding.code} in the dfcheck rules reference]({url})")
    return "\n\n".join(parts)


def _escape(text: str) -> str:
    """Plain text for Markdown: characters that would start markup are escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


# ---------------------------------------------------------------- code actions


def instruction_at_line(dockerfile, line: int):
    """The instruction whose lines include `line`, or None."""
    for node in dockerfile.instructions:
        if node.span.line <= line <= node.span.end_line:
            return node
        if node.span.line > line:
            break
    return None


_IGNORE_COMMENT = re.compile(r"#\s*dfcheck\s*:\s*ignore\s*=", re.IGNORECASE)


def ignore_edit(dockerfile, node, code: str, line_ending: str = "\n"):
    """(Span, text): the edit that silences `code` for `node`.

    A `# dfcheck: ignore=` comment in the comment block directly above the instruction gets the code
    added to its list (before any `-- reason`); otherwise a new comment line goes right above the
    instruction, indented like it.
    """
    from ..syntax.nodes import Span

    lines = dockerfile.lines
    line = node.span.line
    for comment in reversed(node.comments):  # the closest first, as long as the block is contiguous
        if comment.span.end_line != line - 1:
            break
        line = comment.span.line
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        m = _IGNORE_COMMENT.search(text, comment.span.column - 1)
        if m is None or m.start() != comment.span.column - 1:
            continue
        body = text[m.end():]
        cut = body.find("--")
        codes = (body if cut < 0 else body[:cut]).rstrip()
        column = m.end() + len(codes) + 1
        words = [w.upper() for w in re.split(r"[\s,]+", codes) if w]
        if code.upper() in words:
            return None  # already there (the comment silences it: nothing to add)
        return Span(line, column, line, column), ("," + code if codes.strip() else code)
    first = lines[node.span.line - 1] if 0 < node.span.line <= len(lines) else ""
    indent = first[:len(first) - len(first.lstrip(" \t"))]
    return Span(node.span.line, 1, node.span.line, 1), f"{indent}# dfcheck: ignore={code}{line_ending}"


def text_edits(before: str, after: str) -> list[tuple[int, int, str]]:
    """Edits (start, end, replacement), as offsets into `before`, that turn it into `after`: one per run of
    changed lines, each trimmed to the characters that differ, so that an editor keeps its marks and
    cursor everywhere else."""
    import difflib

    if before == after:
        return []
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 - i1 == j2 - j1:  # lines rewritten one for one: an edit per line
            pairs = [(starts[i], old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
        else:  # lines removed or added as well: the characters that differ in the whole run
            pairs = [(starts[i1], before[starts[i1]:starts[i2]], "".join(new[j1:j2]))]
        for base, a, b in pairs:
            if i2 - i1 == j2 - j1 or not a or not b:
                chunks = [_trimmed(a, b)]
            else:
                chunks = [(o1, o2, b[p1:p2]) for tag, o1, o2, p1, p2
                          in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if tag != "equal"]
            edits.extend((base + s, base + e, text) for s, e, text in filter(None, chunks))
    return _no_split_line_ends(before, edits)


def _no_split_line_ends(text: str, edits: list) -> list:
    """Move edit ends that fall between "\r" and "\n" to before the "\r" (LSP has no such position)."""
    out = []
    for start, end, replacement in edits:
        if 0 < start < len(text) and text[start - 1] == "\r" and text[start] == "\n":
            start -= 1
            replacement = "\r" + replacement
        if 0 < end < len(text) and text[end - 1] == "\r" and text[end] == "\n":
            end += 1
            replacement += "\n"
        out.append((start, end, replacement))
    return out


def _trimmed(before: str, after: str) -> tuple[int, int, str] | None:
    """(start, end, replacement): the part of `before` that differs from `after`, and what replaces it."""
    if before == after:
        return None
    n = min(len(before), len(after))
    start = 0
    while start < n and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    return start, end_b, after[start:end_a]


def kind_wanted(kind: str, only) -> bool:
    """Whether a code action of `kind` answers a request limited to the kinds `only` (None: any)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


# ---------------------------------------------------------------- hover on instructions

KEYWORDS = {
    "FROM": "starts a build stage from a base image or an earlier stage.",
    "RUN": "runs a command in a new layer on top of the image so far.",
    "CMD": "sets the container's default command, or the default arguments of an exec-form ENTRYPOINT.",
    "LABEL": "adds metadata (key-value pairs) to the image configuration.",
    "MAINTAINER": "sets the image's author field; deprecated in favour of a label.",
    "EXPOSE": "documents the ports the container listens on; it publishes nothing by itself.",
    "ENV": "sets environment variables for the later instructions and for the running container.",
    "ADD": "copies files from the build context, URLs or git repositories, extracting local tar archives.",
    "COPY": "copies files from the build context, another stage or an image into the image.",
    "ENTRYPOINT": "sets the program the container runs; CMD and `docker run` arguments are appended "
                  "to an exec-form ENTRYPOINT.",
    "VOLUME": "declares mount points whose content lives outside the container's filesystem.",
    "USER": "sets the user (and group) that later RUN instructions and the container run as.",
    "WORKDIR": "sets the working directory for later instructions and the container, creating it if needed.",
    "ARG": "declares a build argument that `--build-arg` can set; it is not kept in the image.",
    "ONBUILD": "registers an instruction to run when another build uses this image as its base.",
    "STOPSIGNAL": "sets the signal `docker stop` sends to stop the container.",
    "HEALTHCHECK": "tells the engine how to test that the container still works.",
    "SHELL": "sets the shell that shell-form RUN, CMD and ENTRYPOINT use.",
}


def _code_block(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text}\n{fence}"


def _stage_name(stage) -> str:
    return f"stage `{stage.name}`" if stage.name else f"stage {stage.index}"


def instruction_hover(model, node) -> str:
    """Markdown describing what instruction `node` means in this file."""
    keyword = node.keyword
    what = KEYWORDS.get(keyword)
    if what is None:
        return f"**{keyword}** is not a Dockerfile instruction."
    text = f"**{keyword}** {what}"
    if node.error:
        return text
    if keyword == "FROM":
        return text + "\n\n" + _from_hover(model, node)
    if keyword in ("CMD", "ENTRYPOINT"):
        extra = _runtime_hover(model, node)
        if extra:
            return text + "\n\n" + extra
    return text


def _from_hover(model, node) -> str:
    stage = model.stage_of(node)
    if stage is None:
        return ""
    name = _stage_name(stage)
    written = node.args[0].value if node.args else ""
    if stage.base_stage is not None:
        base = f"the earlier {_stage_name(stage.base_stage)} (line {stage.base_stage.node.span.line})"
    elif stage.is_scratch:
        base = "`scratch`, an empty filesystem"
    else:
        base = f"the image `{stage.base}`"
    lines = [f"This is {name} of {len(model.stages)}; it builds on {base}."]
    if written and written != stage.base:
        lines.append(f"`{written}` expands to `{stage.base}`.")
    if stage.platform:
        lines.append(f"Platform: `{stage.platform}`.")
    if stage is model.target:
        lines.append("`docker build` builds this stage (the target).")
    elif stage in model.shipped_stages:
        lines.append(f"Its layers ship in the image: the target, {_stage_name(model.target)}, builds on it.")
    else:
        users = []
        for other in model.stages:
            if other.base_stage is stage:
                users.append(f"{_stage_name(other)} builds on it")
            for ref in other.references:
                if ref.stage is stage:
                    users.append(f"{_stage_name(other)} uses it at line {ref.node.span.line}")
        if users:
            lines.append("Not the target; " + "; ".join(dict.fromkeys(users)) + ".")
        else:
            lines.append("Not the target, and no other stage uses it: `docker build` skips it.")
    return " ".join(lines)


def _runtime_hover(model, node) -> str:
    from ..model.runtime import format_argv

    stage = model.stage_of(node)
    if stage is None or stage.node is node:
        return ""
    rt = stage.runtime
    keyword = node.keyword
    mine = rt.cmd if keyword == "CMD" else rt.entrypoint
    out = []
    if mine is None or mine.node is not node:
        later = [n for n in stage.find(keyword) if n.span.line > node.span.line]
        if later:
            out.append(f"This {keyword} is overridden by the {keyword} at line {later[-1].span.line}: "
                       f"only the last {keyword} of a stage counts.")
        elif keyword == "CMD":
            out.append("This CMD is not in effect.")
    elif keyword == "CMD" and rt.entrypoint is not None and not rt.entrypoint.exec_form:
        out.append(f"It has no effect: the shell-form ENTRYPOINT at line {rt.entrypoint.node.span.line} "
                   f"ignores CMD.")
    elif keyword == "ENTRYPOINT" and not node.json:
        out.append("Shell form: it runs under `/bin/sh -c`, which ignores CMD and `docker run` arguments.")
    if keyword == "ENTRYPOINT" and rt.cmd_reset_by is node:
        out.append("Setting ENTRYPOINT here clears the CMD the stage inherited from its base.")
    argv = rt.argv
    if argv is not None:
        unknown = "" if rt.known_base or rt.entrypoint is not None else (
            " (after the ENTRYPOINT of the base image, if it sets one: dfcheck cannot see it)")
        out.append(f"The container of {_stage_name(stage)} runs{unknown}:\n\n" + _code_block(format_argv(argv, 200)))
    return "\n\n".join(out)
