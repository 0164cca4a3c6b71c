"""The build model: stages, lineage, variable scoping, runtime settings, RUN code."""

from hypothesis import given, settings, strategies as st
from support import model_of


def test_stages_names_bases_and_lineage():
    m = model_of(
        "ARG BASE=alpine:3.19\n"
        "FROM $BASE AS Build\n"
        "RUN make\n"
        "FROM build AS test\n"
        "FROM scratch\n"
        "COPY --from=build /out /\n"
        "FROM test AS final\n"
    )
    assert [(s.index, s.name, s.base) for s in m.stages] == [
        (0, "build", "alpine:3.19"), (1, "test", "build"), (2, None, "scratch"), (3, "final", "test"),
    ]
    assert m.stages[1].base_stage is m.stages[0]
    assert m.stages[2].is_scratch and m.stages[2].base_stage is None
    assert m.target is m.stages[3]
    assert [s.index for s in m.lineage(m.stages[3])] == [0, 1, 3]
    assert [s.index for s in m.shipped_stages] == [0, 1, 3]
    [ref] = m.stages[2].references
    assert (ref.name, ref.stage, ref.node.span.line) == ("build", m.stages[0], 6)
    assert [s.index for s in m.stages_needed(m.stages[2])] == [0, 2]


def test_target_option_and_unknown_target():
    m = model_of("FROM a AS one\nFROM b AS two\n", target="one")
    assert m.target is m.stages[0]
    m = model_of("FROM a AS one\n", target="nope")
    assert m.target is m.stages[0]
    assert [e.message for e in m.errors] == ["target stage 'nope' could not be found"]


def test_copy_from_index_and_mount_from():
    m = model_of(
        "FROM golang AS build\n"
        "FROM alpine\n"
        "COPY --from=0 /a /a\n"
        "RUN --mount=type=bind,from=build,source=/src,target=/src make\n"
        "COPY --from=nginx:1.25 /etc/nginx /etc/nginx\n"
    )
    refs = [(r.name, r.stage.index if r.stage else None, r.node.span.line) for r in m.stages[1].references]
    assert refs == [("0", 0, 3), ("build", 0, 4), ("nginx:1.25", None, 5)]


def test_global_args_are_only_visible_in_from_until_redeclared():
    m = model_of(
        "ARG V=1\n"
        "FROM alpine:$V\n"
        "RUN true\n"
        "ARG V\n"
        "ENV X=$V\n"
    )
    assert m.stages[0].base == "alpine:1"
    run, arg, env = m.stages[0].instructions
    assert m.scope(run).get("V") is None
    assert m.scope(env).get("V").value == "1"  # bare ARG brings the global default in
    assert m.stages[0].env["X"].value == "1"


def test_env_overrides_arg_and_values_come_from_before_the_instruction():
    m = model_of(
        "FROM alpine\n"
        "ARG A=arg\n"
        "ENV A=env\n"
        "ENV B=$A A=new C=$A\n"
        "LABEL l=$A\n"
    )
    env = m.stages[0].env
    assert (env["A"].value, env["B"].value, env["C"].value) == ("new", "env", "env")
    label = m.stages[0].instructions[-1]
    assert m.expand(label, "$A").value == "new"


def test_env_and_declared_args_are_inherited_through_from_stage():
    # BuildKit's build-check tests: `FROM alpine AS base`, `ARG foo=Dockerfile`, `FROM base`, `COPY $foo .`
    # draws no UndefinedVar: the child stage has the parent's ARG, value included.
    m = model_of(
        "FROM alpine AS base\n"
        "ARG A=1\n"
        "ENV E=2\n"
        "FROM base\n"
        "WORKDIR /w\n"
    )
    workdir = m.stages[1].instructions[0]
    scope = m.scope(workdir)
    assert scope.get("A").value == "1"
    assert scope.get("E").value == "2"
    assert m.stages[1].env["E"].node.span.line == 3


def test_build_args_override_defaults_and_unknown_values_are_not_exact():
    m = model_of("ARG TAG=1\nFROM img:$TAG\nARG REV\nLABEL rev=$REV\n", build_args={"TAG": "2"})
    assert m.stages[0].base == "img:2"
    label = m.stages[0].instructions[-1]
    expansion = m.expand(label, "v$REV")
    assert (expansion.value, expansion.exact) == ("v", False)


def test_parameter_forms_expand():
    m = model_of("FROM a\nENV V=hello.tar.gz\nWORKDIR /x\n")
    node = m.stages[0].instructions[-1]
    assert m.expand(node, "${V%%.*}-${V#*.}-${V/l/L}-${V//l/L}-${U:-d}-${V:+set}").value == (
        "hello-tar.gz-heLlo.tar.gz-heLLo.tar.gz-d-set"
    )


