"""The engine: rule loading, running rules on one model, errors that never stop the run, parallel linting."""

import os

import pytest

from dfcheck import engine, files
from dfcheck.config import Resolver, default_settings
from dfcheck.engine import Error, RuleLoadError, check_unique, lint_file, lint_paths, lint_text, load_rules
from dfcheck.rule import Finding, Rule, rule
from throwaway_rules import boom, rule_set

BROKEN = "FROM alpine\nXYZZY bar\nRUN echo hi\n"


def triples(result):
    return [(f.code, f.span.line, f.span.column) for f in result.findings]


def test_builtin_rules_load_in_code_order_with_df001_and_df003():
    rules = load_rules()
    codes = [r.code for r in rules]
    assert codes == sorted(codes)
    by_code = {r.code: r for r in rules}
    assert by_code["DF001"].name == "syntax-error" and by_code["DF001"].severity == "error"
    assert by_code["DF001"].enabled and by_code["DF001"].origin == "dfcheck"
    assert by_code["DF003"].name == "unused-suppression" and not by_code["DF003"].enabled
    assert load_rules() is rules  # loaded once per process


def test_syntax_error_is_df001_and_the_rest_still_lints():
    result = lint_text(BROKEN, "Dockerfile", default_settings(rule_set()))
    assert triples(result) == [("DF902", 1, 1), ("DF001", 2, 1), ("DF901", 3, 1), ("DF903", 3, 1)]
    df001 = result.findings[1]
    assert (df001.name, df001.severity, df001.message, df001.path) == (
        "syntax-error", "error", "unknown instruction: XYZZY", "Dockerfile")
    assert (df001.span.end_line, df001.span.end_column) == (2, 6)
    assert result.errors == []
    assert result.lines == ["FROM alpine", "XYZZY bar", "RUN echo hi"]


def test_a_rule_that_raises_becomes_an_error_and_the_others_still_run():
    result = lint_text(BROKEN, "dir/Dockerfile", default_settings(rule_set(boom)))
    assert [e.message for e in result.errors] == [
        "rule DF904 (boom) failed on dir/Dockerfile: ValueError: kaboom"]
    assert result.errors[0].path == "dir/Dockerfile"
    assert triples(result) == [("DF902", 1, 1), ("DF001", 2, 1), ("DF901", 3, 1), ("DF903", 3, 1)]


def test_a_rule_that_yields_something_else_than_a_finding_is_an_error():
    @rule("DF906", "yields-junk", "warning")
    def junk(model, options):
        """Yields a string."""
        yield "not a finding"

    result = lint_text("FROM a\n", "Dockerfile", default_settings([junk]))
    assert result.findings == []
    assert result.errors[0].message.startswith("rule DF906 (yields-junk) failed on Dockerfile: TypeError: yielded str")


def test_a_check_that_returns_none_is_fine():
    @rule("DF907", "returns-none", "warning")
    def none(model, options):
        """Returns nothing."""
        return None

    result = lint_text("FROM a\n", "Dockerfile", default_settings([none]))
    assert (result.findings, result.errors) == ([], [])


def test_the_model_failing_is_an_error_for_that_file_only(monkeypatch):
    import dfcheck.model

    def broken_model(*args, **kwargs):
        raise RuntimeError("model bug")

    monkeypatch.setattr(dfcheck.model, "build_model", broken_model)
    result = lint_text("FROM a\n", "x/Dockerfile", default_settings(rule_set()))
    assert [e.message for e in result.errors] == ["x/Dockerfile: cannot lint: internal error: RuntimeError: model bug"]


def test_severity_options_and_selection_come_from_settings():
    settings = default_settings(rule_set())
    settings.severity = {"DF901": "error"}
    settings.options["DF903"] = {"word": "hi", "limit": 9, "loud": False}
    result = lint_text(BROKEN, "Dockerfile", settings)
    assert [(f.code, f.severity) for f in result.findings] == [
        ("DF902", "style"), ("DF001", "error"), ("DF901", "error"), ("DF903", "info")]
    assert result.findings[-1].message == "RUN mentions hi (limit 9)"


def test_a_severity_the_rule_sets_on_a_finding_is_kept_unless_configured():
    @rule("DF908", "picky", "warning")
    def picky(model, options):
        """Sets its own severity."""
        yield Finding(model.dockerfile.instructions[0].keyword_span, "m", severity="error")

    settings = default_settings([picky])
    assert lint_text("FROM a\n", "D", settings).findings[0].severity == "error"
    settings.severity = {"DF908": "style"}
    assert lint_text("FROM a\n", "D", settings).findings[0].severity == "style"


