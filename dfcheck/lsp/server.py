"""The language server behind `dfcheck lsp`, on pygls (imported only by that command).

- Diagnostics for documents named like Dockerfiles (the names directory discovery looks for) or opened with
  the language id `dockerfile`: on open and save at once; on the first change since the last lint at once
  too, and on the changes that follow it after a pause in typing as long as the document's last lint took
  (between MIN_DEBOUNCE_SECONDS and DEBOUNCE_SECONDS); cleared on close. With DF702, a change that gives
  ShellCheck a script it has not checked is published first without ShellCheck (and without reporting a
  suppression of DF702 as unused, DF003), then again with it.
- Code actions: a finding's fix (preferred when safe), "Ignore DFxxx for this instruction", and
  `source.fixAll.dfcheck` (every safe fix, as `dfcheck --fix` applies them). Both go through the verified
  fix loop of dfcheck.fixes: a fix it would drop is not offered.
- Hover: on a finding, its rule's page; on an instruction keyword, what the instruction does here (for CMD
  and ENTRYPOINT, the argv the container runs).
- Settings: the configuration files the command line would read for the document's path, then the client's
  `dfcheck` settings (`select`, `extendSelect`, `ignore`) on top, as command-line options would be.

- Garbage collection: the server collects when it has time, not when the allocator says: automatic collection is
  off; the young garbage is collected right after each lint's diagnostics are out, everything else at a pause in
  the traffic (IDLE_COLLECTION_SECONDS) or after FULL_COLLECTION_LINTS lints without one. What the server holds
  after its start (pygls, lsprotocol, the rules: most of its objects) is frozen out of the collector's sight.
  A full collection of a started server took 50 to 120 ms: it made one keystroke in about twenty wait that long.

Initialization options (all optional): the `dfcheck` settings themselves (or `{"dfcheck": {...}}`),
`debounceMs` (a fixed change debounce instead) and `timings` (log the server's own time
per lint to the client: what benchmarks/lsp_latency.py reads).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import traceback
from functools import wraps
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from .features import DEBOUNCE_SECONDS, MIN_DEBOUNCE_SECONDS, SETTINGS_SECTION, SOURCE, TextMap, rule_url
from ..reporters import shown_message

logger = logging.getLogger("dfcheck.lsp")

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "style": types.DiagnosticSeverity.Hint,
}
SHELLCHECK = "DF702"  # the rule that runs ShellCheck, which the first diagnostics of a change do without
CONTEXT_SECONDS = 5.0  # how long build contexts are kept when the client does not report changed files
IDLE_COLLECTION_SECONDS = 1.0  # a full collection waits for this long a pause in the messages...
FULL_COLLECTION_LINTS = 50  # ...or for this many lints without one
SETTING_KEYS = {"select": "select", "extendSelect": "extend-select", "extend-select": "extend-select",
                "ignore": "ignore"}


class Linted:
    """One version of a document, linted: the findings, and the syntax tree and model on demand."""

    __slots__ = ("version", "text", "path", "settings", "result", "map", "partial", "_dockerfile", "_model",
                 "_fixes")

    def __init__(self, version, text, path, settings, result, text_map, partial=False):
        self.version = version
        self.partial = partial  # ShellCheck (DF702) has not checked every RUN yet
        self.text = text
        self.path = path
        self.settings = settings
        self.result = result
        self.map = text_map
        self._dockerfile = None
        self._model = None
        self._fixes = None

    def fix_of(self, finding):
        """The finding's fix as the fix loop applies it on its own, or None when it would drop it."""
        if self._fixes is None:
            from ..fixes import verified_fixes

            self._fixes = verified_fixes(self.text, self.path or "Dockerfile", self.settings, self.result)
        return self._fixes.get(id(finding))

    @property
    def dockerfile(self):
        if self._dockerfile is None:
            from ..syntax import parse

            self._dockerfile = parse(self.text)
        return self._dockerfile

    @property
    def model(self):
        if self._model is None:
            from ..model import build_model

            s = self.settings
            self._model = build_model(self.dockerfile, path=self.path, context_dir=s.context_dir,
                                      target=s.target, build_args=s.build_args)
        return self._model