def test_undefined_names_with_positions():
    m = model_of(
        "FROM alpine\n"
        "ARG VERSION=1\n"
        "COPY app-${VERSOIN}.jar /app/\n"
        "WORKDIR $HOME\n"
    )
    uses = [(u.name, u.span.line, u.span.column, u.span.end_column, u.suggestion) for u in m.undefined]
    assert uses == [("VERSOIN", 3, 10, 19, "VERSION"), ("HOME", 4, 9, 14, None)]


def test_runtime_settings_with_origins_and_inheritance():
    m = model_of(
        "FROM alpine AS base\n"
        "USER app\n"
        "WORKDIR /srv\n"
        "WORKDIR data\n"
        "SHELL [\"/bin/bash\", \"-c\"]\n"
        "CMD serve --port 80\n"
        "HEALTHCHECK CMD curl -f http://localhost/\n"
        "FROM base\n"
        "ENTRYPOINT [\"tini\", \"--\"]\n"
    )
    base, child = m.stages
    rt = base.runtime
    assert (rt.user.value, rt.user.node.span.line) == ("app", 2)
    assert (rt.workdir.value, rt.workdir.node.span.line) == ("/srv/data", 4)
    assert rt.shell.value == ("/bin/bash", "-c")
    assert rt.cmd.argv == ("/bin/bash", "-c", "serve --port 80")
    assert rt.argv == ("/bin/bash", "-c", "serve --port 80")
    assert rt.healthcheck.node.span.line == 7
    crt = child.runtime
    assert crt.user.inherited and crt.user.value == "app"
    assert crt.cmd is None and crt.cmd_reset_by.span.line == 9  # ENTRYPOINT cleared the inherited CMD
    assert crt.argv == ("tini", "--")


def test_argv_follows_the_entrypoint_cmd_table():
    def argv(body):
        return model_of("FROM scratch\n" + body).stages[0].runtime.argv

    assert argv('CMD ["c", "1"]\n') == ("c", "1")
    assert argv("CMD c 1\n") == ("/bin/sh", "-c", "c 1")
    assert argv('ENTRYPOINT ["e"]\n') == ("e",)
    assert argv('ENTRYPOINT ["e"]\nCMD ["c"]\n') == ("e", "c")
    assert argv('ENTRYPOINT ["e"]\nCMD c\n') == ("e", "/bin/sh", "-c", "c")
    assert argv('ENTRYPOINT e\nCMD ["c"]\n') == ("/bin/sh", "-c", "e")
    assert argv('CMD ["c"]\nENTRYPOINT ["e"]\n') == ("e", "c")  # CMD set in the stage first survives
    assert argv("") is None


def test_instructions_before_from_other_than_arg_are_errors():
    m = model_of("RUN true\nFROM alpine\n")
    assert [(e.message, e.span.line) for e in m.errors] == [("no build stage in current context", 1)]


def test_layers():
    m = model_of("FROM a\nENV X=1\nRUN a\nCOPY . /\nLABEL x=y\nADD f /\nWORKDIR /w\nCMD x\n")
    assert [n.keyword for n in m.stages[0].layers] == ["RUN", "COPY", "ADD", "WORKDIR"]


def test_shell_code_maps_positions_across_continuations():
    m = model_of("FROM debian\nRUN apt-get update \\\n  && apt-get install -y curl\n")
    run = m.stages[0].instructions[0]
    [code] = m.shell_code(run)
    commands = [(c.name, code.span(c.start, c.end)) for c in code.script.commands]
    assert [(name, s.line, s.column, s.end_line, s.end_column) for name, s in commands] == [
        ("apt-get", 2, 5, 2, 19), ("apt-get", 3, 6, 3, 29),
    ]


def test_heredoc_scripts_shell_and_other_languages():
    m = model_of(
        "FROM python:3.12\n"
        "RUN <<EOF\n"
        "set -e\n"
        "pip install flask\n"
        "EOF\n"
        "RUN python3 <<PY\n"
        "print('hi')\n"
        "PY\n"
        "RUN bash -e <<SH\n"
        "echo one\n"
        "SH\n"
        "RUN <<EOF\n"
        "#!/usr/bin/env python3\n"
        "import sys\n"
        "EOF\n"
    )
    runs = m.stages[0].instructions
    [whole] = m.shell_code(runs[0])
    assert [(c.name, whole.span(c.start, c.end).line) for c in whole.script.commands] == [("set", 3), ("pip", 4)]
    assert m.shell_code(runs[1])[0].script.commands[0].name == "python3"
    [script] = m.embedded_scripts(runs[1])
    assert (script.language, script.text, script.heredoc.body_line) == ("python", "print('hi')\n", 7)
    outer, body = m.shell_code(runs[2])
    assert [c.name for c in body.script.commands] == ["echo"]
    assert body.span(body.script.commands[0].start, body.script.commands[0].end).line == 10
    assert m.shell_code(runs[3]) == []
    assert [s.language for s in m.embedded_scripts(runs[3])] == ["python"]