def test_findings_are_sorted_by_line_column_code():
    # RUN before FROM is also a DF001 (no build stage), which sorts first on its line
    result = lint_text("RUN echo a\nRUN b\nFROM c\n", "D", default_settings(rule_set()))
    assert triples(result) == [
        ("DF001", 1, 1), ("DF901", 1, 1), ("DF903", 1, 1), ("DF001", 2, 1), ("DF901", 2, 1), ("DF902", 3, 1),
    ]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"FROM a\x00\n", "binary file (contains NUL bytes)"),
        (b"FROM caf\xe9\n", "not UTF-8 (byte 0xe9 at offset 8)"),
    ],
)
def test_unlintable_files_give_one_line_errors(tmp_path, content, reason):
    path = tmp_path / "Dockerfile"
    path.write_bytes(content)
    result = lint_file(str(path), default_settings(rule_set()))
    assert [e.message for e in result.errors] == [f"{path}: cannot lint: {reason}"]
    assert result.findings == []


def test_huge_and_missing_files(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    big = tmp_path / "Dockerfile"
    big.write_text("FROM a\n" * 20)
    result = lint_file(str(big), default_settings(rule_set()))
    assert result.errors[0].message == f"{big}: cannot lint: file too large (140 bytes, the limit is 100 bytes)"
    missing = tmp_path / "nope"
    result = lint_file(str(missing), default_settings(rule_set()))
    assert result.errors[0].message == f"{missing}: cannot lint: No such file or directory"


def test_max_file_bytes_is_five_mib():
    assert files.MAX_FILE_BYTES == 5 * 1024 * 1024


def test_bom_and_crlf(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"\xef\xbb\xbfFROM a\r\nXYZZY b\r\n")
    result = lint_file(str(path), default_settings(rule_set()))
    assert triples(result) == [("DF902", 1, 1), ("DF001", 2, 1)]


def test_duplicate_codes_and_names_are_errors_naming_both_origins():
    first = load_rules()[0]
    clash = Rule(first.code, "another-name", "warning", first.check, "doc", origin="dfcheck-extra")
    with pytest.raises(RuleLoadError) as e:
        check_unique([(first, "dfcheck.rules.df001_syntax_error"), (clash, "dfcheck-extra (extra.rules)")])
    assert str(e.value) == (f"rule code {first.code} is defined twice: by dfcheck.rules.df001_syntax_error "
                            "and by dfcheck-extra (extra.rules)")
    clash = Rule("XX001", first.name, "warning", first.check, "doc")
    with pytest.raises(RuleLoadError, match=f"rule name {first.name} is defined twice"):
        check_unique([(first, "a"), (clash, "b")])


def _dist_info(site, dirname, text, name=None):
    info = site / dirname
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text(text)
    if name:
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\nbody\n")


def test_entry_points_are_read_from_dist_info_and_egg_info(tmp_path):
    site = tmp_path / "site"
    _dist_info(site, "dfcheck_extra-1.0.dist-info",
               "[console_scripts]\nx = y:z\n\n"
               "[dfcheck.rules]\nextra = dfcheck_extra.rules\none = dfcheck_extra.one:RULE\n",
               name="dfcheck-extra")
    _dist_info(site, "other-2.0.dist-info", "[console_scripts]\nother = other:main\n", name="other")
    _dist_info(site, "legacy.egg-info", "[dfcheck.rules]\nlegacy = legacy_rules\n")
    second = tmp_path / "second"
    _dist_info(second, "dfcheck_extra-0.9.dist-info", "[dfcheck.rules]\nold = old_rules\n", name="dfcheck-extra")
    found = engine.plugin_entry_points([str(site), str(tmp_path / "missing"), str(second)])
    assert found == [("dfcheck-extra", "dfcheck_extra.rules"), ("dfcheck-extra", "dfcheck_extra.one:RULE"),
                     ("legacy", "legacy_rules")]


def test_plugins_load_through_the_same_loader(tmp_path, monkeypatch):
    site = tmp_path / "site"
    pkg = site / "fake_plugin"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from dfcheck.rule import Finding, rule\n"
        "@rule('XP001', 'fake-plugin-rule', 'info')\n"
        "def fake(model, options):\n"
        "    '''Reports nothing.'''\n"
        "    return ()\n"
        "@rule('XP002', 'fake-plugin-object', 'info')\n"
        "def obj(model, options):\n"
        "    '''Reports nothing.'''\n"
        "    return ()\n"
    )
    _dist_info(site, "fake_plugin-1.0.dist-info",
               "[dfcheck.rules]\nall = fake_plugin\n", name="Fake-Plugin")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(engine, "_loaded", None)
    rules = {r.code: r for r in load_rules()}
    assert rules["XP001"].origin == "Fake-Plugin" and rules["XP002"].origin == "Fake-Plugin"
    assert rules["DF001"].origin == "dfcheck"
    monkeypatch.setattr(engine, "_loaded", None)
    (site / "fake_plugin-1.0.dist-info" / "entry_points.txt").write_text("[dfcheck.rules]\na = fake_plugin:fake\n"
                                                                          "b = fake_plugin:fake\n")
    with pytest.raises(RuleLoadError, match="rule code XP001 is defined twice: by Fake-Plugin"):
        load_rules()
    monkeypatch.setattr(engine, "_loaded", None)
    (site / "fake_plugin-1.0.dist-info" / "entry_points.txt").write_text("[dfcheck.rules]\na = no_such_module\n")
    with pytest.raises(RuleLoadError, match=r"cannot load rules from no_such_module \(Fake-Plugin\): "
                                            "ModuleNotFoundError"):
        load_rules()
    monkeypatch.setattr(engine, "_loaded", None)


