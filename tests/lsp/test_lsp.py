"""The language server, driven as an editor drives it: `dfcheck lsp` in a subprocess, LSP over its stdio.

Each test starts a server in a temporary directory holding a `.dfcheck.toml` (the server must read it, as
the command line would), opens documents there and waits for what the server sends back. Nothing waits
on a clock to decide an outcome: waits end when the awaited message arrives, with a generous timeout.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")
pytest.importorskip("pytest_lsp", reason="the language server tests use pytest-lsp's client")
pytest_asyncio = pytest.importorskip("pytest_asyncio")

from hypothesis import given, strategies as st  # noqa: E402
from lsprotocol import types as T  # noqa: E402
from pytest_lsp import LanguageClient, client_capabilities  # noqa: E402

from dfcheck.docs import project_urls  # noqa: E402
from dfcheck.lsp.features import TextMap, text_edits, units  # noqa: E402

RULE_DOC_URL = project_urls()["documentation"] + "#{anchor}"
from dfcheck.syntax.nodes import Span  # noqa: E402

TIMEOUT = 60  # seconds; a slow CI machine starting Python and importing pygls takes a few
HERE = Path(__file__).parent
SERVER = [sys.executable, "-m", "dfcheck", "lsp"]
CRASHING_SERVER = [sys.executable, str(HERE / "crashing_server.py")]

CONFIG = textwrap.dedent("""\
    select = ["DF001", "DF004", "DF301", "DF404", "DF405"]
    severity = { DF004 = "info", DF404 = "style" }
""")

DOC = (
    "FROM scratch AS base\n"
    'LABEL note="café 😀" other=$NOPE\n'
    "WORKDIR é😀/app\n"
    'CMD ["a"]\n'
    "  MAINTAINER me\n"
    "CMD b\n"
)


def message_of(code: str, text: str, tmp_path: Path) -> list[str]:
    """What the engine itself says for `code` on `text` (the wording is the rules' business, not the server's)."""
    from dfcheck.config import Resolver
    from dfcheck.engine import lint_text, load_rules

    path = str(tmp_path / "Dockerfile")
    result = lint_text(text, path, Resolver(load_rules()).settings_for(path))
    return [f.message for f in result.findings if f.code == code]


# ---------------------------------------------------------------- the client


class Session:
    """A server subprocess and a client that records what the server sends."""

    def __init__(self, client: LanguageClient, root: Path):
        self.client = client
        self.root = root
        self.published: list[T.PublishDiagnosticsParams] = []
        self.logs: list[T.LogMessageParams] = []
        self.shown: list[T.ShowMessageParams] = []
        self.settings: dict | None = None  # what workspace/configuration answers for "dfcheck"
        self.configuration_requests = 0
        self.result: T.InitializeResult | None = None
        self.exit_status: int | None = None
        self._arrived = asyncio.Event()
        self._versions: dict[str, int] = {}

        @client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: T.PublishDiagnosticsParams):
            self.published.append(params)
            self._arrived.set()

        @client.feature(T.WINDOW_LOG_MESSAGE)
        def on_log(params: T.LogMessageParams):
            self.logs.append(params)
            self._arrived.set()

        @client.feature(T.WINDOW_SHOW_MESSAGE)
        def on_show(params: T.ShowMessageParams):
            self.shown.append(params)
            self._arrived.set()

        @client.feature(T.WORKSPACE_CONFIGURATION)
        def on_configuration(params: T.ConfigurationParams):
            self.configuration_requests += 1
            self._arrived.set()
            return [self.settings if item.section == "dfcheck" else None for item in params.items]

        @client.feature(T.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: T.RegistrationParams):
            return None

    # -- waiting --------------------------------------------------------------------------

    async def until(self, predicate, what: str):
        """Wait until `predicate()` returns something truthy (re-checked whenever a message arrives)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while True:
            value = predicate()
            if value:
                return value
            self._arrived.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; published: {self.published!r}; "
                                     f"logs: {[m.message for m in self.logs]!r}")
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def diagnostics(self, uri: str, *, version=None, after: int = 0) -> list[T.Diagnostic]:
        """The first diagnostics published for `uri` (of `version`, when given) after the `after`-th publish."""
        def find():
            for p in self.published[after:]:
                if p.uri == uri and (version is None or p.version == version):
                    return p
            return None

        params = await self.until(find, f"diagnostics for {uri} version {version}")
        return list(params.diagnostics)

    # -- documents ------------------------------------------------------------------------

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, language_id: str = "dockerfile") -> str:
        uri = self.uri(name)
        self._versions[uri] = 1
        self.client.text_document_did_open(T.DidOpenTextDocumentParams(
            text_document=T.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return uri

    def change(self, uri: str, rng: T.Range | None, text: str) -> int:
        """An edit as an editor sends it (incremental when `rng` is given); returns the new version."""
        self._versions[uri] += 1
        change = (T.TextDocumentContentChangePartial(range=rng, text=text) if rng is not None
                  else T.TextDocumentContentChangeWholeDocument(text=text))
        self.client.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=self._versions[uri]),
            content_changes=[change]))
        return self._versions[uri]

    async def actions(self, uri: str, start, end=None, only=None) -> list[T.CodeAction]:
        end = end or start
        result = await asyncio.wait_for(self.client.text_document_code_action_async(T.CodeActionParams(
            text_document=T.TextDocumentIdentifier(uri=uri),
            range=T.Range(start=T.Position(*start), end=T.Position(*end)),
            context=T.CodeActionContext(diagnostics=[], only=only),
        )), TIMEOUT)
        return list(result or [])

    async def hover(self, uri: str, line: int, character: int) -> T.Hover | None:
        return await asyncio.wait_for(self.client.text_document_hover_async(T.HoverParams(
            text_document=T.TextDocumentIdentifier(uri=uri), position=T.Position(line, character))), TIMEOUT)

    async def stop(self, *, shutdown: bool = True) -> int:
        if self.exit_status is None:
            if shutdown:
                await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
            self.client.exit(None)
            self.exit_status = await asyncio.wait_for(self.client._server.wait(), TIMEOUT)
            await self.client.stop()
        return self.exit_status


