"""Shell code to `Script`: ``parse_shell(text)`` parses a script with tree-sitter-bash and flattens every
simple command it contains (in lists, pipelines, subshells, ``{ }`` groups, if/for/while/until/case bodies,
function definitions, command and process substitutions) into one list of `Command`, in source order.

Offsets are converted from tree-sitter's UTF-8 byte offsets to character offsets here. tree-sitter is imported
on the first call to ``parse_shell``, because importing this module must stay cheap for dfcheck's start-up time.

Longer than the usual file, on purpose: `_Builder` is one walk over tree-sitter's tree whose methods follow bash's
grammar node by node and share the walk's state; cut in two, each half would need the other.
"""

from __future__ import annotations

import re
from collections import namedtuple

from .data import Command, Expansion, Part, Redirect, Script, Word
from .quoting import _ansi_c, _dequote, _first_brace, _heredoc_text, _int_or_none, _unescape_double

# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_parser = None


def _get_parser():
    """One tree-sitter parser for the process, created on first use."""
    global _parser
    if _parser is None:
        binding = _tree_sitter_binding()
        _parser = binding.Parser(binding.Language(_bash_grammar()))
    return _parser


def _tree_sitter_binding():
    """tree_sitter's extension module, which has the Parser and Language classes.

    The package's __init__ imports `typing` (about 4 ms of start-up, for a Protocol class dfcheck does not use),
    so the extension module is loaded directly and registered under its own name: a later `import tree_sitter`
    then reuses it rather than loading a second copy. The package import is the fallback.
    """
    import sys

    if "tree_sitter._binding" in sys.modules:
        return sys.modules["tree_sitter._binding"]
    module = _extension("tree_sitter", "_binding")
    if module is None:
        import tree_sitter

        return tree_sitter
    sys.modules["tree_sitter._binding"] = module
    return module


def _bash_grammar():
    """The compiled bash grammar (a PyCapsule).

    tree_sitter_bash's __init__ imports importlib.resources (about 4 ms of start-up) for query files dfcheck
    does not use, so the grammar's extension module is loaded directly; the package import is the fallback.
    """
    module = _extension("tree_sitter_bash", "_binding")
    if module is None:
        import tree_sitter_bash

        module = tree_sitter_bash
    return module.language()


def _extension(package: str, name: str):
    """The extension module `name` of `package` loaded from its file without running the package's __init__,
    or None when it is not found there. (importlib.machinery only: importlib.util imports contextlib.)"""
    import importlib.machinery
    import os

    spec = importlib.machinery.PathFinder.find_spec(package)
    for directory in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(directory, name + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader(f"{package}.{name}", path)
                module = loader.create_module(importlib.machinery.ModuleSpec(loader.name, loader, origin=path))
                loader.exec_module(module)
                return module
    return None


def parse_shell(text: str) -> Script:
    """Parse ``text`` as a bash script. Never raises on any input text."""
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)
    if size != len(text):
        data = _guard_brace_scanner(data)
    if b"`" in data:
        data = _blank_backtick_comments(data)
    tree = _get_parser().parse(data)
    builder = _Builder(text, size)
    errors = _collect_errors(tree.root_node, builder.pos)
    try:
        builder.block(tree.root_node.children, _Ctx())
    except RecursionError:  # absurdly deep nesting: keep what was found
        errors.append((0, len(text)))
    builder.commands.sort(key=lambda c: (c.start, -c.end))
    return Script(text, builder.commands, errors)


# tree-sitter-bash 0.25.1's scanner calls isdigit() on the code point after `{`,
# `{12` or `{1..2`; glibc indexes a 384-entry table with it, so a large code point
# there crashes the process (tree-sitter/tree-sitter-bash#337, fix proposed in
# #348).  Those characters are replaced, byte for byte, by an inert ASCII `^`
# before parsing: offsets are unchanged and values are read from the real text.
_BRACE_SCANNER_HAZARD = rb"(\{[0-9]*(?:\.\.[0-9]*)?)([\x80-\xff]+)"


def _guard_brace_scanner(data: bytes) -> bytes:
    if b"{" not in data:
        return data
    return re.sub(_BRACE_SCANNER_HAZARD, lambda m: m.group(1) + b"^" * len(m.group(2)), data)


def _blank_backtick_comments(data: bytes) -> bytes:
    """`` `# a note` `` in a command line (a comment inside a command substitution, an idiom to annotate
    continued lines) expands to nothing; tree-sitter-bash lets the comment run to the end of the line and
    loses everything after it. Such substitutions are blanked, byte for byte, before parsing."""
    out = bytearray(data)
    quote = None  # b"'" or b'"' while inside quotes
    i, size = 0, len(data)
    while i < size:
        ch = data[i:i + 1]
        if quote == b"'":
            if ch == b"'":
                quote = None
        elif ch == b"\\":
            i += 1
        elif ch in (b"'", b'"') and (quote is None or ch == quote):
            quote = None if quote else ch
        elif ch == b"`":
            end = data.find(b"`", i + 1)
            if end < 0:
                break
            inner = data[i + 1:end]
            if inner.lstrip(b" \t").startswith(b"#") and b"\n" not in inner:
                out[i:end + 1] = b" " * (end + 1 - i)
            i = end
        i += 1
    return bytes(out)


def _collect_errors(root, pos) -> list[tuple[int, int]]:
    errors = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            errors.append((pos(node.start_byte), pos(node.end_byte)))
        elif node.has_error:
            stack.extend(reversed(node.children))
    return errors


def _char_positions(text: str, size: int):
    """A function mapping UTF-8 byte offsets of ``text`` to character offsets."""
    if size == len(text):  # ASCII: bytes are characters
        return lambda offset: offset
    table = []
    for index, char in enumerate(text):
        code = ord(char)
        width = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        table.extend([index] * width)
    table.append(len(text))
    return lambda offset: table[min(offset, size)]


# Where the statement being visited sits; copied on the way down (`ctx._replace(in_loop=True)`). A
# collections.namedtuple rather than typing.NamedTuple: `typing` is not imported on the one-file path.
# `loop`: (variable, its one static value) of the enclosing `for` loops.
_Ctx = namedtuple(
    "_Ctx",
    ("pipeline", "pipeline_index", "in_pipeline", "negated", "in_subshell", "in_substitution", "in_condition",
     "in_loop", "in_function", "background", "group_redirects", "loop"),
    defaults=(None, 0, False, False, False, False, False, False, False, False, (), ()),
)


class _Stage:
    """One pipeline stage still to visit."""

    __slots__ = ("node", "op", "redirects", "extra")

    def __init__(self, node):
        self.node = node
        self.op: str | None = None  # "|" or "|&" after this stage
        self.redirects: list[Redirect] = []  # from an enclosing redirected_statement
        self.extra: list[Word] = []  # stray argv words from those redirects


class _Pipe:
    """A pipeline still to visit."""

    __slots__ = ("stages", "op")

    def __init__(self, stages: list[_Stage]):
        self.stages = stages
        self.op: str | None = None  # "&&" or "||" after this pipeline


_STATEMENTS = frozenset({
    "command", "redirected_statement", "variable_assignment", "variable_assignments",
    "declaration_command", "unset_command", "test_command", "negated_command",
    "for_statement", "c_style_for_statement", "while_statement", "if_statement",
    "case_statement", "pipeline", "list", "compound_statement", "function_definition",
    "subshell",
})
_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect"})
_TERMINATORS = {";": ";", "&": "&", "\n": ";", ";;": None, ";&": None, ";;&": None}
_KEYWORDS = {"if": True, "elif": True, "while": True, "until": True,
             "then": False, "else": False, "do": False, "fi": False, "done": False}
_LEAVES = frozenset({"word", "number", "regex", "extglob_pattern", "variable_name",
                     "special_variable_name", "test_operator", "brace_expression",
                     "file_descriptor"})
# Words inside [ ]/[[ ]]/(( )) expressions: taken whole, not descended into.
_TEST_WORDS = _LEAVES | {"string", "raw_string", "ansi_c_string", "translated_string",
                         "concatenation", "simple_expansion", "expansion",
                         "command_substitution", "process_substitution",
                         "arithmetic_expansion"}
_DEFAULT_OPS = frozenset({"-", ":-", "+", ":+", "=", ":=", "?", ":?"})