def _tree(tmp_path, n):
    for i in range(n):
        d = tmp_path / f"d{i:02d}"
        d.mkdir()
        (d / "Dockerfile").write_text("FROM a\nXYZZY x\nRUN b\n" if i % 3 else "FROM a\nRUN b\nRUN c\n")
    (tmp_path / "d05" / "Dockerfile").write_bytes(b"\x00")


def _flat(report):
    return ([(f.path, f.code, f.span.line, f.span.column) for f in report.findings],
            [str(e) for e in report.all_errors], [r.path for r in report.files])


def test_parallel_and_serial_runs_agree_in_order(tmp_path, monkeypatch):
    _tree(tmp_path, 12)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 8)
    resolver = Resolver(rule_set(boom), no_config=True)
    serial = lint_paths(["."], resolver, jobs=1)
    parallel = lint_paths(["."], resolver, jobs=2)
    assert _flat(serial) == _flat(parallel)
    paths, errors, files = _flat(parallel)
    assert files == sorted(files) and files[0] == "d00/Dockerfile" and len(files) == 12
    assert paths[:3] == [("d00/Dockerfile", "DF902", 1, 1), ("d00/Dockerfile", "DF901", 2, 1),
                         ("d00/Dockerfile", "DF901", 3, 1)]
    assert "d05/Dockerfile: cannot lint: binary file (contains NUL bytes)" in errors
    assert "rule DF904 (boom) failed on d11/Dockerfile: ValueError: kaboom" in errors
    assert parallel.exit_status() == 2


def test_the_pool_is_used_only_from_parallel_min_files(tmp_path, monkeypatch):
    _tree(tmp_path, engine.PARALLEL_MIN_FILES - 1)
    monkeypatch.chdir(tmp_path)
    calls = []
    monkeypatch.setattr(engine, "_parallel", lambda work, jobs, progress=None: calls.append(len(work)) or [])
    lint_paths(["."], Resolver(rule_set(), no_config=True), jobs=2)
    assert calls == []
    (tmp_path / "extra.Dockerfile").write_text("FROM a\n")
    lint_paths(["."], Resolver(rule_set(), no_config=True), jobs=2)
    assert calls == [engine.PARALLEL_MIN_FILES]


