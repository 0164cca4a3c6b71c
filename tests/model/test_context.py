"""The build context: .dockerignore semantics (cases derived from moby/patternmatcher's tests),
COPY source matching (Go's filepath.Match), the lazy and bounded walk, and model.context."""

import os

import pytest

from dfcheck.model.context import BuildContext, ContextFile, open_context
from dfcheck.model.patterns import IgnoreRules, go_match, has_wildcards, read_ignore_lines
from support import model_of, tree

# (pattern, path, ignored) for one pattern, with parent directories matching as BuildKit does.
SINGLE = [
    ("**", "file", True), ("**", "dir/file", True), ("**/", "file", True), ("**/", "dir/file/", True),
    ("**/**", "dir/file", True), ("dir/**", "dir/file", True), ("dir/**", "dir/dir2/file", True),
    ("**/dir", "dir", True), ("**/dir", "dir/file", True), ("**/dir2/*", "dir/dir2/file", True),
    ("**/dir2/*", "dir/dir2/file/", True), ("**/dir2/**", "dir/dir2/dir3/file", True),
    ("**file", "file", True), ("**file", "dir/file", True), ("**/file", "dir/dir/file", True),
    ("**/file*", "dir/dir/file.txt", True), ("**/file*txt", "dir/dir/file.txt", True),
    ("**/**/*.txt", "dir/dir/file.txt", True), ("**/**/*.txt2", "dir/dir/file.txt", False),
    ("**/*.txt", "file.txt", True), ("a**/*.txt", "a/file.txt", True), ("a**/*.txt", "a/dir/dir/file.txt", True),
    ("a/*.txt", "a/dir/file.txt", False), ("a/*.txt", "a/file.txt", True), ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ae", False), ("a[b-d]e", "ace", True), ("a[b-d]e", "aae", False), ("a[^b-d]e", "aze", True),
    (".*", ".foo", True), (".*", "foo", False), ("abc.def", "abcdef", False), ("abc.def", "abc.def", True),
    ("abc?def", "abcZdef", True), ("abc?def", "abcdef", False), ("**/foo/bar", "foo/bar", True),
    ("**/foo/bar", "dir/dir2/foo/bar", True), ("abc/**", "abc", False), ("abc/**", "abc/def/ghi", True),
    ("**/.foo", ".foo", True), ("**/.foo", "bar.foo", False), ("a(b)c/def", "a(b)c/def", True),
    ("a(b)c/def", "a(b)c/xyz", False), ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", True),
    ("a\\\\", "a\\", True), ("a\\*b", "a*b", True), ("a\\*b", "ab", False),
    # filepath.Match cases, with parent matching on top
    ("*", "abc", True), ("*c", "abc", True), ("a*", "ab/c", True), ("a*/b", "abc/b", True), ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False), ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("ab[^c]", "abc", False), ("ab[^e-g]", "abc", True), ("a?b", "a☺b", True), ("a???b", "a☺b", False),
    ("a?b", "a/b", False), ("a*b", "a/b", False), ("[\\]a]", "]", True), ("[x\\-]", "-", True),
    ("[x\\-]", "z", False), ("*x", "xxx", True),
    # directories: the pattern matching a parent ignores everything below it
    ("docs", "docs/README.md", True), ("docs/", "docs/README.md", True), ("*.go", "dir/a.go", False),
    ("node_modules", "node_modules/x/y.js", True), ("node_modules", "src/node_modules/y.js", False),
]


@pytest.mark.parametrize("pattern, path, ignored", SINGLE)
def test_single_pattern(pattern, path, ignored):
    rules = IgnoreRules(read_ignore_lines(pattern))
    assert not rules.errors
    assert rules.ignored(path) is ignored