class DfcheckServer(LanguageServer):
    def __init__(self):
        super().__init__("dfcheck", __version__)
        self.debounce: float | None = None  # seconds; None: adaptive (see dfcheck.lsp)
        self.timings = False
        self.client_settings: dict = {}
        self.shutdown_requested = False
        self._rules = None
        self._resolver = None
        self.open_uris: set[str] = set()  # the open documents dfcheck lints, as the client spells their URIs
        self._linted: dict[str, Linted] = {}  # uri -> the last version linted
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._changed_at: dict[str, float] = {}  # uri -> time spent in didChange handlers since the last lint
        self._lint_seconds: dict[str, float] = {}  # uri -> how long its last lint took
        self.watching_files = False  # the client tells us of changed files (then build contexts are kept)
        self._contexts_kept_at = 0.0  # when the kept build contexts were last forgotten
        self._errors_logged: dict[str, frozenset] = {}  # uri -> the rule errors already logged for it
        self._config_problem: str | None = None
        self._idle_collection: asyncio.TimerHandle | None = None
        self._lints_since_collection = 0

    # -- logging -------------------------------------------------------------------------

    def log(self, message: str, kind=types.MessageType.Log) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # the client is gone: nothing to tell
            logger.exception("cannot send a log message")

    def report_server_error(self, error, source):
        self.log(f"dfcheck: internal error ({source.__name__}): {error}", types.MessageType.Error)

    # -- rules and settings ----------------------------------------------------------------

    @property
    def rules(self):
        if self._rules is None:
            from ..engine import RuleLoadError, load_rules

            try:
                self._rules = load_rules()
            except RuleLoadError as e:  # a broken plugin: nothing can be linted until it is fixed
                self.show_problem(f"dfcheck: {e}")
                raise
        return self._rules

    def rule(self, code: str):
        for r in self.rules:
            if r.code == code:
                return r
        return None

    def set_client_settings(self, settings) -> bool:
        """Take new `dfcheck` settings; True when they change what is linted."""
        if isinstance(settings, dict) and isinstance(settings.get(SETTINGS_SECTION), dict):
            settings = settings[SETTINGS_SECTION]
        if not isinstance(settings, dict):
            settings = {}
        table = {}
        for key, value in settings.items():
            if key in SETTING_KEYS and value is not None:
                table[SETTING_KEYS[key]] = [value] if isinstance(value, str) else value
        if table == self.client_settings:
            return False
        self.client_settings = table
        self._resolver = None
        return True

    def resolver(self):
        if self._resolver is None:
            from ..config import ConfigError, Resolver, parse_table

            try:
                cli = parse_table(self.client_settings, self.rules, root=os.getcwd(), where="dfcheck settings")
            except ConfigError as e:
                self.show_problem(f"dfcheck: {e}; the editor's dfcheck settings are not used")
                cli = None
            self._resolver = Resolver(self.rules, cli)
        return self._resolver

    def settings_for(self, path: str | None):
        from ..config import ConfigError, Resolver, default_settings

        try:
            settings = self.resolver().settings_for(path)
            self._config_problem = None
            return settings
        except ConfigError as e:
            self.show_problem(f"dfcheck: {e}; linting with the default settings")
            try:
                return Resolver(self.rules, self.resolver().cli, no_config=True).settings_for(path)
            except ConfigError:
                return default_settings(self.rules)

    def show_problem(self, message: str) -> None:
        """Tell the user once (window/showMessage) and log it every time."""
        self.log(message, types.MessageType.Error)
        if message != self._config_problem:
            self._config_problem = message
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def config_changed(self) -> None:
        self._resolver = None
        self._linted.clear()
        self.lint_open_documents()

    # -- documents ---------------------------------------------------------------------------

    def document(self, uri: str):
        """The open document at `uri` if it is one dfcheck lints, else None."""
        from ..discovery import is_dockerfile_name

        doc = self.workspace.text_documents.get(unquote(uri))  # open documents only: never read from disk
        if doc is None:
            return None
        name = os.path.basename(doc.path or "")
        if (doc.language_id or "").lower() == "dockerfile" or is_dockerfile_name(name):
            return doc
        return None

    def linted(self, uri: str, quick: bool = False) -> Linted | None:
        """The lint of the document's current version (linting it now when it is not). `quick`: ShellCheck
        is not started, the RUNs it has not checked before get no DF702 findings (`Linted.partial`)."""
        doc = self.document(uri)
        if doc is None:
            return None
        text = doc.source
        cached = self._linted.get(uri)
        if cached is not None and cached.version == doc.version and cached.text == text and \
                (quick or not cached.partial):
            return cached
        from ..engine import lint_text
        from ..model.context import forget_contexts

        if not self.watching_files and time.monotonic() - self._contexts_kept_at > CONTEXT_SECONDS:
            forget_contexts()  # no file events come: look at the build contexts again now and then
            self._contexts_kept_at = time.monotonic()

        path = _fs_path(doc)
        settings = self.settings_for(path)
        unchecked = ()
        if quick and any(r.code == SHELLCHECK for r in settings.rules):
            from ..model.shellcheck import only_kept

            with only_kept() as unchecked:  # no "unused suppression" for DF702 until ShellCheck has run
                result = lint_text(text, path or "Dockerfile", settings, pending={SHELLCHECK: unchecked})
        else:
            result = lint_text(text, path or "Dockerfile", settings)
        if any(": cannot lint: " in e.message for e in result.errors):
            # The parser or the model failed, so no rule ran: report what the parser alone can say.
            result.findings = _syntax_findings(text, settings, path)
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        encoding = getattr(encoding, "value", encoding)  # "utf-8", "utf-16" or "utf-32"
        linted = Linted(doc.version, text, path, settings, result, TextMap(text, encoding), bool(unchecked))
        self._linted[uri] = linted
        errors = frozenset(e.message for e in result.errors)
        if errors and errors != self._errors_logged.get(uri):
            for message in sorted(errors):
                self.log(f"dfcheck: {message}", types.MessageType.Error)
        self._errors_logged[uri] = errors
        return linted

    def diagnostics(self, linted: Linted) -> list:
        return [self.diagnostic(linted, f) for f in linted.result.findings]

    def diagnostic(self, linted: Linted, finding):
        rule = self.rule(finding.code)
        url = rule_url(rule)
        return types.Diagnostic(
            range=_range(linted.map.lsp_range(finding.span)),
            message=shown_message(finding),
            severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
            code=finding.code,
            code_description=types.CodeDescription(href=url) if url else None,
            source=SOURCE,
        )

    def publish(self, uri: str) -> None:
        """Lint the document now and publish its diagnostics; when ShellCheck has RUNs to check, publish them
        first without what it would say on those, and again with it once it has finished."""
        self.cancel_timer(uri)
        changed_at = self._changed_at.pop(uri, None)
        began = time.perf_counter()
        linted = self.linted(uri, quick=True)
        if linted is None:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=self.diagnostics(linted), version=linted.version))
        self._lint_seconds[uri] = time.perf_counter() - began
        if linted.partial:  # after the messages already read: a change among them makes this lint useless
            asyncio.get_running_loop().call_soon(guarded_call, self, self.publish_checked, uri, linted.version)
        if self.timings:
            own = time.perf_counter() - began + (changed_at or 0.0)
            self.log(f"dfcheck timing: {uri} version {linted.version}: {own * 1000:.2f} ms "
                     f"({len(linted.result.findings)} findings)")
        self.collect_young()

    # -- garbage collection (see the module's docstring) ---------------------------------------

    def collect_young(self) -> None:
        """After a lint's diagnostics are written: its garbage (a lint leaves some reference cycles), now."""
        import gc

        self._lints_since_collection += 1
        if self._lints_since_collection >= FULL_COLLECTION_LINTS:
            self.collect_all()
        else:
            gc.collect(1)

    def collect_all(self) -> None:
        import gc

        self.cancel_idle_collection()
        self._lints_since_collection = 0
        gc.collect()

    def collect_when_idle(self) -> None:
        """After each message: a full collection once the messages pause (each one starts the wait again)."""
        self.cancel_idle_collection()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the server's loop (a test calling a handler): nothing to wait for
            return
        self._idle_collection = loop.call_later(IDLE_COLLECTION_SECONDS, guarded_call, self, self.collect_all)

    def cancel_idle_collection(self) -> None:
        if self._idle_collection is not None:
            self._idle_collection.cancel()
            self._idle_collection = None

    def publish_checked(self, uri: str, version) -> None:
        """Publish the full lint of `version`, ShellCheck included, unless a later change is to be linted."""
        doc = self.document(uri)
        if doc is None or doc.version != version or uri in self._timers:
            return
        linted = self.linted(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=self.diagnostics(linted), version=linted.version))

    def schedule(self, uri: str, handler_time: float) -> None:
        """Lint after a change: at once (after the messages already read) when it is the first change since the
        last lint, else after the debounce, which each further change starts again. So a pause in typing is
        answered without waiting, and a burst of changes costs one lint at its start and one after it."""
        waiting = self._timers.get(uri) is not None
        self.cancel_timer(uri)
        self._changed_at[uri] = self._changed_at.get(uri, 0.0) + handler_time
        loop = asyncio.get_running_loop()
        delay = self.debounce_for(uri) if waiting or self.debounce is not None else 0.0
        self._timers[uri] = loop.call_later(delay, guarded_call, self, self.publish, uri)

    def debounce_for(self, uri: str) -> float:
        if self.debounce is not None:
            return self.debounce
        last = self._lint_seconds.get(uri, DEBOUNCE_SECONDS)
        return min(DEBOUNCE_SECONDS, max(MIN_DEBOUNCE_SECONDS, last))

    def cancel_timer(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def forget(self, uri: str) -> None:
        self.cancel_timer(uri)
        self._changed_at.pop(uri, None)
        self._linted.pop(uri, None)
        self._errors_logged.pop(uri, None)
        self._lint_seconds.pop(uri, None)

    def lint_open_documents(self) -> None:
        for uri in list(self.open_uris):
            guarded_call(self, self.publish, uri)

    def workspace_edit(self, linted: Linted, uri: str, edits: list):
        caps = self.client_capabilities
        document_changes = bool(caps and caps.workspace and caps.workspace.workspace_edit
                                and caps.workspace.workspace_edit.document_changes)
        if document_changes:
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=linted.version),
                edits=edits)])
        return types.WorkspaceEdit(changes={uri: edits})