def test_the_same_file_twice_is_linted_once(tmp_path, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM a\n")
    monkeypatch.chdir(tmp_path)
    report = lint_paths(["Dockerfile", ".", "./Dockerfile"], Resolver(rule_set(), no_config=True))
    assert [r.path for r in report.files] == ["Dockerfile"]


def test_exit_status_follows_the_fail_level():
    settings = default_settings(rule_set())
    style_only = lint_text("FROM a\n", "D", settings)
    assert engine.Report([style_only]).exit_status() == 0  # style alone does not fail by default
    settings.fail_on = "style"
    assert engine.Report([lint_text("FROM a\n", "D", settings)]).exit_status() == 1
    settings.fail_on = "never"
    assert engine.Report([lint_text(BROKEN, "D", settings)]).exit_status() == 0
    assert engine.Report([], [Error("x", "x: cannot lint: gone")]).exit_status() == 2


def test_import_of_the_engine_stays_lean():
    import subprocess
    import sys

    code = ("import sys, dfcheck.cli, dfcheck.engine, dfcheck.config;"
            "print(sorted(m for m in ('importlib.metadata', 'multiprocessing', 'tomllib', 'tomli', 'tempfile')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "[]"


def test_a_dying_worker_costs_only_the_file_it_died_on(tmp_path, monkeypatch):
    # A crash in a C extension (libcst's stack overflow was one) kills the worker process: the files the
    # pool had not finished are linted again one by one, and only the one the process dies on is lost.
    import faulthandler
    import signal

    parent = os.getpid()

    @rule("DF910", "dies-in-a-worker", "warning")
    def dies(model, options):
        """Kills the worker process it runs in on a file that says so."""
        if os.getpid() != parent:
            if any(n.keyword == "LABEL" and "segv" in n.args_text for n in model.instructions):
                faulthandler.disable()  # pytest's, inherited by the fork: it would print the crash's stack
                os.kill(os.getpid(), signal.SIGSEGV)
            if any(n.keyword == "LABEL" and "exit" in n.args_text for n in model.instructions):
                os._exit(3)
        return ()

    _tree(tmp_path, 20)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 8)
    (tmp_path / "d03" / "Dockerfile").write_text("FROM a\nLABEL segv=1\nRUN b\n")
    (tmp_path / "d17" / "Dockerfile").write_text("FROM a\nLABEL exit=1\nRUN b\n")
    monkeypatch.chdir(tmp_path)
    resolver = Resolver(rule_set(dies), no_config=True)
    parallel = lint_paths(["."], resolver, jobs=2)
    serial_files = [r.path for r in lint_paths(["."], Resolver(rule_set(), no_config=True), jobs=1).files]
    expected = _flat(lint_paths(["."], Resolver(rule_set(), no_config=True), jobs=1))[0]
    assert [r.path for r in parallel.files] == serial_files
    paths, errors, _ = _flat(parallel)
    assert paths == [p for p in expected if p[0] not in ("d03/Dockerfile", "d17/Dockerfile")]
    assert errors == [
        "d03/Dockerfile: cannot lint: internal error: the process linting it died (SIGSEGV)",
        "d05/Dockerfile: cannot lint: binary file (contains NUL bytes)",
        "d17/Dockerfile: cannot lint: internal error: the process linting it died (exit status 3)",
    ]
    assert parallel.exit_status() == 2


def test_the_issue_example_foo():
    # The parser may append a suggestion ("did you mean FROM?"); the rest of this message is BuildKit's.
    result = lint_text("FROM alpine\nFOO bar\nRUN echo hi\n", "Dockerfile", default_settings(rule_set()))
    df001 = [f for f in result.findings if f.code == "DF001"]
    assert [(f.span.line, f.span.column) for f in df001] == [(2, 1)]
    assert df001[0].message.startswith("unknown instruction: FOO")
    assert ("DF901", 3, 1) in triples(result)


def test_models_do_not_pile_up_between_files_with_the_collector_off(tmp_path, monkeypatch):
    """The command runs with the garbage collector off; the reference cycles of each file's model are freed
    between files, so memory stays flat over thousands of files."""
    import gc

    from dfcheck.model.build import Model

    for i in range(6):
        (tmp_path / f"{i}.Dockerfile").write_text("FROM alpine AS a\nFROM a\nRUN apk add curl\n")
    monkeypatch.chdir(tmp_path)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        report = lint_paths(["."], Resolver(load_rules(), no_config=True), jobs=1)
        alive = [o for o in gc.get_objects() if type(o) is Model]
    finally:
        if enabled:
            gc.enable()
    assert len(report.files) == 6 and len(alive) <= 1  # (the last file's, freed at the next file)


def test_workers_inherit_what_linting_imports():
    """What a lint imports is imported once, before the pool forks, not again in every worker."""
    import subprocess
    import sys

    probe = ("import sys, gc; gc.disable(); from dfcheck import engine; engine._warm_up(); "
             "print(sorted(m for m in ('dfcheck.syntax.parser', 'dfcheck.model.build', 'dfcheck.model.shell', "
             "'dfcheck.model.filesystem', 'dfcheck.model.walker', 'tree_sitter._binding') if m not in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr
