"""What the server answers: one handler a request or notification (initialize, document sync, configuration,
watched files, code actions, hover), registered on a `DfcheckServer` by `create_server`, and `serve`."""

from __future__ import annotations

import logging
import sys
import time

from lsprotocol import types

from .framing import INVALID_MESSAGE, FramedInput
from .features import (
    FIX_ALL_KIND, SETTINGS_SECTION, ignore_edit, instruction_at_line, instruction_hover, kind_wanted, rule_hover,
    text_edits,
)
from .server import (
    SETTING_KEYS, DfcheckServer, Linted, _overlaps, _range, collect_by_hand, guarded, guarded_call, keep_between_lints,
    logger,
)


def create_server() -> DfcheckServer:
    server = DfcheckServer()

    @server.feature(types.INITIALIZE)
    @guarded()
    def initialize(ls: DfcheckServer, params: types.InitializeParams):
        options = params.initialization_options
        if isinstance(options, dict):
            if isinstance(options.get("debounceMs"), (int, float)) and options["debounceMs"] >= 0:
                ls.debounce = options["debounceMs"] / 1000
            ls.timings = bool(options.get("timings"))
            ls.set_client_settings(options)

    @server.feature(types.INITIALIZED)
    @guarded()
    def initialized(ls: DfcheckServer, params):
        # Load the rules and warm the parser, model and shell parser up before the first document comes.
        from ..config import default_settings
        from ..engine import lint_text

        from ..model.context import keep_contexts

        keep_between_lints()
        lint_text("FROM scratch\nRUN echo warm\nCMD [\"x\"]\n", "Dockerfile", default_settings(ls.rules))
        keep_contexts()  # listed once, then refreshed on file events (or after CONTEXT_SECONDS), not per keystroke
        collect_by_hand()
        caps = ls.client_capabilities
        if caps and caps.workspace and caps.workspace.configuration:
            ls.workspace_configuration(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SETTINGS_SECTION)]),
                callback=lambda result: guarded_call(ls, _pulled_settings, ls, result),
            )
        watch = caps and caps.workspace and caps.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            ls.watching_files = True
            ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="dfcheck-config-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    types.FileSystemWatcher(glob_pattern="**/{.dfcheck.toml,dfcheck.toml,pyproject.toml}"),
                    types.FileSystemWatcher(glob_pattern="**/{*compose*.yaml,*compose*.yml,docker-bake*.hcl,"
                                                          "docker-bake*.json,.env}"),
                    types.FileSystemWatcher(glob_pattern="**/*"),  # build contexts
                ]),
            )]))

    @server.feature(INVALID_MESSAGE)
    def invalid_message(ls: DfcheckServer, params):
        # A message the input framing could not read (its id is unknown): JSON-RPC's answer is an error
        # response with a null id.
        reason = getattr(params, "message", None) or "unreadable message"
        ls.log(f"dfcheck: ignored a message from the client: {reason}", types.MessageType.Error)
        try:
            ls.protocol._send_response(None, error=types.ResponseError(
                code=types.ErrorCodes.InvalidRequest, message=f"dfcheck: {reason}"))
        except Exception:  # pygls's private API changed: the log line has said it
            logger.exception("cannot answer an invalid message")

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: DfcheckServer, params):
        ls.shutdown_requested = True
        for uri in list(ls._timers):
            ls.cancel_timer(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: DfcheckServer, params: types.DidOpenTextDocumentParams):
        uri = params.text_document.uri
        ls.forget(uri)
        if ls.document(uri) is None:
            ls.open_uris.discard(uri)
        else:
            ls.open_uris.add(uri)
            ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: DfcheckServer, params: types.DidChangeTextDocumentParams):
        began = time.perf_counter()
        uri = params.text_document.uri
        if uri in ls.open_uris:
            ls.schedule(uri, time.perf_counter() - began)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded()
    def did_save(ls: DfcheckServer, params: types.DidSaveTextDocumentParams):
        from ..model.context import forget_contexts

        forget_contexts()  # the file saved may be in a build context
        uri = params.text_document.uri
        if _is_config_file(uri):
            ls.config_changed()
        elif uri in ls.open_uris:
            ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: DfcheckServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.forget(uri)
        if uri in ls.open_uris:
            ls.open_uris.discard(uri)
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded()
    def did_change_configuration(ls: DfcheckServer, params: types.DidChangeConfigurationParams):
        settings = params.settings
        if isinstance(settings, dict) and SETTINGS_SECTION in settings:
            if ls.set_client_settings(settings[SETTINGS_SECTION]):
                ls.config_changed()
            return
        caps = ls.client_capabilities
        if caps and caps.workspace and caps.workspace.configuration:  # a nudge to pull the settings
            ls.workspace_configuration(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SETTINGS_SECTION)]),
                callback=lambda result: guarded_call(ls, _pulled_settings, ls, result),
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    def did_change_watched_files(ls: DfcheckServer, params: types.DidChangeWatchedFilesParams):
        from ..model.context import forget_contexts

        forget_contexts()
        if any(_is_config_file(change.uri) for change in params.changes):
            ls.config_changed()
        else:  # a file of a build context, maybe: lint again, once for a burst of changes
            for uri in ls.open_uris:
                ls._linted.pop(uri, None)
                ls.schedule(uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False))
    @guarded(default=[])
    def code_action(ls: DfcheckServer, params: types.CodeActionParams):
        uri = params.text_document.uri
        linted = ls.linted(uri)
        if linted is None:
            return []
        only = params.context.only if params.context else None
        actions = []
        if kind_wanted(types.CodeActionKind.QuickFix, only):
            actions.extend(_quick_fixes(ls, linted, uri, params.range))
        if kind_wanted(FIX_ALL_KIND, only):
            action = _fix_all(ls, linted, uri)
            if action is not None:
                actions.append(action)
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded()
    def hover(ls: DfcheckServer, params: types.HoverParams):
        linted = ls.linted(params.text_document.uri)
        if linted is None:
            return None
        tm = linted.map
        at = tm.lsp_offset(params.position.line, params.position.character)
        here = [f for f in linted.result.findings if _contains(tm.span_offsets(f.span), at)]
        kind = _markup_kind(ls)
        if here:
            text = "\n\n---\n\n".join(rule_hover(f, ls.rule(f.code)) for f in here)
            start = min(tm.span_offsets(f.span)[0] for f in here)
            end = max(tm.span_offsets(f.span)[1] for f in here)
            return types.Hover(contents=types.MarkupContent(kind=kind, value=text),
                               range=_range((tm.lsp_position(start), tm.lsp_position(end))))
        line, column = tm.df_position(at)
        node = instruction_at_line(linted.dockerfile, line)
        if node is None or not node.keyword_span.contains(line, column):
            return None
        text = instruction_hover(linted.model, node)
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text),
                           range=_range(tm.lsp_range(node.keyword_span)))

    return server