def test_non_posix_shell_is_not_parsed():
    m = model_of('FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem\n')
    run = m.stages[0].instructions[-1]
    assert m.shell(run) == ("powershell", "-Command")
    assert m.shell_code(run) == []


def test_windows_images_default_to_cmd():
    m = model_of("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\nCMD echo hi\n")
    assert m.stages[0].runtime.argv == ("cmd", "/S", "/C", "echo hi")
    assert m.shell_code(m.stages[0].instructions[0]) == []  # cmd.exe code is not parsed as a POSIX shell


def test_indexes_for_stages_users_and_scopes():
    # Chains of stages, USER lookups and scopes are answered from indexes built in the one walk (the scans
    # they replace were quadratic); the answers are those of the scans.
    m = model_of(
        "ARG BASE=alpine:3.19\n"
        "FROM $BASE AS a\n"                   # 2
        "USER app\n"
        "RUN id\n"                            # 4
        "FROM a AS b\n"
        "RUN id\n"                            # 6
        "FROM a AS A\n"                       # 7: a second stage named `a`
        "ARG X=1\n"
        "ENV Y=$X\n"
        "ARG X=2\n"
        "USER root\n"
        "RUN id\n"                            # 12
        "FROM a AS c\n"                       # 13: FROM the last `a` before it
        "RUN id\n"                            # 14
        "FROM scratch\n"
        "RUN id\n"                            # 16
    )
    a, b, a2, c, last = m.stages
    assert m.stage_named("A") is a and m.stage_named("4") is last  # the first of a name, as BuildKit
    assert (c.base_stage, a2.base_stage) == (a2, a)
    assert [m.root(s) for s in m.stages] == [a, a, a, a, last]
    assert [s.index for s in m.built_on(a)] == [1, 2, 3] and m.built_on(b) == []
    runs = {n.span.line: n for n in m.instructions if n.keyword == "RUN"}
    users = {line: (m.user(n).value, m.user(n).node.span.line) if m.user(n) else None for line, n in runs.items()}
    assert users == {4: ("app", 3), 6: ("app", 3), 12: ("root", 11), 14: ("root", 11), 16: None}
    env_node = next(n for n in m.instructions if n.keyword == "ENV")
    scope = m.scope(env_node)
    assert dict(scope.values()) == {"X": "1"} and list(scope.args) == ["X"] and len(scope.env) == 0
    scope = m.scope(runs[12])
    assert dict(scope.values()) == {"X": "2", "Y": "1"} and scope.get("X").node.span.line == 10
    # ENV is inherited, and so are the stage's declared ARGs, with their values (as BuildKit carries them)
    assert c.env["Y"].value == "1" and m.scope(runs[14]).get("X").value == "2"


def test_suggestions_are_those_of_the_full_comparison():
    # closest() skips names too far apart by length alone and stops a comparison once it cannot win; what
    # it suggests is what comparing every name in full suggests.
    import random

    from dfcheck.suggest import closest, distance

    def full(word, options):
        ranked = [(distance(word.lower(), o.lower()), o) for o in sorted(options) if o != word]
        best = min(ranked, key=lambda pair: pair[0], default=None)
        return best[1] if best and best[0] <= max(1, len(word) // 3) else None

    rng = random.Random(7)
    names = ["".join(rng.choice("ABE_") for _ in range(rng.randint(1, 9))) for _ in range(300)]
    for word in names[:150] + ["BAE", "EBA_A", "A", "__A_B_E"]:
        assert closest(word, names) == full(word, names), word
    assert distance("ab", "ba", 0) == 1 and distance("kitten", "sitting", 1) == 2 and distance("abc", "abc", 0) == 0


def test_reference_spans_are_found_as_the_regular_expression_found_them():
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dfcheck.model.variables import reference_span
    from dfcheck.syntax.nodes import Span

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="$}{AB_é1 ", max_size=14), st.sampled_from(["A", "AB", "B_", "é"]),
           st.integers(1, 6), st.integers(0, 8))
    def check(text, name, column, width):
        span = Span(1, column, 1, column + width)
        pattern = re.compile(r"\$(?:\{%s\b|%s\b)" % (re.escape(name), re.escape(name)))
        m = pattern.search(text, span.column - 1, span.end_column - 1)
        expected = Span(1, m.start() + 1, 1, m.end() + 1) if m else span
        assert reference_span([text], span, name) == expected

    check()