async def start(root: Path, *, command=SERVER, capabilities="visual-studio-code", options=None) -> Session:
    client = LanguageClient()
    session = Session(client, root)
    await client.start_io(*command, cwd=str(root))
    session.result = await asyncio.wait_for(client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities(capabilities),
        root_uri=root.as_uri(),
        workspace_folders=[T.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options,
    )), TIMEOUT)
    return session


@pytest_asyncio.fixture
async def lsp(tmp_path):
    (tmp_path / ".dfcheck.toml").write_text(CONFIG)
    session = await start(tmp_path)
    yield session
    await session.stop()


def rows(diagnostics) -> list[tuple]:
    return [(d.code, d.severity, (d.range.start.line, d.range.start.character, d.range.end.line,
                                  d.range.end.character)) for d in diagnostics]


def edits_of(action: T.CodeAction, uri: str) -> list[T.TextEdit]:
    edit = action.edit
    if edit.document_changes:
        return [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    return list(edit.changes[uri])


def apply(text: str, edits, encoding: str = "utf-16") -> str:
    """Apply LSP text edits to `text` as an editor does (all ranges refer to the text before the edits)."""
    tm = TextMap(text, encoding)
    spans = [(tm.lsp_offset(e.range.start.line, e.range.start.character),
              tm.lsp_offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def summary(action: T.CodeAction, uri: str) -> tuple:
    return (action.title, action.kind, action.is_preferred,
            [((e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.new_text)
             for e in edits_of(action, uri)])


# ---------------------------------------------------------------- diagnostics

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


@pytest.mark.asyncio
async def test_diagnostics_on_open_have_exact_utf16_ranges_codes_severities_and_links(lsp, tmp_path):
    uri = lsp.open("Dockerfile", DOC)
    diagnostics = await lsp.diagnostics(uri, version=1)
    # Line 2: `LABEL note="café 😀" other=$NOPE`: é is one UTF-16 unit, 😀 two, so $NOPE starts at 27.
    # Line 3: `WORKDIR é😀/app`: the path ends at 15 code units (14 code points).
    assert rows(diagnostics) == [
        ("DF004", T.DiagnosticSeverity.Information, (1, 27, 1, 32)),
        ("DF405", T.DiagnosticSeverity.Warning, (2, 8, 2, 15)),
        ("DF301", T.DiagnosticSeverity.Warning, (3, 0, 3, 3)),
        ("DF404", T.DiagnosticSeverity.Hint, (4, 2, 4, 12)),  # the keyword after the indentation
    ]
    assert all(d.source == "dfcheck" for d in diagnostics)
    assert [d.message for d in diagnostics] == [
        message_of(code, DOC, tmp_path)[0] for code in ("DF004", "DF405", "DF301", "DF404")]
    assert diagnostics[1].code_description.href == RULE_DOC_URL.format(anchor="df405-relative-workdir")
    assert lsp.result.capabilities.position_encoding in (None, T.PositionEncodingKind.Utf16)


@pytest.mark.asyncio
async def test_positions_count_utf8_bytes_when_the_client_negotiates_utf8(tmp_path):
    (tmp_path / ".dfcheck.toml").write_text(CONFIG)
    session = await start(tmp_path, capabilities="neovim@v0.11.0")  # lists utf-8 first
    try:
        assert session.result.capabilities.position_encoding == T.PositionEncodingKind.Utf8
        uri = session.open("Dockerfile", DOC)
        diagnostics = await session.diagnostics(uri, version=1)
        # é is 2 bytes and 😀 4: $NOPE starts at byte 30; the WORKDIR path ends at byte 18.
        assert rows(diagnostics)[:2] == [
            ("DF004", T.DiagnosticSeverity.Information, (1, 30, 1, 35)),
            ("DF405", T.DiagnosticSeverity.Warning, (2, 8, 2, 18)),
        ]
    finally:
        assert await session.stop() == 0


@pytest.mark.asyncio
async def test_a_fix_typed_into_the_document_clears_its_diagnostic(lsp):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    # Type "/" before the relative WORKDIR path (an incremental change, as editors send keystrokes).
    version = lsp.change(uri, T.Range(start=T.Position(2, 8), end=T.Position(2, 8)), "/")
    assert version == 2
    diagnostics = await lsp.diagnostics(uri, version=2)
    assert [d.code for d in diagnostics] == ["DF004", "DF301", "DF404"]
    # Retyping the whole document (full sync) works the same way.
    lsp.change(uri, None, "FROM scratch\nWORKDIR app\n")
    assert rows(await lsp.diagnostics(uri, version=3)) == [("DF405", T.DiagnosticSeverity.Warning, (1, 8, 1, 11))]


@pytest.mark.asyncio
async def test_save_lints_again_and_close_clears_the_diagnostics(lsp):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    seen = len(lsp.published)
    lsp.client.text_document_did_save(T.DidSaveTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=uri)))
    assert len(await lsp.diagnostics(uri, version=1, after=seen)) == 4
    seen = len(lsp.published)
    lsp.client.text_document_did_close(T.DidCloseTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=uri)))
    assert await lsp.diagnostics(uri, after=seen) == []


@pytest.mark.asyncio
async def test_only_dockerfiles_by_name_or_language_id_are_linted(lsp):
    text = "FROM scratch\nWORKDIR app\n"
    lsp.open("notes.txt", text, language_id="plaintext")
    lsp.open("Dockerfile.dev", text, language_id="plaintext")
    lsp.open("api.dockerfile", text, language_id="plaintext")
    lsp.open("Containerfile", text, language_id="plaintext")
    lsp.open("build.txt", text, language_id="dockerfile")
    last = lsp.uri("build.txt")
    await lsp.diagnostics(last, version=1)  # the server handles notifications in order: the others came first
    assert [p.uri.rsplit("/", 1)[1] for p in lsp.published] == [
        "Dockerfile.dev", "api.dockerfile", "Containerfile", "build.txt"]


@pytest.mark.asyncio
async def test_a_document_that_does_not_parse_still_gets_every_other_diagnostic(lsp):
    uri = lsp.open("Dockerfile", 'FROM scratch\nRUNN make\nCMD ["unterminated\nWORKDIR app\n')
    diagnostics = await lsp.diagnostics(uri, version=1)
    codes = [d.code for d in diagnostics]
    assert codes.count("DF001") >= 1 and "DF405" in codes
    assert rows(diagnostics)[0] == ("DF001", T.DiagnosticSeverity.Error, (1, 0, 1, 4))


# ---------------------------------------------------------------- code actions


@pytest.mark.asyncio
async def test_quick_fix_for_a_safe_fix_is_preferred_and_the_ignore_action_follows(lsp):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    actions = await lsp.actions(uri, (2, 10), only=[T.CodeActionKind.QuickFix])
    assert [summary(a, uri) for a in actions] == [
        ("DF405: Use the absolute path /é😀/app", "quickfix", True, [((2, 8, 2, 15), "/é😀/app")]),
        ("Ignore DF405 for this instruction", "quickfix", False, [((2, 0, 2, 0), "# dfcheck: ignore=DF405\n")]),
    ]
    assert [d.code for d in actions[0].diagnostics] == ["DF405"]
    # The fix, applied, makes the diagnostic go away.
    fixed = apply(DOC, edits_of(actions[0], uri))
    assert fixed.splitlines()[2] == "WORKDIR /é😀/app"
    lsp.change(uri, None, fixed)
    assert "DF405" not in [d.code for d in await lsp.diagnostics(uri, version=2)]


@pytest.mark.asyncio
async def test_unsafe_fix_is_offered_not_preferred_and_ignore_keeps_the_indentation(lsp):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    actions = await lsp.actions(uri, (4, 2), (4, 5))
    assert [summary(a, uri) for a in actions] == [
        ("DF404: Replace with the org.opencontainers.image.authors label (unsafe fix: review it)", "quickfix", False,
         [((4, 2, 4, 15), 'LABEL org.opencontainers.image.authors="me"')]),
        ("Ignore DF404 for this instruction", "quickfix", False, [((4, 0, 4, 0), "  # dfcheck: ignore=DF404\n")]),
        # Asked without `only`, the server offers the fix-all source action too.
        ("dfcheck: fix all safely fixable findings (2)", "source.fixAll.dfcheck", None,
         [((2, 8, 2, 8), "/"), ((3, 0, 4, 0), "")]),
    ]
    # The ignore comment, applied, silences exactly that finding.
    lsp.change(uri, None, apply(DOC, edits_of(actions[1], uri)))
    assert [d.code for d in await lsp.diagnostics(uri, version=2)] == ["DF004", "DF405", "DF301"]


@pytest.mark.asyncio
async def test_ignore_merges_into_the_comment_directly_above_and_keeps_crlf(lsp):
    text = ("FROM scratch\r\n"
            "# keep this\r\n"
            "# dfcheck: ignore=DF004 -- the base sets it\r\n"
            "ENV HOME=$NOPE/app\r\n"
            "WORKDIR app\r\n")
    uri = lsp.open("Dockerfile", text)
    assert [d.code for d in await lsp.diagnostics(uri, version=1)] == ["DF405"]
    merged = [a for a in await lsp.actions(uri, (4, 8)) if a.title.startswith("Ignore")]
    assert [summary(a, uri) for a in merged] == [
        ("Ignore DF405 for this instruction", "quickfix", False, [((4, 0, 4, 0), "# dfcheck: ignore=DF405\r\n")])]
    # With the finding on the instruction under the comment, the code joins the comment's list.
    text = ("FROM scratch\n"
            "# dfcheck: ignore=DF004   -- the base sets it\n"
            "WORKDIR rel\n")
    lsp.change(uri, None, text)
    assert [d.code for d in await lsp.diagnostics(uri, version=2)] == ["DF405"]
    actions = [a for a in await lsp.actions(uri, (2, 8)) if a.title.startswith("Ignore")]
    assert [summary(a, uri) for a in actions] == [
        ("Ignore DF405 for this instruction", "quickfix", False, [((1, 23, 1, 23), ",DF405")])]
    assert apply(text, edits_of(actions[0], uri)).splitlines()[1] == "# dfcheck: ignore=DF004,DF405   -- the base sets it"


@pytest.mark.asyncio
async def test_fix_all_applies_every_safe_fix_and_nothing_else(lsp):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    actions = await lsp.actions(uri, (0, 0), only=[T.CodeActionKind.SourceFixAll])
    assert [(a.title, a.kind) for a in actions] == [
        ("dfcheck: fix all safely fixable findings (2)", "source.fixAll.dfcheck")]
    assert apply(DOC, edits_of(actions[0], uri)) == (
        "FROM scratch AS base\n"
        'LABEL note="café 😀" other=$NOPE\n'
        "WORKDIR /é😀/app\n"
        "  MAINTAINER me\n"  # unsafe: left alone
        "CMD b\n"
    )
    # Minimal edits: the "/" inserted and the overridden CMD's line deleted, nothing else rewritten.
    assert [e.new_text for e in edits_of(actions[0], uri)] == ["/", ""]
    # Asked for quick fixes only, fix-all is not offered; asked for source actions, quick fixes are not.
    assert all(a.kind == "quickfix" for a in await lsp.actions(uri, (2, 8), only=[T.CodeActionKind.QuickFix]))
    assert [a.kind for a in await lsp.actions(uri, (2, 8), only=[T.CodeActionKind.Source])] == [
        "source.fixAll.dfcheck"]


@pytest.mark.asyncio
async def test_quick_fixes_are_the_fix_loop_s_own(tmp_path):
    # The fix as `dfcheck --fix` applies it: its inserted line takes this CRLF document's line end.
    (tmp_path / ".dfcheck.toml").write_text(CONFIG)
    lsp = await start(tmp_path, options={"dfcheck": {"extendSelect": ["DF307"]}})
    try:
        text = 'FROM alpine AS base\r\nCMD ["app"]\r\nFROM base\r\nENTRYPOINT ["tini", "--"]\r\n'
        uri = lsp.open("Dockerfile", text)
        assert [d.code for d in await lsp.diagnostics(uri, version=1)] == ["DF307"]
        [fix] = [a for a in await lsp.actions(uri, (3, 0)) if a.title.startswith("DF307")]
        assert summary(fix, uri) == (
            'DF307: Repeat the inherited CMD: CMD ["app"] (unsafe fix: review it)', "quickfix", False,
            [((3, 25, 3, 25), '\r\nCMD ["app"]')])
    finally:
        await lsp.stop()


# ---------------------------------------------------------------- hover


@pytest.mark.asyncio
async def test_hover_on_a_diagnostic_shows_the_rule_page(lsp, tmp_path):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    hover = await lsp.hover(uri, 2, 12)
    assert hover.contents.kind == T.MarkupKind.Markdown
    message = message_of("DF405", DOC, tmp_path)[0]
    assert hover.contents.value.startswith(
        f"**DF405** `relative-workdir` (warning): {message}\n\n"
        "Fix (safe): Use the absolute path /é😀/app\n\n"
        "WORKDIR with a relative path.\n\n## What it does\n"
    )
    assert hover.contents.value.endswith(
        f"[DF405 in the dfcheck rules reference]({RULE_DOC_URL.format(anchor='df405-relative-workdir')})")
    assert (hover.range.start.line, hover.range.start.character, hover.range.end.character) == (2, 8, 15)


@pytest.mark.asyncio
async def test_hover_on_cmd_and_entrypoint_shows_the_argv_the_container_runs(lsp):
    text = ("FROM python:3.12 AS app\n"
            "ENTRYPOINT [\"tini\", \"--\"]\n"
            "ENTRYPOINT [\"/entrypoint.sh\"]\n"
            "CMD python -m app\n"
            "FROM app\n")
    uri = lsp.open("Dockerfile", text)
    await lsp.diagnostics(uri, version=1)
    cmd = await lsp.hover(uri, 3, 1)
    assert cmd.contents.value == (
        "**CMD** sets the container's default command, or the default arguments of an exec-form ENTRYPOINT.\n\n"
        "The container of stage `app` runs:\n\n"
        "```\n"
        '["/entrypoint.sh", "/bin/sh", "-c", "python -m app"]\n'
        "```"
    )
    assert (cmd.range.start.line, cmd.range.start.character, cmd.range.end.character) == (3, 0, 3)
    overridden = await lsp.hover(uri, 1, 4)
    assert overridden.contents.value.startswith(
        "**ENTRYPOINT** sets the program the container runs; CMD and `docker run` arguments are appended to an "
        "exec-form ENTRYPOINT.\n\n"
        "This ENTRYPOINT is overridden by the ENTRYPOINT at line 3: only the last ENTRYPOINT of a stage counts."
    )
    base = await lsp.hover(uri, 0, 0)
    assert base.contents.value == (
        "**FROM** starts a build stage from a base image or an earlier stage.\n\n"
        "This is stage `app` of 2; it builds on the image `python:3.12`. Its layers ship in the image: "
        "the target, stage 1, builds on it."
    )
    assert await lsp.hover(uri, 3, 8) is None  # not a keyword, no finding


# ---------------------------------------------------------------- configuration


@pytest.mark.asyncio
async def test_did_change_configuration_sets_select_and_ignore_over_the_config_file(lsp, tmp_path):
    (tmp_path / "my app").mkdir()
    uri = lsp.open("my app/Dockerfile", DOC)  # the URI says "my%20app": diagnostics must come back under it
    assert "my%20app" in uri
    await lsp.diagnostics(uri, version=1)
    seen = len(lsp.published)
    lsp.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"dfcheck": {"ignore": ["DF405", "multiple-cmd"]}}))
    assert [d.code for d in await lsp.diagnostics(uri, after=seen)] == ["DF004", "DF404"]
    seen = len(lsp.published)
    lsp.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"dfcheck": {"select": ["DF404"]}}))
    diagnostics = await lsp.diagnostics(uri, after=seen)
    assert rows(diagnostics) == [("DF404", T.DiagnosticSeverity.Hint, (4, 2, 4, 12))]  # the file's severity stays
    # A bad selector is reported to the user; the server goes on with the configuration files alone.
    seen = len(lsp.published)
    lsp.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"dfcheck": {"select": ["DF40S"]}}))
    assert len(await lsp.diagnostics(uri, after=seen)) == 4
    shown = await lsp.until(lambda: lsp.shown, "a message about the bad setting")
    assert 'unknown rule "DF40S"' in shown[-1].message and shown[-1].type == T.MessageType.Error


@pytest.mark.asyncio
async def test_settings_pulled_from_the_client_and_given_at_initialization_apply(tmp_path):
    (tmp_path / ".dfcheck.toml").write_text(CONFIG)
    client = LanguageClient()
    session = Session(client, tmp_path)
    session.settings = {}  # what an editor answers for a section the user never set: it must not undo the options
    await client.start_io(*SERVER, cwd=str(tmp_path))
    session.result = await asyncio.wait_for(client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri(),
        initialization_options={"dfcheck": {"ignore": ["DF004", "DF301", "DF404"]}})), TIMEOUT)
    try:
        uri = session.open("Dockerfile", DOC)
        assert [d.code for d in await session.diagnostics(uri, version=1)] == ["DF405"]
        # Another document, opened once the server has asked for the settings and got {}, is linted alike.
        await session.until(lambda: session.configuration_requests, "the server asking for its settings")
        other = session.open("Containerfile", DOC)
        assert [d.code for d in await session.diagnostics(other, version=1)] == ["DF405"]
        # A change notification without settings makes the server ask for them (workspace/configuration).
        session.settings = {"select": ["DF404"]}
        seen = len(session.published)
        session.client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings=None))
        assert [d.code for d in await session.diagnostics(uri, after=seen)] == ["DF404"]
    finally:
        assert await session.stop() == 0


@pytest.mark.asyncio
async def test_a_changed_configuration_file_applies_to_the_open_documents(lsp, tmp_path):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    (tmp_path / ".dfcheck.toml").write_text('select = ["DF405"]\n')
    seen = len(lsp.published)
    lsp.client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
        T.FileEvent(uri=(tmp_path / ".dfcheck.toml").as_uri(), type=T.FileChangeType.Changed)]))
    assert [d.code for d in await lsp.diagnostics(uri, after=seen)] == ["DF405"]


EDITED = (
    "# syntax=docker/dockerfile:1\n"
    "FROM python:3.12 AS base\n"
    "ARG VERSION=1.0\n"
    "ENV APP=/app\n"
    "WORKDIR $APP\n"
    "RUN apt-get update && apt-get install -y curl \\\n"
    "    && cd /tmp && echo $VERSION\n"
    "ONBUILD COPY . /src\n"
    "COPY <<EOF /etc/app.conf\n"
    "key=value\n"
    "EOF\n"
    "FROM base AS final\n"
    "RUN pip install flask && curl http://x | sh\n"
    "MAINTAINER me\n"
    "CMD python app.py\n"
)
EDITS = [  # (line, character, end line, end character, new text), applied one after another
    (6, 31, 6, 31, " $UNSET"),  # at the end of the continuation line of a RUN
    (3, 0, 3, 0, "RUN echo one\nRUN echo two\n"),  # two lines in: every instruction below moves
    (4, 0, 5, 0, ""),  # and one out
    (10, 3, 10, 3, "x"),  # into a heredoc's body
    (15, 4, 15, 4, "-"),  # a keystroke in the last stage
    (0, 0, 0, 0, "# escape=`\n"),  # the escape token changes for every line
    (0, 0, 1, 0, ""),  # and back
    (13, 0, 13, 0, "RUN ls $HOME/*.txt\n"),  # a RUN typed in
]


@pytest.mark.asyncio
@pytest.mark.parametrize("shellcheck", [False, True], ids=["default-rules", "with-shellcheck"])
async def test_after_a_sequence_of_edits_the_diagnostics_are_those_of_the_command_line(shellcheck, tmp_path):
    from dfcheck.lsp.server import SEVERITY
    from dfcheck.model.shellcheck import find_shellcheck

    if shellcheck:
        if find_shellcheck() is None:
            pytest.skip("ShellCheck is not installed")
        (tmp_path / ".dfcheck.toml").write_text('extend-select = ["DF702"]\n')
    text = EDITED
    for sl, sc, el, ec, new in EDITS:
        text = apply(text, [T.TextEdit(range=T.Range(start=T.Position(sl, sc), end=T.Position(el, ec)), new_text=new)])
    (tmp_path / "Dockerfile").write_text(text)
    run = subprocess.run([sys.executable, "-m", "dfcheck", "--format", "json", "Dockerfile"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=TIMEOUT)
    findings = json.loads(run.stdout)["findings"]
    tm = TextMap(text, "utf-16")
    expected = [(f["code"], SEVERITY[f["severity"]], f["message"],
                 tm.lsp_range(Span(f["line"], f["column"], f["end_line"], f["end_column"]))) for f in findings]
    assert {"DF203", "DF404", "DF603"} <= {row[0] for row in expected}
    assert not shellcheck or any(row[0] == "DF702" and row[3][0][0] == 13 for row in expected)  # the last RUN

    def rows_of(diagnostics):
        return [(d.code, d.severity, d.message, ((d.range.start.line, d.range.start.character),
                                                 (d.range.end.line, d.range.end.character))) for d in diagnostics]

    session = await start(tmp_path)
    try:
        uri = session.open("Dockerfile", EDITED)
        await session.diagnostics(uri, version=1)
        for sl, sc, el, ec, new in EDITS:
            version = session.change(uri, T.Range(start=T.Position(sl, sc), end=T.Position(el, ec)), new)
        await session.diagnostics(uri, version=version)

        def last():  # the diagnostics last published for the final version (ShellCheck's come after the others)
            published = [p for p in session.published if p.uri == uri and p.version == version]
            return rows_of(published[-1].diagnostics) == expected and published

        published = await session.until(last, "the final diagnostics to be those of the command line")
    finally:
        await session.stop()
    assert rows_of(published[-1].diagnostics) == expected
    if shellcheck:  # first without what ShellCheck says on the RUN typed last, then with it
        assert [len(p.diagnostics) for p in published] == [len(expected) - 1, len(expected)]


@pytest.mark.asyncio
async def test_the_first_diagnostics_without_shellcheck_report_no_suppression_of_it_as_unused(tmp_path):
    from dfcheck.model.shellcheck import find_shellcheck

    if find_shellcheck() is None:
        pytest.skip("ShellCheck is not installed")
    (tmp_path / ".dfcheck.toml").write_text('select = ["DF003", "DF405", "DF702"]\n')
    text = ("FROM debian:12\n"
            "# dfcheck: ignore=DF702\nRUN echo $1\n"  # silences ShellCheck's SC2086
            "# dfcheck: ignore\nRUN echo $2\n"  # so does this one
            "# dfcheck: ignore=DF702\nRUN true\n"  # silences nothing
            "WORKDIR app\n")
    session = await start(tmp_path)
    try:
        uri = session.open("Dockerfile", text)

        def both():  # the lint without ShellCheck, then the one with it
            published = [p for p in session.published if p.uri == uri and p.version == 1]
            return len(published) >= 2 and published

        first, last = (await session.until(both, "diagnostics with ShellCheck's findings"))[:2]
    finally:
        await session.stop()
    assert [(d.code, d.range.start.line) for d in first.diagnostics] == [("DF405", 7)]
    assert [(d.code, d.range.start.line, d.message) for d in last.diagnostics] == [
        ("DF003", 5, "unused suppression: DF702 (shellcheck) silenced nothing"),
        ("DF405", 7, 'WORKDIR "app" is relative; use an absolute path')]


@pytest.mark.asyncio
async def test_the_build_context_is_kept_while_typing_and_read_again_on_file_events(lsp, tmp_path):
    (tmp_path / ".dfcheck.toml").write_text('select = ["DF418"]\n')
    (tmp_path / "requirements.txt").write_text("flask\n")  # (DF418 wants one source found: the right context)
    text = "FROM scratch\nCOPY requirements.txt /app/\nCOPY app.py /app/\n"
    uri = lsp.open("Dockerfile", text)
    assert [d.code for d in await lsp.diagnostics(uri, version=1)] == ["DF418"]
    (tmp_path / "app.py").write_text("print()\n")
    version = lsp.change(uri, None, text + "\n")  # a keystroke: the context is not read again
    assert [d.code for d in await lsp.diagnostics(uri, version=version)] == ["DF418"]
    seen = len(lsp.published)
    lsp.client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
        T.FileEvent(uri=(tmp_path / "app.py").as_uri(), type=T.FileChangeType.Created)]))
    assert [d.code for d in await lsp.diagnostics(uri, after=seen)] == []


@pytest.mark.asyncio
async def test_a_dockerfile_two_services_build_is_linted_as_both_and_the_compose_file_is_watched(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dfcheck.toml").write_text('select = ["DF602", "DF609"]\n')
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    build: {context: ., target: dev}\n"
                       "  web-prod:\n    build: {context: ., target: prod}\n")
    session = await start(tmp_path)
    try:
        uri = session.open("Dockerfile", "FROM python:3.12-slim AS dev\nFROM dev AS prod\nUSER root\n")
        diagnostics = await session.diagnostics(uri, version=1)
        assert [(d.code, d.range.start.line, d.message.rsplit(" [", 1)[-1]) for d in diagnostics] == [
            ("DF609", 0, "service web]"), ("DF602", 2, "service web-prod]")]
        compose.write_text("services:\n  web:\n    build: {context: ., target: prod}\n")
        seen = len(session.published)
        session.client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
            T.FileEvent(uri=compose.as_uri(), type=T.FileChangeType.Changed)]))
        diagnostics = await session.diagnostics(uri, after=seen)
        assert [(d.code, d.message.endswith("]")) for d in diagnostics] == [("DF602", False)]  # one build now
    finally:
        assert await session.stop() == 0


# ---------------------------------------------------------------- robustness and lifecycle


@pytest.mark.asyncio
async def test_a_crashing_rule_or_handler_is_logged_and_the_server_carries_on(tmp_path):
    (tmp_path / ".dfcheck.toml").write_text('select = ["DF405", "DF999"]\n')
    session = await start(tmp_path, command=CRASHING_SERVER)
    try:
        uri = session.open("Dockerfile", "FROM scratch\nWORKDIR app\n")
        assert [d.code for d in await session.diagnostics(uri, version=1)] == ["DF405"]
        logged = await session.until(lambda: [m for m in session.logs if "DF999" in m.message], "the rule's crash")
        assert logged[0].type == T.MessageType.Error
        assert "rule DF999 (always-crashes) failed" in logged[0].message
        # The hover handler raises in this server: no hover, a log message, and the server still answers.
        assert await session.hover(uri, 0, 1) is None
        await session.until(lambda: [m for m in session.logs if "hover failed on purpose" in m.message],
                            "the hover handler's crash")
        assert [a.title for a in await session.actions(uri, (1, 8))][:1] == ["DF405: Use the absolute path /app"]
    finally:
        assert await session.stop() == 0


@pytest.mark.asyncio
async def test_when_the_model_cannot_be_built_the_parser_errors_are_still_reported(tmp_path):
    (tmp_path / ".dfcheck.toml").write_text('select = ["DF001", "DF405"]\n')
    session = await start(tmp_path, command=CRASHING_SERVER)
    try:
        uri = session.open("Dockerfile", "FROM scratch\n# BREAK-THE-MODEL\nRUNN make\nWORKDIR app\n")
        assert rows(await session.diagnostics(uri, version=1)) == [("DF001", T.DiagnosticSeverity.Error, (2, 0, 2, 4))]
        logged = await session.until(lambda: [m for m in session.logs if "the model failed on purpose" in m.message],
                                     "the model's failure")
        assert logged[0].type == T.MessageType.Error and "cannot lint: internal error" in logged[0].message
        # The ignore action needs only the syntax tree; the keyword hover needs the model, so it answers
        # nothing (and logs why) rather than fail, and the server stays up.
        assert [a.title for a in await session.actions(uri, (2, 1), only=[T.CodeActionKind.QuickFix])] == [
            "Ignore DF001 for this instruction"]
        assert await session.hover(uri, 3, 1) is None
        session.change(uri, None, "FROM scratch\nWORKDIR app\n")
        assert [d.code for d in await session.diagnostics(uri, version=2)] == ["DF405"]
    finally:
        assert await session.stop() == 0