def _contains(span: tuple[int, int], offset: int) -> bool:
    return span[0] <= offset < span[1] or span[0] == span[1] == offset


def _markup_kind(ls: DfcheckServer):
    caps = ls.client_capabilities
    formats = caps and caps.text_document and caps.text_document.hover and caps.text_document.hover.content_format
    if formats and types.MarkupKind.Markdown not in formats:
        return types.MarkupKind.PlainText
    return types.MarkupKind.Markdown


def _pulled_settings(ls: DfcheckServer, result) -> None:
    """The answer to workspace/configuration. An answer without any dfcheck setting (editors answer null or {}
    for a section the user never set) leaves the settings as they are, those of the initialization options
    included."""
    value = result[0] if isinstance(result, (list, tuple)) and result else None
    if isinstance(value, dict) and isinstance(value.get(SETTINGS_SECTION), dict):
        value = value[SETTINGS_SECTION]
    if not isinstance(value, dict) or not any(key in SETTING_KEYS for key in value):
        return
    if ls.set_client_settings(value):
        ls.config_changed()


def _is_config_file(uri: str) -> bool:
    """A configuration file, or a Compose or Bake file (or the .env beside one): what the settings come from."""
    from ..buildfiles import BAKE_FILES, COMPOSE_FILES, COMPOSE_OVERRIDES
    from ..config import CONFIG_NAMES

    return uri.rsplit("/", 1)[-1] in CONFIG_NAMES + COMPOSE_FILES + COMPOSE_OVERRIDES + BAKE_FILES + (".env",)


def _quick_fixes(ls: DfcheckServer, linted: Linted, uri: str, rng: types.Range) -> list:
    tm = linted.map
    wanted = (tm.lsp_offset(rng.start.line, rng.start.character), tm.lsp_offset(rng.end.line, rng.end.character))
    fixes, ignores = [], []
    dockerfile = None
    for finding in linted.result.findings:
        if not _overlaps(tm.span_offsets(finding.span), wanted):
            continue
        diagnostic = ls.diagnostic(linted, finding)
        fix = linted.fix_of(finding) if finding.fix is not None else None
        if fix is not None and fix.edits:
            safe = fix.applicability == "safe"
            what = fix.description or f"Fix {finding.code}"
            edits = [types.TextEdit(range=_range(tm.lsp_range(e.span)), new_text=e.text) for e in fix.edits]
            fixes.append(types.CodeAction(
                title=f"{finding.code}: {what}" + ("" if safe else " (unsafe fix: review it)"),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=safe,
                edit=ls.workspace_edit(linted, uri, edits),
            ))
        if dockerfile is None:
            dockerfile = linted.dockerfile
        node = instruction_at_line(dockerfile, finding.span.line)
        if node is None:
            continue
        edit = ignore_edit(dockerfile, node, finding.code, tm.line_ending)
        if edit is None:
            continue
        span, text = edit
        title = f"Ignore {finding.code} for this instruction"
        if any(a.title == title for a in ignores):
            continue
        ignores.append(types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=False,
            edit=ls.workspace_edit(linted, uri, [types.TextEdit(range=_range(tm.lsp_range(span)), new_text=text)]),
        ))
    return fixes + ignores


def _fix_all(ls: DfcheckServer, linted: Linted, uri: str):
    from ..fixes import applicable, fix_text

    findings = linted.result.findings
    if not any(applicable(f, False) for f in findings):
        return None
    outcome = fix_text(linted.text, linted.path or "Dockerfile", linted.settings, result=linted.result)
    tm = linted.map
    edits = [types.TextEdit(range=_range((tm.lsp_position(start), tm.lsp_position(end))), new_text=text)
             for start, end, text in text_edits(linted.text, outcome.text)]
    if not edits:
        return None
    return types.CodeAction(
        title=f"dfcheck: fix all safely fixable findings ({len(outcome.fixed)})",
        kind=FIX_ALL_KIND,
        edit=ls.workspace_edit(linted, uri, edits),
    )


def serve() -> int:
    """Serve on stdio until `exit` (or the end of the input): status 0 after a `shutdown` request, else 1.

    (pygls ends its loop on `exit` with a SystemExit that it swallows itself, so the status is decided here.)"""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="dfcheck lsp: %(levelname)s: %(message)s")
    server = create_server()
    server.start_io(stdin=FramedInput(sys.stdin.buffer))  # pygls trusts headers: see dfcheck.lsp.framing
    return 0 if server.shutdown_requested else 1