@pytest.mark.parametrize("patterns, path, ignored", [
    (["**", "!util/docker/web"], "util/docker/web/foo", False),
    (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", True),
    (["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", False),
    (["!fileutils.go", "*.go"], "fileutils.go", True),  # the last match wins
    (["*.go", "!fileutils.go"], "fileutils.go", False),
    (["docs", "!docs/README.md"], "docs/README.md", False),
    (["docs/", "!docs/README.md"], "docs/README.md", False),
    (["docs/*", "!docs/README.md"], "docs/README.md", False),
    (["docs/*", "!docs/README.md"], "docs/other.md", True),
    (["*", "!keep"], "keep/inside", False),
])
def test_pattern_lists_last_match_wins(patterns, path, ignored):
    assert IgnoreRules(patterns).ignored(path) is ignored


def test_no_patterns_and_the_root():
    assert IgnoreRules([]).ignored("/any/path/there") is False
    assert IgnoreRules(["*.go"]).ignored(".") is False


@pytest.mark.parametrize("bad", ["!", "[", "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[^", "[^bc", "a["])
def test_malformed_patterns_are_reported_not_matched(bad):
    rules = IgnoreRules([bad])
    assert rules.errors and not rules.patterns


def test_reading_dockerignore_lines():
    text = "\ufeff# comment\n  # not a comment\n\n  /abs/path  \n./rel/x/\n!  keep.txt\nfoo//bar/../baz\r\n"
    assert read_ignore_lines(text) == ["# not a comment", "abs/path", "rel/x", "!keep.txt", "foo/baz"]


def test_go_match():
    assert go_match("*.py", "a.py") and not go_match("*.py", "d/a.py")
    assert go_match("[a-c]?", "bx") and not go_match("[^a-c]?", "bx")
    assert go_match("a\\*b", "a*b") and not go_match("a\\*b", "axb")
    assert not go_match("[", "[") and not go_match("[]", "]")
    assert has_wildcards("*.txt") and has_wildcards("a[bc]") and not has_wildcards("a\\*b") and not has_wildcards("plain")


def test_files_of_sources(tmp_path):
    tree(tmp_path, {
        "app/main.py": "x" * 10, "app/lib/util.py": "y" * 20, "app/lib/data.bin": b"\0" * 30,
        "requirements.txt": "flask\n", "README.md": "hello", "a1.txt": "1", "b2.txt": "22",
    })
    context = BuildContext(str(tmp_path))
    assert context.files("requirements.txt") == [ContextFile("requirements.txt", 6)]
    assert context.files("/requirements.txt") == context.files("./requirements.txt") == context.files("requirements.txt")
    assert [f.path for f in context.files("app")] == ["app/lib/data.bin", "app/lib/util.py", "app/main.py"]
    assert context.size(context.files("app/")) == 60
    assert [f.path for f in context.files("*.txt")] == ["a1.txt", "b2.txt", "requirements.txt"]
    assert [f.path for f in context.files("?[0-9].txt")] == ["a1.txt", "b2.txt"]
    assert [f.path for f in context.files("app/*/*.py")] == ["app/lib/util.py"]
    assert [f.path for f in context.files("ap*")] == ["app/lib/data.bin", "app/lib/util.py", "app/main.py"]
    assert context.files("missing.txt") == [] and context.files("nope/*") == []
    assert context.files("../../etc/passwd") == []  # `..` never leaves the context
    assert len(context.files(".")) == 7
    assert context.kind("app") == "dir" and context.kind("README.md") == "file" and context.kind("x") is None


def test_dockerignore_filters_files_and_exceptions_reinclude(tmp_path):
    tree(tmp_path, {
        ".dockerignore": "node_modules\n**/*.log\n!important.log\ndocs\n!docs/keep.md\n",
        "node_modules/a/index.js": "js", "app/debug.log": "log", "important.log": "keep", "app/x.py": "x",
        "docs/keep.md": "k", "docs/drop.md": "d",
    })
    context = BuildContext(str(tmp_path), str(tmp_path / ".dockerignore"))
    assert [f.path for f in context.files(".")] == [".dockerignore", "app/x.py", "docs/keep.md", "important.log"]
    assert context.ignored("node_modules/a/index.js") and context.ignored("app/debug.log")
    assert not context.ignored("important.log") and not context.ignored("docs/keep.md")
    assert context.head("app/debug.log") is None and context.head("important.log") == b"keep"
    assert context.head("docs/keep.md", 0) == b""
    assert context.kind("node_modules") is None and context.kind("docs") == "dir"
    assert context.files("node_modules") == []
    assert context.note is None


def test_symlinks_are_not_followed_out_of_the_context(tmp_path):
    outside = tmp_path / "outside"
    tree(outside, {"secret": "s" * 100, "sub/deep": "d"})
    ctx = tmp_path / "ctx"
    tree(ctx, {"real/file": "abc"})
    os.symlink(outside / "secret", ctx / "link-to-secret")
    os.symlink(outside / "sub", ctx / "link-dir")
    os.symlink(ctx / "real", ctx / "inside-link")
    context = BuildContext(str(ctx))
    assert context.head("link-to-secret") is None
    assert context.files("link-dir") == [] and context.files("link-dir/deep") == []
    assert context.files("link-to-secret") == []
    # A link inside the context: the walk lists it as a link, a source naming it is followed.
    assert ContextFile("inside-link", 0) in context.files(".")
    assert context.files("inside-link") == [ContextFile("real/file", 3)]
    assert context.head("inside-link/file") == b"abc"


def test_walk_is_bounded_with_a_note(tmp_path):
    tree(tmp_path, {f"d{i}/f{j}": "x" for i in range(10) for j in range(10)})
    context = BuildContext(str(tmp_path), max_entries=25)
    found = context.files(".")
    assert len(found) < 100
    assert "stopped scanning the build context after 25 entries" in context.note


def test_walk_is_lazy(tmp_path):
    tree(tmp_path, {f"big/d{i}/f": "x" for i in range(50)} | {"small/a": "a"})
    context = BuildContext(str(tmp_path))
    assert context.files("small/a") == [ContextFile("small/a", 1)]
    assert not any(name.startswith("big") for name in context._listings)


def test_a_lookup_reads_the_size_of_only_the_files_it_copies(tmp_path, monkeypatch):
    """Listing a directory takes each entry's kind from the directory itself; a size is read when asked, so a COPY
    of one file from a large folder makes one stat call, not one per entry."""
    tree(tmp_path, {f"f{i}.txt": "x" * i for i in range(200)} | {"sub/a": "a", "fifo-dir/x": ""})
    os.symlink("f1.txt", tmp_path / "link")
    os.mkfifo(tmp_path / "fifo")
    calls = []
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: calls.append(path) or real_lstat(path, *a, **k))
    context = BuildContext(str(tmp_path))
    assert context.files("f7.txt") == [ContextFile("f7.txt", 7)]
    assert [c for c in calls if os.path.dirname(c) == str(tmp_path)] == [str(tmp_path / "f7.txt")]
    kinds = {e.name: (e.kind, e.size) for e in context._list(".")}
    assert kinds["sub"] == ("dir", 0) and kinds["link"] == ("link", 0) and kinds["fifo"] == ("other", 0)
    assert kinds["f150.txt"] == ("file", 150)


def test_dockerfile_specific_ignore_file_takes_precedence(tmp_path):
    tree(tmp_path, {".dockerignore": "a.txt\n", "build/Dockerfile": "FROM x\n",
                    "build/Dockerfile.dockerignore": "b.txt\n", "a.txt": "a", "b.txt": "b"})
    context = open_context(str(tmp_path), str(tmp_path / "build" / "Dockerfile"))
    assert context.ignore_file.endswith("Dockerfile.dockerignore")
    assert not context.ignored("a.txt") and context.ignored("b.txt")
    other = open_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    assert other.ignored("a.txt") and not other.ignored("b.txt")


def test_model_context_is_lazy_and_optional(tmp_path):
    tree(tmp_path, {"a.txt": "abc"})
    model = model_of("FROM alpine\nCOPY a.txt /\n", context_dir=str(tmp_path))
    assert "_context" not in vars(model)
    assert model.context.files("a.txt") == [ContextFile("a.txt", 3)]
    assert model.context is model.context
    assert model_of("FROM alpine\n").context is None
    assert model_of("FROM alpine\n", context_dir=str(tmp_path / "missing")).context is None


def test_bad_ignore_lines_give_a_note(tmp_path):
    tree(tmp_path, {".dockerignore": "[\nok\n"})
    context = open_context(str(tmp_path))
    assert context.ignored("ok") and "BuildKit rejects" in context.note


# -- linear-time matching, with the results of the regular expressions it replaces ------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_GLOB_PARTS = st.lists(st.sampled_from(["a", "b", "/", "*", "**", "?", "[ab]", "[^a]", "\\*", "."]), max_size=7)
_PATHS = st.text(alphabet="ab/.*", max_size=10)


def _go_regex(pattern):
    """Go's filepath.Match as a regular expression (what dfcheck used): the oracle for short inputs."""
    import re

    from dfcheck.model.patterns import _class_regex

    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            translated = _class_regex(pattern, i)
            if translated is None:
                return None
            out.append(translated[0])
            i = translated[1]
            continue
        elif ch == "\\":
            if i + 1 >= len(pattern):
                return None
            out.append(re.escape(pattern[i + 1]))
            i += 1
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


@settings(max_examples=400, deadline=None)
@given(_GLOB_PARTS, _PATHS)
def test_copy_globs_match_as_go_does(parts, name):
    pattern = "".join(parts)
    regex = _go_regex(pattern)
    assert go_match(pattern, name) == (regex is not None and regex.match(name) is not None)


@settings(max_examples=400, deadline=None)
@given(_GLOB_PARTS.filter(lambda parts: "".join(parts).strip("/")), _PATHS)
def test_dockerignore_automaton_matches_as_the_regular_expression_does(parts, path):
    import re

    from dfcheck.model.patterns import compile_ignore_pattern
    from dfcheck.model.globmatch import IgnoreAutomaton, _tokens

    try:
        pattern = compile_ignore_pattern("".join(parts))
    except ValueError:
        return
    if pattern.regex is None:
        return
    regex = pattern.regex if isinstance(pattern.regex, re.Pattern) else None
    if regex is None:
        automaton = pattern.regex
        regex = re.compile(_regex_text(automaton.tokens) + r"\Z", re.DOTALL)
    else:
        tokens = _tokens(regex.pattern[:-2])
        if tokens is None:
            return
        automaton = IgnoreAutomaton(tokens)
    assert bool(automaton.match(path)) == (regex.match(path) is not None)


def _regex_text(tokens):
    import re

    from dfcheck.model.globmatch import _ANY, _NOT_SLASH

    out = []
    for kind, predicate in tokens:
        if kind == "glob":
            out.append("(.*/)?")
        elif kind == "bol":
            out.append("^")
        else:
            text = ("." if predicate is _ANY else "[^/]" if predicate is _NOT_SLASH
                    else re.escape(predicate) if isinstance(predicate, str) else predicate.pattern)
            out.append(text + ("*" if kind == "loop" else ""))
    return "".join(out)


def test_pathological_globs_and_ignore_patterns_take_linear_time(tmp_path):
    # `*a*a*a*a*a*a*a*b` against a long name took 28 s as a COPY glob and 8.6 s in .dockerignore; in a
    # subprocess, so that a regression fails the test instead of hanging the run.
    import subprocess
    import sys

    name = "a" * 250  # about the longest file name there is; enough for the regex to run for ever
    (tmp_path / name).write_text("x")
    (tmp_path / ".dockerignore").write_text("*a*a*a*a*a*a*a*a*a*a*a*a*b\n**/**/**/**/**/**/**/**/c\n")
    code = (
        "from dfcheck.model.context import BuildContext\nfrom dfcheck.model.patterns import go_match\n"
        f"context = BuildContext({str(tmp_path)!r}, {str(tmp_path / '.dockerignore')!r})\n"
        f"print(go_match('*a*a*a*a*a*a*a*a*a*a*a*a*b', {name!r}), context.ignored({name!r}),\n"
        f"      context.ignored('a/' * 1000 + 'd'), [p for p, _ in context.matches('*a*a*a*a*a*a*a*a*a*a*a*a*')])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"False False False [{name!r}]\n"


def test_kept_contexts_are_reused_until_forgotten(tmp_path, monkeypatch):
    from dfcheck.model import context

    monkeypatch.setattr(context, "_kept", None)
    (tmp_path / "app.py").write_text("x")
    assert context.open_context(str(tmp_path)) is not context.open_context(str(tmp_path))  # not kept by default
    context.keep_contexts()
    first = context.open_context(str(tmp_path))
    assert first.exists("app.py") and not first.exists("new.py")
    (tmp_path / "new.py").write_text("y")
    again = context.open_context(str(tmp_path))
    assert again is first and not again.exists("new.py")  # the listing is kept: no rescan per lint
    context.forget_contexts()
    fresh = context.open_context(str(tmp_path))
    assert fresh is not first and fresh.exists("new.py")
    (tmp_path / ".dockerignore").write_text("*.py\n")  # another ignore file: another context
    assert context.open_context(str(tmp_path)) is not fresh