class _Builder:
    """Walks the tree-sitter tree and collects Commands."""

    def __init__(self, text: str, size: int):
        self.text = text
        self.pos = _char_positions(text, size)
        self.commands: list[Command] = []
        self._pipelines = 0

    def span(self, node) -> tuple[int, int]:
        return self.pos(node.start_byte), self.pos(node.end_byte)

    def source(self, node) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    # -- statement lists ---------------------------------------------------

    def block(self, nodes, ctx: _Ctx) -> Command | None:
        """Visit a sequence of statements and terminators; return the last tail."""
        statements: list[list] = []  # [node, terminator]
        for node in nodes:
            if node.is_named:
                if node.type != "comment":
                    statements.append([node, None])
            elif node.type in _TERMINATORS and statements and statements[-1][1] is None:
                statements[-1][1] = node.type
        tail = None
        for i, (node, terminator) in enumerate(statements):
            tail = self.and_or(node, ctx._replace(background=True) if terminator == "&" else ctx)
            if tail is not None and i + 1 < len(statements):
                tail.connector = self._connector(terminator, node, statements[i + 1][0])
        return tail

    def _connector(self, terminator, node, following) -> str | None:
        if terminator is not None:
            return _TERMINATORS[terminator]
        # tree-sitter keeps no token for a newline terminator
        gap = self.text[self.pos(node.end_byte):self.pos(following.start_byte)]
        return ";" if "\n" in gap else None

    def and_or(self, node, ctx: _Ctx) -> Command | None:
        """Visit one statement as a chain of pipelines joined by && and ||."""
        return self.chain(self._chain(node), ctx)

    def chain(self, pipes: list[_Pipe], ctx: _Ctx) -> Command | None:
        tail = None
        for i, pipe in enumerate(pipes):
            last = i + 1 == len(pipes)
            tail = self.pipeline(pipe.stages, ctx if last else ctx._replace(in_condition=True))
            if tail is not None and not last:
                tail.connector = pipe.op
        return tail

    def _chain(self, node) -> list[_Pipe]:
        """Flatten lists and pipelines into pipelines joined by && / ||.

        tree-sitter-bash attaches `| cmd` or `&& cmd` after a heredoc to the
        heredoc redirect, and may nest them with the wrong precedence; joining
        chains here restores the shell's grouping (`|` binds tighter).
        """
        kind = node.type
        if kind in ("list", "pipeline"):
            return self._join_children(None, node.children)
        if kind == "redirected_statement":
            chain = [_Pipe([_Stage(node)])]
            for child in node.children:
                if child.type == "heredoc_redirect":
                    chain = self._heredoc_chain(chain, child)
            return chain
        return [_Pipe([_Stage(node)])]

    def _heredoc_chain(self, chain: list[_Pipe], heredoc) -> list[_Pipe]:
        """Continue ``chain`` with the `| cmd` or `&& cmd` written after `<<EOF`."""
        op = None
        for part in heredoc.children:
            if part.type == "pipeline":  # holds `|` and the statement after it
                chain = self._join_children(chain, part.children)
            elif part.type in ("&&", "||"):
                op = part.type
            elif part.type in _STATEMENTS:
                chain = _join(chain, op, self._chain(part))
                op = None
        return chain

    def _join_children(self, chain, children) -> list[_Pipe]:
        op = None
        for child in children:
            if child.type in ("&&", "||", "|", "|&"):
                op = child.type
            elif child.is_named and child.type != "comment":
                right = self._chain(child)
                chain = right if chain is None else _join(chain, op, right)
                op = None
        return chain if chain is not None else []

    def pipeline(self, stages: list[_Stage], ctx: _Ctx) -> Command | None:
        if len(stages) == 1:
            return self.stage(stages[0].node, ctx, stages[0].redirects, stages[0].extra)
        self._pipelines += 1
        pipeline = self._pipelines  # taken now: a pipeline nested in a stage ($(a | b)) numbers itself
        tail = None
        for index, stage in enumerate(stages):
            piped = ctx._replace(pipeline=pipeline, pipeline_index=index, in_pipeline=True)
            tail = self.stage(stage.node, piped, stage.redirects, stage.extra)
            if tail is not None and stage.op is not None:
                tail.connector = stage.op
        return tail

    # -- one statement -----------------------------------------------------

    def stage(self, node, ctx: _Ctx, redirects=(), extra=()) -> Command | None:
        """Visit one pipeline stage; return the command a connector after it
        belongs to (None after control structures)."""
        kind = node.type
        if kind == "command":
            return self.simple(node, ctx, redirects, extra)
        if kind == "redirected_statement":
            return self.redirected(node, ctx, redirects, extra)
        if kind in ("declaration_command", "unset_command"):
            return self.declaration(node, ctx, redirects, extra)
        if kind == "test_command":
            return self.test(node, ctx, redirects, extra)
        if kind in ("variable_assignment", "variable_assignments"):
            return self.assignments_only(node, ctx, redirects, extra)
        if kind == "negated_command":
            inner = [c for c in node.children if c.is_named and c.type != "comment"]
            if inner:
                return self.stage(inner[0], ctx._replace(negated=True), redirects, extra)
            return None
        if kind in ("list", "pipeline"):
            return self.and_or(node, ctx)
        grouped = ctx._replace(group_redirects=ctx.group_redirects + tuple(redirects))
        if kind == "subshell":
            return self.block(node.children, grouped._replace(in_subshell=True))
        if kind == "compound_statement":
            if node.child_count and node.children[0].type == "((":
                return self.test(node, ctx, redirects, extra, kind="arithmetic")
            return self.block(node.children, grouped)
        if kind in ("if_statement", "while_statement"):
            if kind == "while_statement":
                grouped = grouped._replace(in_loop=True)
            self.control(node, grouped)
        elif kind in ("for_statement", "c_style_for_statement"):
            self.for_loop(node, grouped)
        elif kind == "case_statement":
            self.case(node, grouped)
        elif kind == "function_definition":
            self.function(node, ctx)
        elif kind in ("command_substitution", "process_substitution"):
            self.substitution(node, ctx)  # loose in an ERROR node
        else:  # ERROR and anything unexpected: keep the statements inside
            self.block(node.children, ctx)
        return None

    def redirected(self, node, ctx: _Ctx, outer=(), outer_extra=()) -> Command | None:
        body = None
        redirects: list[Redirect] = []
        extra: list[Word] = list(outer_extra)
        for child in node.children:
            if child.type in _REDIRECTS:
                found, words = self.redirect(child, ctx)
                redirects.extend(found)
                extra.extend(words)
            elif child.is_named and child.type != "comment" and body is None:
                body = child
        redirects.extend(outer)
        if body is None:  # `> file` alone truncates file
            return self.emit(node, ctx, [], [], redirects, extra)
        if body.type in ("list", "pipeline", "redirected_statement"):
            # tree-sitter wraps `a && b > f` whole; the shell redirects b only
            pipes = self._chain(body)
            last = pipes[-1].stages[-1] if pipes else None
            if last is not None:
                last.redirects.extend(redirects)
                last.extra.extend(extra)
            return self.chain(pipes, ctx)
        return self.stage(body, ctx, redirects, extra)

    def control(self, node, ctx: _Ctx) -> None:
        """if/elif/else and while/until: conditions and bodies by keyword."""
        region: list = []
        condition = False
        for child in node.children:
            kind = child.type
            if kind in _KEYWORDS or kind in ("elif_clause", "else_clause", "do_group"):
                self.block(region, ctx._replace(in_condition=True) if condition else ctx)
                region = []
                if kind in _KEYWORDS:
                    condition = _KEYWORDS[kind]
                else:
                    self.control(child, ctx)
            else:
                region.append(child)
        self.block(region, ctx._replace(in_condition=True) if condition else ctx)

    def for_loop(self, node, ctx: _Ctx) -> None:
        looped = ctx._replace(in_loop=True)
        if node.type == "for_statement":
            # `for r in extensions/*/requirements.txt; do ...`: a loop over one static word (a glob) gives its
            # variable that value, for readers that take the loop's commands for what they do on each match.
            name = next((c for c in node.children if c.type == "variable_name"), None)
            values = [c for c in node.children if c.is_named and c.type not in ("variable_name", "do_group",
                                                                                  "compound_statement", "comment")]
            value = self.word(values[0]).value if len(values) == 1 else None
            if name is not None and value is not None:
                looped = looped._replace(loop=ctx.loop + ((self.source(name), value),))
        for child in node.children:
            if child.type == "do_group":
                self.control(child, looped)
            elif child.type == "compound_statement":
                self.stage(child, looped)
            elif child.is_named:  # the word list or the (( ; ; )) expressions
                self.scan(child, ctx if node.type == "for_statement" else looped)

    def case(self, node, ctx: _Ctx) -> None:
        for child in node.children:
            if child.type == "case_item":
                body = []
                for part in child.children:
                    if part.type in _STATEMENTS or part.type == "ERROR" or not part.is_named:
                        body.append(part)
                    else:  # a pattern
                        self.scan(part, ctx)
                self.block(body, ctx)
            elif child.is_named:
                self.scan(child, ctx)

    def function(self, node, ctx: _Ctx) -> None:
        inside = ctx._replace(in_function=True)
        redirects = []
        for child in node.children:
            if child.type in _REDIRECTS:
                redirects.extend(self.redirect(child, inside)[0])
        for child in node.children:
            if child.type in ("compound_statement", "subshell", "test_command"):
                self.stage(child, inside._replace(
                    group_redirects=inside.group_redirects + tuple(redirects)))

    def generic(self, node, ctx: _Ctx) -> None:
        """Visit the substitutions anywhere below a word-like ``node``."""
        for child in node.children:
            if child.type in ("command_substitution", "process_substitution"):
                self.substitution(child, ctx)
            elif child.child_count:
                self.generic(child, ctx)

    def scan(self, node, ctx: _Ctx) -> None:
        """Visit the substitutions in a word-like node, the node itself included."""
        if node.type in ("command_substitution", "process_substitution"):
            self.substitution(node, ctx)
        else:
            self.generic(node, ctx)

    def substitution(self, node, ctx: _Ctx) -> None:
        inner = ctx._replace(in_substitution=True, pipeline=None, pipeline_index=0,
                             in_pipeline=False, negated=False, group_redirects=())
        self.block(node.children, inner)

    # -- commands ----------------------------------------------------------

    def simple(self, node, ctx: _Ctx, redirects, extra) -> Command | None:
        if node.start_byte == node.end_byte:
            return None  # a MISSING command after `a &&`
        argv: list[Word] = list(extra)
        assignments = []
        own_redirects = []
        runs: list[list] = []  # argument nodes with no blank between them: one shell word each
        for child in node.children:
            kind = child.type
            if kind == "variable_assignment":
                assignments.append(self.assignment(child))
                self.generic(child, ctx)
            elif kind in _REDIRECTS:
                found, words = self.redirect(child, ctx)
                own_redirects.extend(found)
                argv.extend(words)
            elif kind == "comment":
                continue
            elif child.is_named or kind in ("=~", "==", "$"):
                # tree-sitter-bash splits some words in two (`a$(b)+$C.html` ends a node at `+$`); two
                # nodes that touch are one word to the shell.
                if runs and runs[-1][-1].end_byte == child.start_byte:
                    runs[-1].append(child)
                else:
                    runs.append([child])
                self.scan(child, ctx)
        argv.extend(self.word(run[0]) if len(run) == 1 else self._words_as_one(run) for run in runs)
        return self.emit(node, ctx, argv, assignments, own_redirects + list(redirects))

    def declaration(self, node, ctx: _Ctx, redirects, extra) -> Command:
        """export/declare/local/readonly/typeset/unset: argv like any command."""
        argv: list[Word] = list(extra)
        for child in node.children:
            if child.type == "variable_assignment":
                name, value = self.assignment(child)
                argv.append(self._assignment_word(child, name, value))
            elif child.type != "comment":
                argv.append(self.word(child))
            self.scan(child, ctx)
        return self.emit(node, ctx, argv, [], list(redirects))

    def assignments_only(self, node, ctx: _Ctx, redirects, extra) -> Command:
        nodes = [node] if node.type == "variable_assignment" else [
            c for c in node.children if c.type == "variable_assignment"]
        for assignment in nodes:
            self.generic(assignment, ctx)
        return self.emit(node, ctx, list(extra), [self.assignment(n) for n in nodes],
                         list(redirects))

    def test(self, node, ctx: _Ctx, redirects, extra, kind=None) -> Command:
        """[ ], [[ ]] and (( )): argv is every operand and operator, brackets included."""
        argv = list(extra)
        self._test_words(node, argv)
        if kind is None:
            first = node.children[0].type if node.child_count else ""
            kind = "arithmetic" if first == "(" else "test"
        self.generic(node, ctx)
        return self.emit(node, ctx, argv, [], list(redirects), kind=kind)

    def _test_words(self, node, argv: list[Word]) -> None:
        for child in node.children:
            if child.type in _TEST_WORDS or not child.is_named:
                word = self.word(child)
                if not child.is_named:
                    word.glob = word.brace = False  # operators like `[` never glob
                argv.append(word)
            elif child.type != "comment":
                self._test_words(child, argv)

    def emit(self, node, ctx: _Ctx, argv, assignments, redirects, extra=(), kind="simple") -> Command:
        argv = sorted(list(argv) + list(extra), key=lambda w: w.start)
        redirects = sorted(redirects, key=lambda r: r.start)
        start, end = self.span(node)
        for item in argv + redirects:
            end = max(end, item.end)
        command = Command(
            argv=argv, start=start, end=end, kind=kind, assignments=assignments,
            redirects=redirects, pipeline=ctx.pipeline, pipeline_index=ctx.pipeline_index,
            in_pipeline=ctx.in_pipeline, negated=ctx.negated, in_subshell=ctx.in_subshell,
            in_substitution=ctx.in_substitution, in_condition=ctx.in_condition,
            in_loop=ctx.in_loop, in_function=ctx.in_function, background=ctx.background,
            group_redirects=list(ctx.group_redirects), loop=ctx.loop,
        )
        self.commands.append(command)
        return command

    def assignment(self, node) -> tuple[str, Word]:
        """``NAME=value`` -> (NAME, value Word); ``A[1]=x`` -> ("A[1]", ...)."""
        name = ""
        value_node = None
        after_op = None
        for child in node.children:
            if child.type in ("variable_name", "subscript") and not name:
                name = self.source(child)
            elif child.type in ("=", "+="):
                after_op = child
            elif after_op is not None and child.is_named and value_node is None:
                value_node = child
        if value_node is not None:
            return name, self.word(value_node)
        at = self.pos((after_op or node).end_byte)
        return name, Word("", "", at, at)

    def _assignment_word(self, node, name: str, value: Word) -> Word:
        """``X=1`` as one argv word (for ``export X=1``)."""
        start, end = self.span(node)
        prefix = self.text[start:value.start] if value.start >= start else name + "="
        parts = ((prefix,) + value.parts) if value.parts else (prefix,)
        return _make_word(self.text[start:end], start, end, _merge(parts),
                          "0" * len(prefix) + value._mask, value.quoted)

    # -- redirects ---------------------------------------------------------

    def redirect(self, node, ctx: _Ctx) -> tuple[list[Redirect], list[Word]]:
        """A redirect node -> its Redirects, plus stray words.

        tree-sitter-bash reads `cmd <in arg` as a redirect with two
        destinations; the shell gives `arg` to the command, so it is returned
        as an extra argv word.
        """
        if node.type == "heredoc_redirect":
            return self.heredoc(node, ctx)
        fd = None
        op = ""
        targets = []
        for child in node.children:
            if child.type == "file_descriptor":
                fd = _int_or_none(self.source(child))
            elif not child.is_named:
                op = op or child.type
            elif child.type != "comment":
                targets.append(self.word(child))
        self.generic(node, ctx)
        start, end = self.span(node)
        if len(targets) > 1:
            end = targets[0].end
        target = targets[0] if targets else None
        return [Redirect(op, fd, target, start, end)], targets[1:]

    def heredoc(self, node, ctx: _Ctx) -> tuple[list[Redirect], list[Word]]:
        fd = None
        op = "<<"
        delimiter = body = body_end_node = None
        nested: list[Redirect] = []
        extra: list[Word] = []
        for child in node.children:
            kind = child.type
            if kind == "file_descriptor":
                fd = _int_or_none(self.source(child))
            elif kind in ("<<", "<<-"):
                op = kind
            elif kind == "heredoc_start":
                delimiter = child
            elif kind == "heredoc_body":
                body = child
            elif kind == "heredoc_end":
                body_end_node = child
            elif kind in _REDIRECTS:
                found, words = self.redirect(child, ctx)
                nested.extend(found)
                extra.extend(words)
        start = self.pos(node.start_byte)
        target = self._delimiter_word(delimiter) if delimiter is not None else None
        end = target.end if target is not None else start + len(op)
        expands = target is not None and not target.quoted
        redirect = Redirect(op, fd, target, start, end, expands=expands)
        if body is not None or body_end_node is not None:
            body_start = self.pos((body or body_end_node).start_byte)
            body_end = self.pos(body_end_node.start_byte if body_end_node else body.end_byte)
            redirect.body_start, redirect.body_end = body_start, body_end
            redirect.body = _heredoc_text(self.text[body_start:body_end], op == "<<-")
            if expands and body is not None:
                self.generic(body, ctx)
        return [redirect] + nested, extra

    def _delimiter_word(self, node) -> Word:
        start, end = self.span(node)
        text = self.text[start:end]
        value, quoted = _dequote(text)
        return Word(text, value, start, end, (value,), quoted=quoted,
                    _mask=("1" if quoted else "0") * len(value))

    # -- words -------------------------------------------------------------

    def word(self, node) -> Word:
        start, end = self.span(node)
        acc = _Parts()
        self._parts(node, acc, quoted=False)
        return acc.finish(self.text[start:end], start, end)

    def _parts(self, node, acc: _Parts, quoted: bool) -> None:
        kind = node.type
        if not node.is_named:  # `$` in "a$", `=~`, test operators
            acc.literal(self.source(node), quoted)
        elif kind in _LEAVES or kind == "heredoc_start":
            if quoted:
                acc.literal(_unescape_double(self.source(node)), True)
            else:
                acc.unquoted(self.source(node))
        elif kind == "string_content":
            acc.literal(_unescape_double(self.source(node)), True)
        elif kind == "raw_string":
            acc.literal(self.source(node)[1:-1], True)
        elif kind == "ansi_c_string":
            acc.literal(_ansi_c(self.source(node)[2:-1]), True)
        elif kind == "string":
            acc.quoted = True  # even "" is quoted
            self._container(node, acc, double=True)
        elif kind in ("translated_string", "concatenation", "command_name"):
            self._container(node, acc, double=quoted)
        elif kind in ("simple_expansion", "expansion"):
            acc.expansion(self._variable(node, quoted))
        else:
            kinds = {"command_substitution": "command", "process_substitution": "process",
                     "arithmetic_expansion": "arithmetic"}
            start, end = self.span(node)
            acc.expansion(Expansion(kinds.get(kind, "other"), self.text[start:end], start, end,
                                    quoted=quoted))

    def _container(self, node, acc: _Parts, double: bool) -> None:
        """Children in order; text between them (if any) is literal."""
        position = node.start_byte
        children = node.children
        for index, child in enumerate(children):
            self._gap(position, child.start_byte, acc, double)
            position = child.end_byte
            if child.type == '"' and not child.is_named:
                continue  # the string's own quotes
            if child.type == "$" and node.type == "translated_string" and index == 0:
                continue  # the `$` of $"..."
            self._parts(child, acc, double)
        self._gap(position, node.end_byte, acc, double)

    def _gap(self, start_byte, end_byte, acc: _Parts, double: bool) -> None:
        if end_byte > start_byte:
            gap = self.text[self.pos(start_byte):self.pos(end_byte)]
            if double:
                acc.literal(_unescape_double(gap), True)
            else:
                acc.unquoted(gap)

    def _variable(self, node, quoted: bool) -> Expansion:
        """``$X`` or ``${...}`` -> Expansion with name, operator and argument."""
        start, end = self.span(node)
        name = op = None
        prefix = None
        arg_nodes = []
        for child in node.children:
            kind = child.type
            if kind in ("$", "${", "}") and not child.is_named:
                continue
            if name is None and op is None and kind in ("variable_name", "special_variable_name"):
                name = self.source(child)
            elif name is None and op is None and kind == "subscript":
                name = self.source(child.children[0]) if child.child_count else None
                op = "[]"
            elif not child.is_named:
                if name is None and op is None:
                    prefix = (prefix or "") + kind
                elif op is None:
                    op = kind
                elif not arg_nodes:
                    op += kind  # e.g. ${X/a/b} keeps reading operators
            elif op is not None:
                arg_nodes.append(child)
        if op is None and prefix is not None:
            op = prefix
        elif prefix is not None:
            op = prefix + op
        arg = None
        if op in _DEFAULT_OPS:
            arg = self._words_as_one(arg_nodes) if arg_nodes else Word("", "", end - 1, end - 1)
        return Expansion("variable", self.text[start:end], start, end, name=name, op=op,
                         arg=arg, quoted=quoted)

    def _words_as_one(self, nodes) -> Word:
        start = self.pos(nodes[0].start_byte)
        end = self.pos(nodes[-1].end_byte)
        acc = _Parts()
        position = nodes[0].start_byte
        dollar = None  # where a `$` the parser cut from its name (`/$U/$P-$V`) stands
        for child in nodes:
            self._gap(position, child.start_byte, acc, False)
            pieces = child.children if child.type == "concatenation" else [child]
            if dollar is not None and child.start_byte == position and pieces and pieces[0].type == "word":
                first = self.source(pieces[0])
                name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", first)
                if name:
                    at = self.pos(dollar)
                    acc.expansion(Expansion("variable", "$" + name.group(), at, at + 1 + len(name.group()),
                                            name=name.group()))
                    acc.unquoted(first[name.end():])
                    pieces = pieces[1:]
                else:
                    acc.literal("$", False)
            elif dollar is not None:
                acc.literal("$", False)
            dollar = None
            if len(pieces) > 1 and pieces[-1].type == "$" and not pieces[-1].is_named:
                dollar, pieces = pieces[-1].start_byte, pieces[:-1]
            for piece in pieces:
                self._parts(piece, acc, False)
            position = child.end_byte
        if dollar is not None:
            acc.literal("$", False)
        return acc.finish(self.text[start:end], start, end)


def _join(left: list[_Pipe], op: str | None, right: list[_Pipe]) -> list[_Pipe]:
    """``left op right`` where a pipe binds tighter than && and ||."""
    if op in ("|", "|&"):
        last, first = left[-1], right[0]
        last.stages[-1].op = op
        last.stages.extend(first.stages)
        last.op = first.op
        return left + right[1:]
    left[-1].op = op
    return left + right


# ---------------------------------------------------------------------------
# Word values
# ---------------------------------------------------------------------------


class _Parts:
    """Accumulates a word's literal characters (with quoting) and expansions."""

    __slots__ = ("parts", "chars", "mask", "expanded", "quoted")

    def __init__(self):
        self.parts: list[Part] = []
        self.chars: list[str] = []  # literal text since the last expansion
        self.mask: list[str] = []  # for every literal character of the word
        self.expanded = False
        self.quoted = False

    def literal(self, text: str, quoted: bool) -> None:
        self.chars.append(text)
        self.mask.append(("1" if quoted else "0") * len(text))
        self.quoted = self.quoted or quoted

    def unquoted(self, text: str) -> None:
        """Unquoted text: a backslash quotes the next character."""
        if "\\" not in text:
            self.literal(text, False)
            return
        i = 0
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text):
                if text[i + 1] != "\n":  # backslash-newline disappears
                    self.literal(text[i + 1], True)
                i += 2
            else:
                self.literal(char, False)
                i += 1

    def expansion(self, part: Expansion) -> None:
        self._flush()
        self.parts.append(part)
        self.expanded = True
        self.quoted = self.quoted or part.quoted

    def _flush(self) -> None:
        if self.chars:
            self.parts.append("".join(self.chars))
            self.chars = []

    def finish(self, text: str, start: int, end: int) -> Word:
        self._flush()
        return _make_word(text, start, end, tuple(self.parts), "".join(self.mask), self.quoted)


def _make_word(text, start, end, parts, mask, quoted) -> Word:
    static = not any(isinstance(p, Expansion) for p in parts)
    literal = "".join(p for p in parts if isinstance(p, str))
    glob = any(c in "*?[" and m == "0" for c, m in zip(literal, mask))
    value = literal if static else None
    brace = static and "{" in literal and _first_brace(literal, mask) is not None
    return Word(text, value, start, end, tuple(parts), quoted=quoted, glob=glob,
                brace=brace, _mask=mask)


def _merge(parts) -> tuple[Part, ...]:
    """Join adjacent literal strings."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return tuple(merged)