def test_a_from_through_unknown_variables_may_build_on_every_stage_it_can_name():
    src = ("FROM alpine AS build-amd64\nFROM alpine AS build-arm64\nFROM alpine AS build-base\n"
           "FROM build-${TARGETARCH} AS final\n")
    model = model_of(src)
    assert [s.name for s in model.stages[3].candidates] == ["build-amd64", "build-arm64"]
    assert [[s.name for s in chain] for chain in model.lineages(model.target)] == [
        ["build-amd64", "final"], ["build-arm64", "final"]]
    assert [s.name for s in model.shipped_stages] == ["build-amd64", "build-arm64", "final"]
    # Another variable: any stage named by the fixed text around it; no fixed text is an image.
    model = model_of("FROM alpine AS runner-slim\nFROM alpine AS runner-full\nFROM alpine AS other\n"
                     "ARG FLAVOR\nFROM runner-${FLAVOR}\nFROM ${FLAVOR}\n")
    assert [s.name for s in model.stages[3].candidates] == ["runner-slim", "runner-full"]
    assert model.stages[4].candidates == ()
    # A value known at lint time names one stage, as before.
    model = model_of("ARG FLAVOR=slim\nFROM alpine AS runner-slim\nFROM alpine AS runner-full\nFROM runner-$FLAVOR\n")
    assert model.stages[2].base_stage is model.stages[0] and model.stages[2].candidates == ()


def test_built_stages_are_every_stage_without_a_target():
    src = "FROM alpine AS dev\nRUN make\nFROM alpine AS prod\nFROM alpine AS test\nCOPY --from=prod / /\n"
    assert [s.name for s in model_of(src).built_stages] == ["dev", "prod", "test"]
    assert [s.name for s in model_of(src, target="test").built_stages] == ["prod", "test"]


def test_scripts_kept_between_lints_are_the_same_parse(monkeypatch):
    from dfcheck.model import build_model, scripts
    from dfcheck.syntax import parse

    def script_of(text):
        model = build_model(parse(text))
        run = next(n for n in model.dockerfile.instructions if n.keyword == "RUN")
        return model.shell_code(run)[0].script

    monkeypatch.setattr(scripts, "_kept", None)
    assert script_of("FROM a\nRUN apt-get update\n") is not script_of("FROM a\nRUN apt-get update\n")
    scripts.keep_scripts()
    kept = script_of("FROM a\nRUN apt-get update\n")
    assert script_of("FROM b\n\nRUN apt-get update\n") is kept  # the same code elsewhere: not parsed again
    assert kept.find("apt-get") and script_of("FROM a\nRUN apt-get install\n") is not kept


def test_the_stand_in_from_of_an_onbuild_build_leaves_kept_instructions_alone(monkeypatch):
    from dfcheck.model import build_model
    from dfcheck.syntax import Span, parse, parser

    monkeypatch.setattr(parser, "_kept", None)
    parser.keep_instructions()
    assert parse("FROM alpine\n").instructions[0].args[0].span == Span(1, 6, 1, 12)
    model = build_model(parse("FROM alpine AS base\nONBUILD RUN make\n"))
    assert [n.keyword for n in model.onbuild[0].instructions][:2] == ["FROM", "RUN"]  # FROM alpine, moved
    assert parse("FROM alpine\n").instructions[0].args[0].span == Span(1, 6, 1, 12)


@given(st.text(alphabet="ab /:.-_=\t{}()[]*?~#@!%^&;|<>,é😀\\`$'\"", max_size=12), st.sampled_from(["\\", "`"]))
@settings(max_examples=300)
def test_expand_answers_plain_words_without_the_lexer_exactly_as_the_lexer_would(text, escape):
    from dfcheck.model.variables import Scope, expand
    from dfcheck.syntax.expansion import ExpansionError, Lexer

    lexer = Lexer(escape)
    got = expand(lexer, text, Scope({}, {}))
    try:
        result = lexer.process_word(text, {})
    except ExpansionError as e:
        assert (got.value, got.exact, got.error) == (text, False, str(e))
        return
    assert (got.value, got.exact, got.used, got.error) == (result.value, not result.unset,
                                                           frozenset(result.used) | frozenset(result.unset), None)