def keep_between_lints() -> None:
    """What the server keeps from one lint to the next (process-wide): a keystroke changes one instruction, so
    what only depends on the others is not computed again. A lint with these kept finds exactly what a fresh
    process finds (tests/lsp/test_lsp_edits.py)."""
    from ..model.scripts import keep_scripts
    from ..model.shellcheck import keep_shellcheck
    from ..reuse import keep_findings
    from ..syntax.parser import keep_instructions

    keep_scripts()  # a keystroke changes one RUN: the others are not parsed again
    keep_instructions()  # nor the other instructions built again
    keep_shellcheck()  # nor checked again by ShellCheck (DF702)
    keep_findings()  # nor the other stages linted again by the rules that read one stage at a time


def collect_by_hand() -> None:
    """Once the server has started: what it holds now (modules, rules, warmed-up tables) out of the collector's
    sight, and no automatic collection from now on (the server collects itself, see the module's docstring)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.disable()


def guarded_call(server: DfcheckServer, fn, *args, default=None):
    """Run `fn`; an exception is logged to the client and never ends the server."""
    try:
        return fn(*args)
    except Exception as e:
        server.log(f"dfcheck: internal error in {getattr(fn, '__name__', fn)}: {type(e).__name__}: {e}\n"
                   + traceback.format_exc(), types.MessageType.Error)
        return default


def guarded(default=None):
    def wrap(handler):
        @wraps(handler)
        def run(server, params):
            try:
                return guarded_call(server, handler, server, params, default=default)
            finally:
                server.collect_when_idle()

        return run

    return wrap


def _range(positions):
    (sl, sc), (el, ec) = positions
    return types.Range(start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec))


def _fs_path(doc) -> str | None:
    uri = doc.uri or ""
    if uri.startswith("file:") and doc.path:
        return os.path.abspath(doc.path)
    return None


def _syntax_findings(text: str, settings, path):
    """DF001 findings from the parser alone, for when the model cannot be built."""
    from ..rule import Finding
    from ..syntax import parse

    rule = next((r for r in settings.rules if r.code == "DF001"), None)
    if rule is None:
        return []
    try:
        dockerfile = parse(text)
    except Exception:
        return []
    out = []
    for error in dockerfile.errors:
        f = Finding(error.span, error.message, code=rule.code, name=rule.name, path=path or "",
                    severity=settings.severity.get(rule.code, rule.severity))
        out.append(f)
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two offset ranges touch (an empty range at either end of the other counts)."""
    return a[0] <= b[1] and b[0] <= a[1]