@pytest.mark.asyncio
async def test_shutdown_then_exit_ends_the_process_with_status_0(lsp):
    uri = lsp.open("Dockerfile", DOC)
    await lsp.diagnostics(uri, version=1)
    lsp.change(uri, None, DOC + "WORKDIR x\n")  # a lint still pending (debounced) when shutdown comes
    assert await lsp.stop() == 0


@pytest.mark.asyncio
async def test_exit_without_shutdown_ends_the_process_with_status_1(tmp_path):
    session = await start(tmp_path)
    assert await session.stop(shutdown=False) == 1


def test_without_pygls_the_command_says_how_to_install_it():
    code = "import sys; sys.modules['pygls'] = None; from dfcheck.cli import main; sys.exit(main(['lsp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "dfcheck: error: dfcheck lsp needs pygls, a dependency of dfcheck-lint that is missing " \
                          "here: pip install pygls\n"


def test_linting_never_imports_the_language_server_libraries(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOC)
    code = ("import sys, dfcheck.cli; status = dfcheck.cli.main(['--no-config', 'Dockerfile']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pygls', 'lsprotocol', 'cattrs'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT,
                          cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def test_the_latency_benchmark_runs_and_reports_keystroke_and_server_times(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOC)
    script = HERE.parents[1] / "benchmarks" / "lsp_latency.py"
    done = subprocess.run([sys.executable, str(script), "--file", str(tmp_path / "Dockerfile"), "--changes", "3",
                           "--warmup", "1", "--json"], capture_output=True, text=True, timeout=TIMEOUT * 3)
    assert done.returncode in (0, 1), done.stderr  # 1: slower than the goal, which a busy CI machine may be
    figures = json.loads(done.stdout)
    assert figures["changes"] == 3 and figures["exit_status"] == 0
    assert 0 < figures["server_p50_ms"] <= figures["keystroke_p50_ms"] * 1.5


# ---------------------------------------------------------------- positions and edits, in-process


def test_text_map_converts_spans_to_utf16_utf8_and_utf32_positions():
    text = "\ufeffFROM a\r\nRUN echo é😀 $X\r\n"
    span = Span(2, 13, 2, 15)  # "$X": code points 13 and 14 of line 2
    assert TextMap(text, "utf-16").lsp_range(span) == ((1, 13), (1, 15))
    assert TextMap(text, "utf-8").lsp_range(span) == ((1, 16), (1, 18))
    assert TextMap(text, "utf-32").lsp_range(span) == ((1, 12), (1, 14))
    # The byte-order mark is a character of the first line for LSP, not for dfcheck.
    assert TextMap(text).lsp_range(Span(1, 1, 1, 5)) == ((0, 1), (0, 5))
    # A column past the end of a line stops before "\r\n"; a line past the end is the end of the text.
    assert TextMap(text).lsp_range(Span(1, 1, 1, 99)) == ((0, 1), (0, 7))
    assert TextMap(text).lsp_range(Span(3, 1, 9, 1)) == ((2, 0), (2, 0))
    tm = TextMap(text)
    for line, character in ((1, 0), (1, 9), (1, 10), (1, 12), (1, 15), (0, 3)):
        offset = tm.lsp_offset(line, character)
        assert tm.lsp_position(offset) == (line, character)
    assert tm.lsp_offset(1, 11) == tm.lsp_offset(1, 10) + 1  # inside the emoji's surrogate pair: its end
    assert units("é😀", "utf-16") == 3 and units("é😀", "utf-8") == 6 and units("é😀", "utf-32") == 2


@given(st.text(alphabet="ab \r\n😀é#", max_size=30), st.text(alphabet="ab \r\n😀é#", max_size=30))
def test_text_edits_turn_one_text_into_the_other_and_never_split_a_crlf(before, after):
    edits = text_edits(before, after)
    text = before
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    assert text == after
    ordered = sorted(edits)
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))
    for start, end, _ in edits:
        for at in (start, end):
            assert not (0 < at < len(before) and before[at - 1] == "\r" and before[at] == "\n")


def test_the_first_change_after_a_lint_is_linted_at_once_and_a_burst_waits_for_the_debounce():
    from dfcheck.lsp.server import DfcheckServer

    async def delays():
        ls = DfcheckServer()
        ls._lint_seconds["u"] = 0.06  # the last lint took 60 ms
        loop = asyncio.get_running_loop()
        out = []
        for _ in range(3):  # three changes before the lint runs
            ls.schedule("u", 0.0)
            out.append(round(ls._timers["u"].when() - loop.time(), 2))
        ls.cancel_timer("u")
        ls.debounce = 0.15  # a fixed debounce asked for by the client applies to every change
        ls.schedule("u", 0.0)
        out.append(round(ls._timers["u"].when() - loop.time(), 2))
        ls.cancel_timer("u")
        return out

    assert asyncio.run(delays()) == [0.0, 0.06, 0.06, 0.15]
