"""The Dockerfile parser, checked value by value and span by span against BuildKit's behaviour.

Spans are (line, column, end_line, end_column): 1-based, end exclusive, columns in characters of the
physical line. Where a test pins down a BuildKit quirk, the comment says which BuildKit code does it
(frontend/dockerfile/parser/*.go, frontend/dockerfile/instructions/*.go, shell/lex.go).
"""

from __future__ import annotations

import pytest

from dfcheck.syntax import Span, parse
from dfcheck.syntax.dump import buildkit_dump


def S(line, column, end_line, end_column):
    return Span(line, column, end_line, end_column)


def only(text):
    """The single instruction after a `FROM a` line, asserting the file has no error."""
    d = parse("FROM a\n" + text)
    assert [e.message for e in d.errors] == []
    assert len(d.instructions) == 2
    return d.instructions[1]


def errors(text):
    return [(e.message, e.span) for e in parse(text).errors]


def dump(text):
    return buildkit_dump(parse(text))


# -- heredocs ----------------------------------------------------------------------------------------


def test_heredoc_basic_spans():
    d = parse("FROM a\nRUN <<EOF\necho hi\nEOF\nUSER x\n")
    assert d.errors == []
    run = d.instructions[1]
    assert run.keyword == "RUN"
    assert run.values == ["<<EOF"]
    assert run.span == S(2, 1, 4, 4)  # the instruction covers its body and terminator
    assert run.keyword_span == S(2, 1, 2, 4)
    (h,) = run.heredocs
    assert (h.name, h.fd, h.chomp, h.expand) == ("EOF", None, False, True)
    assert h.content == "echo hi\n"
    assert h.body == "echo hi\n"
    assert h.marker_span == S(2, 5, 2, 10)
    assert h.span == S(3, 1, 4, 4)
    assert h.body_line == 3
    assert (d.instructions[2].keyword, d.instructions[2].span.line) == ("USER", 5)


def test_heredoc_chomp_keeps_content_and_strips_in_body():
    d = parse("FROM a\nRUN <<-EOF\n\techo a\n\t\techo b\n\t\tEOF\n")
    assert d.errors == []
    (h,) = d.instructions[1].heredocs
    assert h.chomp is True
    assert h.content == "\techo a\n\t\techo b\n"  # BuildKit keeps the tabs in Content ...
    assert h.body == "echo a\necho b\n"  # ... and ChompHeredocContent removes them later
    assert h.span == S(3, 1, 5, 6)


def test_heredoc_terminator_with_tabs_needs_chomp():
    d = parse("FROM a\nRUN <<EOF\n\tEOF\nEOF\n")
    (h,) = d.instructions[1].heredocs
    assert h.content == "\tEOF\n"


def test_heredoc_terminator_must_match_exactly():
    # trimNewline only removes \r and \n: trailing blanks make it another line of the body
    d = parse("FROM a\nRUN <<EOF\nEOF \n EOF\nEOF\n")
    (h,) = d.instructions[1].heredocs
    assert h.content == "EOF \n EOF\n"


@pytest.mark.parametrize(
    "marker, name, expand",
    [
        ("<<EOF", "EOF", True),
        ('<<"EOF"', "EOF", False),
        ("<<'EOF'", "EOF", False),
        ('<<E"O"F', "EOF", False),
        ("<<eo'f'", "eof", False),
        ("<<eo\\'f", "eo'f", True),  # an escaped quote is no quoting
        ("<<'e'o\\'f", "eo'f", False),
        ("<<$EOF", "$EOF", True),  # SkipUnsetEnv: the name stays as written
        ("<<-'EOF'", "EOF", False),
    ],
)
def test_heredoc_quoting(marker, name, expand):
    d = parse(f"FROM a\nRUN {marker}\nx\n{name}\n")
    assert d.errors == []
    (h,) = d.instructions[1].heredocs
    assert (h.name, h.expand, h.content) == (name, expand, "x\n")


def test_heredoc_quoted_name_with_space():
    d = parse("FROM a\nRUN <<'one two'\necho bar\none two\n")
    (h,) = d.instructions[1].heredocs
    assert (h.name, h.expand, h.content) == ("one two", False, "echo bar\n")
    assert h.marker_span == S(2, 5, 2, 16)


def test_heredoc_blanks_after_the_operator():
    # BuildKit's lexer keeps blanks after `<<` in the word (processPossibleHeredoc), and reHeredoc skips them
    d = parse("FROM a\nRUN <<  EOF\nx\nEOF\nRUN 3<< EOF > foo\ny\nEOF\nRUN << -EOF\nz\n-EOF\n")
    assert d.errors == []
    a, b, c = (n.heredocs[0] for n in d.instructions[1:])
    assert (a.name, a.fd, a.content, a.marker_span) == ("EOF", None, "x\n", S(2, 5, 2, 12))
    assert (b.name, b.fd, b.content, b.marker_span) == ("EOF", 3, "y\n", S(5, 5, 5, 12))
    assert (c.name, c.content) == ("-EOF", "z\n")
    assert [n.span.end_line for n in d.instructions] == [1, 4, 7, 10]


def test_heredoc_chomp_then_blank_is_not_a_heredoc():
    # `<<-` then a blank: the lexer ends the word at the blank (only `<<` glues the blanks), so no heredoc
    d = parse("FROM a\nRUN <<- EOF\nUSER x\n")
    assert d.errors == []
    assert d.instructions[1].heredocs == []
    assert [n.keyword for n in d.instructions] == ["FROM", "RUN", "USER"]


def test_heredoc_fd_prefix_is_ascii_digits():
    d = parse("FROM a\nRUN 3<<EOF\nx\nEOF\n")
    (h,) = d.instructions[1].heredocs
    assert (h.fd, h.name, h.marker_span) == (3, "EOF", S(2, 5, 2, 11))
    # Go's \d is ASCII only: an Arabic-Indic three is no file descriptor, and the word no heredoc
    d = parse("FROM a\nRUN \u0663<<EOF\nUSER x\n")
    assert d.instructions[1].heredocs == []
    assert [n.keyword for n in d.instructions] == ["FROM", "RUN", "USER"]


def test_several_heredocs_in_order():
    d = parse("FROM a\nCOPY <<A <<B /dst/\na1\nA\nb1\nb2\nB\nUSER x\n")
    assert d.errors == []
    copy = d.instructions[1]
    assert copy.values == ["<<A", "<<B", "/dst/"]
    a, b = copy.heredocs
    assert (a.name, a.content, a.marker_span, a.span) == ("A", "a1\n", S(2, 6, 2, 9), S(3, 1, 4, 2))
    assert (b.name, b.content, b.marker_span, b.span) == ("B", "b1\nb2\n", S(2, 10, 2, 13), S(5, 1, 7, 2))
    assert copy.span == S(2, 1, 7, 2)
    assert d.instructions[2].span.line == 8


def test_heredocs_read_one_after_the_other():
    # BuildKit's own test: each body ends at its own terminator only
    d = parse("FROM a\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n")
    x, y = d.instructions[1].heredocs
    assert (x.content, y.content) == ("Y\n", "X\n")


def test_heredoc_same_marker_twice():
    d = parse("FROM a\nRUN <<EOF cat <<EOF\n1\nEOF\n2\nEOF\n")
    a, b = d.instructions[1].heredocs
    assert (a.content, a.marker_span) == ("1\n", S(2, 5, 2, 10))
    assert (b.content, b.marker_span) == ("2\n", S(2, 15, 2, 20))


def test_heredoc_in_add_and_with_flags():
    d = parse("FROM a\nADD --chmod=755 <<EOF /x\n#!/bin/sh\nEOF\nRUN --mount=type=cache,target=/c <<EOT\nls\nEOT\n")
    assert d.errors == []
    add, run = d.instructions[1:]
    assert add.heredocs[0].content == "#!/bin/sh\n"  # a body line starting with # is not a comment
    assert add.heredocs[0].marker_span == S(2, 17, 2, 22)
    assert [f.text for f in run.flags] == ["--mount=type=cache,target=/c"]
    assert run.heredocs[0].marker_span == S(5, 34, 5, 39)
    assert d.comments == []


def test_heredoc_inside_onbuild():
    d = parse("FROM a\nONBUILD RUN <<EOF\necho x\nEOF\nUSER u\n")
    assert d.errors == []
    onbuild = d.instructions[1]
    assert onbuild.span == S(2, 1, 4, 4)
    assert onbuild.trigger.keyword == "RUN"
    (h,) = onbuild.trigger.heredocs
    assert (h.content, h.marker_span, h.span) == ("echo x\n", S(2, 13, 2, 18), S(3, 1, 4, 4))
    assert buildkit_dump(d) == '(from "a")\n(onbuild (run "<<EOF"))\n(user "u")\n'


@pytest.mark.parametrize(
    "line",
    [
        'RUN echo "<<EOF"',  # quoted: the lexer keeps the quotes, and `"<<EOF"` does not start with <<
        "RUN echo '<<EOF'",
        'RUN ["<<EOF"]',  # JSON form cannot hold a heredoc
        'RUN ["cat", "<<EOF"]',
        "ENV A=<<EOF",  # not an instruction that takes heredocs
        "ENV A <<EOF",
        "LABEL x=<<EOF",
        "USER <<EOF",
        "RUN echo <<",  # nothing after the operator
        "RUN echo <<<EOF",  # a here-string
        "RUN echo \\<<EOF",  # escaped
    ],
)
def test_not_heredocs(line):
    d = parse(f"FROM a\n{line}\nUSER x\n")
    assert d.instructions[1].heredocs == []
    assert [(n.keyword, n.span.line) for n in d.instructions] == [("FROM", 1), (line.split()[0], 2), ("USER", 3)]


def test_heredoc_in_continuation_line():
    d = parse("FROM a\nRUN cat \\\n  <<EOF\nbody\nEOF\n")
    run = d.instructions[1]
    (h,) = run.heredocs
    assert h.marker_span == S(3, 3, 3, 8)
    assert h.content == "body\n"
    assert run.span == S(2, 1, 5, 4)


def test_unterminated_heredoc_is_an_error_and_parsing_resumes():
    d = parse("FROM a\nRUN <<EOF\nWORKDIR /w\nUSER x\n")
    assert [(e.message, e.span) for e in d.errors] == [("unterminated heredoc", S(2, 5, 2, 10))]
    run = d.instructions[1]
    assert run.error == "unterminated heredoc"
    assert run.heredocs == []
    assert run.span == S(2, 1, 2, 10)
    # recovery: the lines after the instruction line are read as instructions again
    assert [(n.keyword, n.span.line) for n in d.instructions] == [
        ("FROM", 1), ("RUN", 2), ("WORKDIR", 3), ("USER", 4),
    ]


def test_heredoc_body_at_eof_without_newline():
    d = parse("FROM a\nRUN <<EOF\nx\nEOF")
    (h,) = d.instructions[1].heredocs
    assert h.content == "x\n"
    assert h.span == S(3, 1, 4, 4)


def test_heredoc_as_copy_destination():
    assert errors("FROM a\nCOPY a <<EOF\nx\nEOF\n") == [
        ("COPY cannot accept a heredoc as a destination", S(2, 8, 2, 13))
    ]


# -- flags -------------------------------------------------------------------------------------------


def test_flags_split_from_arguments():
    copy = only("COPY --from=build --chown=1:1 a b\n")
    assert [(f.name, f.value, f.text, f.span) for f in copy.flags] == [
        ("from", "build", "--from=build", S(2, 6, 2, 18)),
        ("chown", "1:1", "--chown=1:1", S(2, 19, 2, 30)),
    ]
    assert [(a.value, a.span) for a in copy.args] == [("a", S(2, 31, 2, 32)), ("b", S(2, 33, 2, 34))]
    assert (copy.args_text, copy.args_offset) == ("a b", 30)
    assert copy.flag("from").value == "build"
    assert copy.flag("link") is None


def test_flag_without_value_and_quoted_values():
    copy = only('COPY --link --chown="a b" --chmod=\'7\'5\'5\' --from=x\\ y src dst\n')
    assert [(f.name, f.value, f.text) for f in copy.flags] == [
        ("link", None, "--link"),
        ("chown", "a b", "--chown=a b"),
        ("chmod", "755", "--chmod=755"),
        ("from", "x y", "--from=x y"),
    ]
    assert copy.flags[1].span == S(2, 13, 2, 26)
    assert copy.values == ["src", "dst"]
    assert dump("FROM a\n" + 'COPY --link --chown="a b" a b\n').splitlines()[1] == \
        '(copy ["--link" "--chown=a b"] "a" "b")'


def test_double_dash_ends_the_flags():
    copy = only("COPY --link -- --from=x dst\n")
    assert [f.text for f in copy.flags] == ["--link"]
    assert copy.values == ["--from=x", "dst"]
    assert copy.args[0].span == S(2, 16, 2, 24)


def test_flags_only_at_the_start():
    run = only("RUN echo --mount=x\n")
    assert run.flags == []
    assert run.values == ["echo --mount=x"]


def test_empty_flag_value_and_repeated_flags():
    run = only("RUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b x\n")
    assert [f.value for f in run.flags] == ["type=cache,target=/a", "type=tmpfs,target=/b"]
    copy = only('COPY --chown="" a b\n')
    assert (copy.flags[0].value, copy.flags[0].text) == ("", "--chown=")


def test_non_ascii_flag_bytes_as_go_reads_them():
    # extractBuilderFlags reads bytes: each UTF-8 byte of a flag becomes its own (Latin-1) rune
    copy = only("COPY --chown=j\u00f6hn a b\n")
    assert copy.flags[0].text == "--chown=j\u00c3\u00b6hn"
    assert copy.flags[0].span == S(2, 6, 2, 18)
    assert dump("FROM a\nCOPY --chown=j\u00f6hn a b\n").splitlines()[1] == '(copy ["--chown=j\u00c3\u00b6hn"] "a" "b")'
    # ... and the byte 0xA0 (the end of "\u00e0", C3 A0) is a blank to unicode.IsSpace
    d = parse("FROM a\nCOPY --chown=\u00e0b a b\n")
    copy = d.instructions[1]
    assert copy.flags[0].text == "--chown=\u00c3"
    assert copy.flags[0].span == S(2, 6, 2, 15)
    assert copy.values == ["b", "a", "b"]
    assert copy.args[0].span == S(2, 15, 2, 16)


# -- what BuildKit's instructions step rejects, and recovery ------------------------------------------


@pytest.mark.parametrize(
    "line, message, span",
    [
        ("COPY --foo a b", "unknown flag: --foo (did you mean from?)", S(2, 6, 2, 11)),
        ("COPY --xyzzy a b", "unknown flag: --xyzzy", S(2, 6, 2, 13)),
        ("COPY --frm=x a b", "unknown flag: --frm (did you mean from?)", S(2, 6, 2, 13)),
        ("RUN --mont=type=cache x", "unknown flag: --mont (did you mean mount?)", S(2, 5, 2, 22)),
        ("COPY --FROM=x a b", "unknown flag: --FROM", S(2, 6, 2, 14)),  # flag names are case-sensitive
        ("CMD --x=1 echo", "unknown flag: --x", S(2, 5, 2, 10)),
        ("COPY --link=maybe a b", "expecting boolean value for flag --link, not: maybe", S(2, 6, 2, 18)),
        ("COPY --link= a b", "missing a value on flag: --link", S(2, 6, 2, 13)),
        ("COPY --from a b", "missing a value on flag: --from", S(2, 6, 2, 12)),
        ("COPY --from=a --from=b x y", "duplicate flag specified: --from", S(2, 15, 2, 23)),
        ("FROM --platform b", "missing a value on flag: --platform", S(2, 6, 2, 16)),
        ("RUN --network=bridge x", 'invalid network mode "bridge"', S(2, 5, 2, 21)),
        ("RUN --security=lax x", 'security "lax" is not valid', S(2, 5, 2, 19)),
    ],
)
def test_flag_errors(line, message, span):
    d = parse(f"FROM a\n{line}\nUSER x\n")
    assert [(e.message, e.span) for e in d.errors] == [(message, span)]
    assert d.instructions[1].error == message
    assert [(n.keyword, n.span.line) for n in d.instructions][-1] == ("USER", 3)


def test_bool_flags_accept_true_and_false_in_any_case():
    copy = only("COPY --link=TRUE --parents=False a b\n")
    assert [f.value for f in copy.flags] == ["TRUE", "False"]


def test_repeatable_flags_are_no_duplicates():
    only("COPY --exclude=a --exclude=b src dst\n")


@pytest.mark.parametrize(
    "line, message, span",
    [
        ("COPY onlyone", "COPY requires at least two arguments, but only one was provided. "
                         "Destination could not be determined", S(2, 1, 2, 13)),
        ("ADD x", "ADD requires at least two arguments, but only one was provided. "
                  "Destination could not be determined", S(2, 1, 2, 6)),
        # the argument count is checked before the flags, as parseCopy does
        ("COPY --nope onlyone", "COPY requires at least two arguments, but only one was provided. "
                                "Destination could not be determined", S(2, 1, 2, 20)),
        ("ENV PATH", "ENV must have two arguments", S(2, 1, 2, 9)),
        ("LABEL x", "LABEL must have two arguments", S(2, 1, 2, 8)),
        ("ENV a=1 b", 'Syntax error - can\'t find = in "b". Must be of the form: name=value', S(2, 9, 2, 10)),
        # the word is quoted with %q, Go's strconv.Quote
        ('ENV a=1 "x\\"y\u3000z"',
         r"""Syntax error - can't find = in "\"x\\\"y\u3000z\"". Must be of the form: name=value""", S(2, 9, 2, 17)),
        ("ENV =x", "ENV names can not be blank", S(2, 1, 2, 7)),
        ("ARG =x", "ARG names can not be blank", S(2, 1, 2, 7)),
        ("ENV", "ENV requires at least one argument", S(2, 1, 2, 4)),
        ("LABEL", "LABEL requires at least one argument", S(2, 1, 2, 6)),
        ("ARG", "ARG requires at least one argument", S(2, 1, 2, 4)),
        ("EXPOSE", "EXPOSE requires at least one argument", S(2, 1, 2, 7)),
        ("VOLUME", "VOLUME requires at least one argument", S(2, 1, 2, 7)),
        ("ONBUILD", "ONBUILD requires at least one argument", S(2, 1, 2, 8)),
        ("USER", "USER requires exactly one argument", S(2, 1, 2, 5)),
        ("WORKDIR", "WORKDIR requires exactly one argument", S(2, 1, 2, 8)),
        ("STOPSIGNAL", "STOPSIGNAL requires exactly one argument", S(2, 1, 2, 11)),
        ("MAINTAINER", "MAINTAINER requires exactly one argument", S(2, 1, 2, 11)),
        ("FROM a b", "FROM requires either one or three arguments", S(2, 1, 2, 9)),
        ("FROM a AS b c", "FROM requires either one or three arguments", S(2, 1, 2, 14)),
        ("FROM", "FROM requires either one or three arguments", S(2, 1, 2, 5)),
        ("FROM a AS 1st", 'invalid name for build stage: "1st", name can\'t start with a number or contain symbols',
         S(2, 11, 2, 14)),
        ("FROM a as b@c", 'invalid name for build stage: "b@c", name can\'t start with a number or contain symbols',
         S(2, 11, 2, 14)),
        ("SHELL /bin/sh -c", "SHELL requires the arguments to be in JSON form", S(2, 1, 2, 17)),
        ("SHELL []", "SHELL requires at least one argument", S(2, 1, 2, 9)),
        ("VOLUME [\"\"]", "VOLUME specified can not be an empty string", S(2, 9, 2, 11)),
        ("VOLUME a \u00a0 b", "VOLUME specified can not be an empty string", S(2, 10, 2, 11)),
        ('RUN [ "a", 1 ]', "when using JSON array syntax, arrays must be comprised of strings only", S(2, 1, 2, 15)),
        ('CMD [["nested"]]', "when using JSON array syntax, arrays must be comprised of strings only",
         S(2, 1, 2, 17)),
        ("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", S(2, 9, 2, 16)),
        ("ONBUILD from x", "FROM isn't allowed as an ONBUILD trigger", S(2, 9, 2, 13)),
        ("ONBUILD MAINTAINER me", "MAINTAINER isn't allowed as an ONBUILD trigger", S(2, 9, 2, 19)),
    ],
)
def test_instruction_errors(line, message, span):
    d = parse(f"FROM a\n{line}\nUSER x\n")
    assert [(e.message, e.span) for e in d.errors] == [(message, span)]
    # recovery: the next instruction is still there
    assert (d.instructions[-1].keyword, d.instructions[-1].span.line) == ("USER", 3)
    assert len(d.instructions) == 3


def test_a_long_onbuild_chain_is_buildkits_chaining_error_not_a_recursion_error():
    # Each ONBUILD's trigger used to be built by a recursive call: 500 of them exceeded Python's limit.
    depth = 8000  # as many as BuildKit's 64 KiB line limit allows
    d = parse("FROM a\n" + "ONBUILD " * depth + "RUN x\nUSER u\n")
    assert [(e.message, e.span) for e in d.errors] == [
        ("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", S(2, 9, 2, 16))]
    node, levels = d.instructions[1], 0
    while node.trigger is not None:
        node, levels = node.trigger, levels + 1
    assert (levels, node.keyword, [a.value for a in node.args]) == (depth, "RUN", ["x"])
    assert buildkit_dump(d).splitlines()[1] == "(onbuild " * depth + '(run "x")' + ")" * depth
    # An error deep inside the chain is BuildKit's parser's, so it is the one reported, for every level.
    d = parse("FROM a\n" + "ONBUILD " * 600 + 'RUN ["a", 1]\n')
    assert [e.message for e in d.errors] == ["when using JSON array syntax, arrays must be comprised of strings only"]


def test_flags_longer_than_the_scanners_window():
    # The flag scanner reads a window of the line that grows while flags go on: flags and quoted blanks
    # across its edges must come out as from one reading of the whole line.
    long, quoted = "a" * 300, "x y" * 200
    node = only(f'COPY --chown={long} --exclude="{quoted}" --from=é{long} src dst\n')
    assert [(f.name, f.value) for f in node.flags] == [("chown", long), ("exclude", quoted), ("from", "Ã©" + long)]
    assert [a.value for a in node.args] == ["src", "dst"]
    for pad in range(250, 260):  # a flag, a lone "-" or the end of the flags at the first window's edge
        node = only("COPY" + " " * pad + "--link -x src dst\n")
        assert ([f.name for f in node.flags], [a.value for a in node.args]) == (["link"], ["-x", "src", "dst"])
        node = only("COPY" + " " * pad + "-x src dst\n")
        assert (node.flags, [a.value for a in node.args]) == ([], ["-x", "src", "dst"])


def test_flags_that_buildkit_never_reads():
    # parseStopSignal and parseArg never call flags.Parse: their flags are ignored, not errors
    d = parse("FROM a\nSTOPSIGNAL --x 9\nARG --y a\n")
    assert d.errors == []
    assert buildkit_dump(d) == '(from "a")\n(stopsignal ["--x"] "9")\n(arg ["--y"] "a")\n'


def test_onbuild_trigger_is_checked_only_when_it_runs():
    # parseOnBuild checks the trigger's keyword only; the trigger itself is parsed by the child build
    d = parse("FROM a\nONBUILD COPY onlyone\nONBUILD RUN --nope x\nONBUILD XYZZY x\n")
    assert d.errors == []
    copy, run, nope = (n.trigger for n in d.instructions[1:])
    assert copy.error.startswith("COPY requires at least two arguments")
    assert run.error == "unknown flag: --nope"
    assert nope.error == "unknown instruction: XYZZY"
    assert [n.error for n in d.instructions] == [None] * 4
    # but what breaks BuildKit's parser breaks the ONBUILD line
    d = parse('FROM a\nONBUILD RUN ["a", 1]\n')
    assert [(e.message, e.span) for e in d.errors] == [
        ("when using JSON array syntax, arrays must be comprised of strings only", S(2, 9, 2, 21))
    ]
    assert d.instructions[1].error == d.errors[0].message


@pytest.mark.parametrize(
    "keyword, message",
    [
        ("FOO", "unknown instruction: FOO (did you mean FROM?)"),  # levenshtein("foo", "from") == 2 < 3
        ("RUNN", "unknown instruction: RUNN (did you mean RUN?)"),
        ("runn", "unknown instruction: runn (did you mean run?)"),  # the case of the suggestion follows ...
        ("Runn", "unknown instruction: Runn (did you mean run?)"),  # ... matchCase: mixed case gives lower
        ("FRMO", "unknown instruction: FRMO (did you mean FROM?)"),
        ("XYZZY", "unknown instruction: XYZZY"),
        ("apt-get", "unknown instruction: apt-get"),  # the keyword as written, not upper-cased
        ("&&", "unknown instruction: &&"),
    ],
)
def test_unknown_instruction(keyword, message):
    d = parse(f"FROM a\n{keyword} install x\nUSER x\n")
    assert [(e.message, e.span) for e in d.errors] == [(message, S(2, 1, 2, 1 + len(keyword)))]
    node = d.instructions[1]
    assert (node.keyword, node.keyword_text, node.error) == (keyword.upper(), keyword, message)
    assert buildkit_dump(d).splitlines()[1] == f'({keyword.lower()} "")'
    assert (d.instructions[2].keyword, d.instructions[2].span.line) == ("USER", 3)


def test_keywords_in_any_case():
    d = parse("from a AS b\nrun echo\nRun x\nrUN y\nCopy a b\n")
    assert d.errors == []
    assert [n.keyword for n in d.instructions] == ["FROM", "RUN", "RUN", "RUN", "COPY"]
    assert [n.keyword_text for n in d.instructions] == ["from", "run", "Run", "rUN", "Copy"]
    assert buildkit_dump(d) == '(from "a" "AS" "b")\n(run "echo")\n(run "x")\n(run "y")\n(copy "a" "b")\n'


def test_keyword_lowered_as_go_does():
    # strings.ToLower maps the Kelvin sign to k: BuildKit runs this as WORKDIR
    d = parse("FROM a\nWOR\u212aDIR /x\n")
    assert d.errors == []
    assert d.instructions[1].keyword == "WORKDIR"
    assert buildkit_dump(d).splitlines()[1] == '(workdir "/x")'


# -- HEALTHCHECK -------------------------------------------------------------------------------------


def test_healthcheck_forms():
    d = parse('FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD curl -f x || exit 1\n'
              'HEALTHCHECK CMD ["curl", "-f", "x"]\nhealthcheck cmd echo\n')
    assert d.errors == []
    none, shell, exec_, lower = d.instructions[1:]
    assert (none.values, none.json) == (["NONE"], False)
    assert (shell.values, shell.json) == (["CMD", "curl -f x || exit 1"], False)
    assert [a.span for a in shell.args] == [S(3, 27, 3, 30), S(3, 31, 3, 50)]
    assert (exec_.values, exec_.json) == (["CMD", "curl", "-f", "x"], True)
    assert [a.span for a in exec_.args] == [S(4, 13, 4, 16), S(4, 18, 4, 24), S(4, 26, 4, 30), S(4, 32, 4, 35)]
    assert lower.values == ["cmd", "echo"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
        ("HEALTHCHECK --interval=1 CMD x", 'time: missing unit in duration "1"'),
        ("HEALTHCHECK --interval=1x CMD x", 'time: unknown unit "x" in duration "1x"'),
        ("HEALTHCHECK --interval=.s CMD x", 'time: invalid duration ".s"'),
        ("HEALTHCHECK --interval=--1s CMD x", 'time: invalid duration "--1s"'),
        ("HEALTHCHECK --interval=5us CMD x", 'Interval "interval" cannot be less than 1ms'),
        # the flag reaches ParseDuration as Go's flag extraction made it: "µ" as the two runes "Â" "µ"
        ("HEALTHCHECK --interval=5\u00b5s CMD x",
         'time: unknown unit "\\xc3\\x82\\xc2\\xb5s" in duration "5\\xc3\\x82\\xc2\\xb5s"'),
        ("HEALTHCHECK --timeout=-1s CMD x", 'Interval "timeout" cannot be less than 1ms'),
        ("HEALTHCHECK --retries=x CMD x", 'strconv.ParseInt: parsing "x": invalid syntax'),
        ('HEALTHCHECK --retries=" 5" CMD x', 'strconv.ParseInt: parsing " 5": invalid syntax'),
        ("HEALTHCHECK --retries=3000000000 CMD x", 'strconv.ParseInt: parsing "3000000000": value out of range'),
        ("HEALTHCHECK --retries=-1 CMD x", "--retries cannot be negative (-1)"),
        ("HEALTHCHECK --bogus=1 CMD x", "unknown flag: --bogus"),
        ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
        ("HEALTHCHECK CMD []", "Missing command after HEALTHCHECK CMD"),
        ("HEALTHCHECK EXEC x", 'Unknown type "EXEC" in HEALTHCHECK (try CMD)'),
        # the durations are checked in a fixed order, whatever the order of the flags
        ("HEALTHCHECK --timeout=1x --interval=2x CMD x", 'time: unknown unit "x" in duration "2x"'),
    ],
)
def test_healthcheck_errors(line, message):
    assert [m for m, _ in errors(f"FROM a\n{line}\n")] == [message]


@pytest.mark.parametrize(
    "value", ["0", "0s", "-0s", "1ms", "1.5s", "1h2m3s", "+3s", ".5s", "5.s", "999us1000ns", "0.001s"]
)
def test_healthcheck_durations_accepted(value):
    assert errors(f"FROM a\nHEALTHCHECK --interval={value} CMD x\n") == []


@pytest.mark.parametrize("value", ["999us", "1ns", "0.0009s", "-1h"])
def test_healthcheck_durations_below_the_minimum(value):
    assert [m for m, _ in errors(f"FROM a\nHEALTHCHECK --start-period={value} CMD x\n")] == [
        'Interval "start-period" cannot be less than 1ms'
    ]


def test_healthcheck_none_ignores_its_flags():
    assert errors("FROM a\nHEALTHCHECK --whatever NONE\n") == []


# -- JSON (exec) form versus shell form --------------------------------------------------------------


def test_exec_form_values_and_spans():
    run = only('RUN [ "echo", "a b", "\\u00e9\\n" ]\n')
    assert run.json is True
    assert run.values == ["echo", "a b", "\u00e9\n"]
    assert [a.span for a in run.args] == [S(2, 7, 2, 13), S(2, 15, 2, 20), S(2, 22, 2, 32)]
    assert dump('FROM a\nRUN [ "echo", "a b" ]\n').splitlines()[1] == '(run "echo" "a b")'


def test_shell_form_is_one_argument():
    run = only("RUN  apt-get update &&   apt-get install x  \n")
    assert run.json is False
    assert [(a.value, a.span) for a in run.args] == [("apt-get update &&   apt-get install x", S(2, 6, 2, 43))]
    assert run.args_text == "apt-get update &&   apt-get install x"


@pytest.mark.parametrize(
    "args, expected",
    [
        ("[\"a\"", '(cmd "[\\"a\\"")'),  # unterminated: shell form
        ("['a']", '(cmd "[\'a\']")'),  # single quotes are no JSON
        ('["a",]', '(cmd "[\\"a\\",]")'),
        ('[ "a" ] b', '(cmd "a")'),  # json.Decoder stops after the first value: the rest is ignored
        ('["a"]]', '(cmd "a")'),
        ("[]", "(cmd)"),
        ("[1e999]", '(cmd "[1e999]")'),  # out of float64's range: a decoding error, so shell form
        ("[NaN]", '(cmd "[NaN]")'),
        ('[ "\\ud800" ]', '(cmd "\ufffd")'),  # a lone surrogate decodes as U+FFFD (printable: not escaped)
        ("[" * 10001 + "]" * 10001, '(cmd "' + "[" * 10001 + "]" * 10001 + '")'),  # deeper than Go allows
    ],
)
def test_json_or_shell_form_as_go_decides(args, expected):
    d = parse(f"FROM a\nCMD {args}\n")
    assert d.errors == []
    assert buildkit_dump(d).splitlines()[1] == expected


@pytest.mark.parametrize("args", ['[ "a", 1 ]', "[null]", '["a", ["b"]]', '[{"a": "b"}]', "[1]",
                                  "[" * 2000 + "]" * 2000])
def test_json_array_of_non_strings_is_an_error(args):
    d = parse(f"FROM a\nENTRYPOINT {args}\nUSER x\n")
    assert [e.message for e in d.errors] == ["when using JSON array syntax, arrays must be comprised of strings only"]
    assert d.errors[0].span.line == 2
    assert (d.instructions[2].keyword, d.instructions[2].span.line) == ("USER", 3)


def test_copy_and_volume_json_form():
    d = parse('FROM a\nCOPY ["a b", "/c"]\nVOLUME ["/x", "/y"]\nADD [ "s" , "d" ]\nVOLUME /p /q\n')
    assert d.errors == []
    copy, volume, add, plain = d.instructions[1:]
    assert (copy.json, copy.values) == (True, ["a b", "/c"])
    assert (volume.json, volume.values) == (True, ["/x", "/y"])
    assert [a.span for a in add.args] == [S(4, 7, 4, 10), S(4, 13, 4, 16)]
    assert (plain.json, plain.values) == (False, ["/p", "/q"])


def test_shell_json_form():
    shell = only('SHELL ["powershell", "-command"]\n')
    assert (shell.json, shell.values) == (True, ["powershell", "-command"])


# -- parser directives -------------------------------------------------------------------------------


def test_directives_at_the_top():
    d = parse("# syntax=docker/dockerfile:1\n#ESCAPE = `\n#  Check=skip=JSONArgsRecommended;error=true\nFROM a\n")
    assert d.errors == []
    assert [(x.name, x.value, x.span) for x in d.directives] == [
        ("syntax", "docker/dockerfile:1", S(1, 1, 1, 29)),
        ("escape", "`", S(2, 1, 2, 12)),
        ("check", "skip=JSONArgsRecommended;error=true", S(3, 1, 3, 45)),
    ]
    assert d.escape == "`"
    assert d.directive("check").value == "skip=JSONArgsRecommended;error=true"
    assert d.comments == []  # directives are not comments
    assert d.instructions[0].comments == []


@pytest.mark.parametrize(
    "before",
    [
        "\n",  # a blank line ends the directives
        "# a comment\n",  # so does any other comment
        "# unknown=directive\n",  # and a directive BuildKit does not know
        "FROM x\n",  # and an instruction
    ],
)
def test_directives_only_before_anything_else(before):
    d = parse(before + "# escape=`\nFROM a\nRUN x \\\n")
    assert d.directives == []
    assert d.escape == "\\"
    assert "escape=`" in [c.text for c in d.comments]


def test_directive_after_a_comment_is_a_comment_in_the_block():
    d = parse("# hello\n# syntax=x\nFROM a\n")
    assert d.directives == []
    assert [c.text for c in d.instructions[0].comments] == ["hello", "syntax=x"]


def test_directive_whitespace():
    # after the '#', BuildKit trims with unicode.IsSpace (vertical tab included); around '=' only \s
    d = parse("#\x0b escape = `   \n  # syntax=a b \nFROM a\n")
    assert [(x.name, x.value) for x in d.directives] == [("escape", "`"), ("syntax", "a b")]
    assert d.directives[1].span == S(2, 1, 2, 16)
    d = parse("# escape\x0b=`\nFROM a\n")
    assert d.directives == []


def test_directive_with_only_blanks_after_the_equals_sign():
    # ^...\s*=\s*(.+?)\s*$ still matches: `.+?` takes the last blank, so the value is one blank
    d = parse("# escape=  \nFROM a\n")
    assert [(x.name, x.value) for x in d.directives] == [("escape", " ")]
    assert [e.message for e in d.errors] == ["invalid escape token ' ' does not match ` or \\"]
    assert parse("# syntax=\nFROM a\n").directives == []


def test_directive_with_a_long_blank_run_is_linear():
    import time

    start = time.perf_counter()
    d = parse("# syntax=x" + " " * 60000 + "y\nFROM a\n")
    assert time.perf_counter() - start < 2  # backtracking on (.+?)\s*$ took minutes here
    assert d.directive("syntax").value == "x" + " " * 60000 + "y"


def test_duplicate_directive_is_an_error():
    d = parse("# syntax=a\n# SYNTAX=b\nFROM a\n")
    assert [(e.message, e.span) for e in d.errors] == [
        ("only one syntax parser directive can be used", S(2, 1, 2, 11))
    ]
    assert [(x.name, x.value) for x in d.directives] == [("syntax", "a")]
    assert d.instructions[0].keyword == "FROM"


@pytest.mark.parametrize("value", ["x", "\\\\", "``", "'"])
def test_invalid_escape_is_an_error(value):
    d = parse(f"# escape={value}\nFROM a\nRUN b \\\n  c\n")
    assert [(e.message, e.span) for e in d.errors] == [
        (f"invalid escape token '{value}' does not match ` or \\", S(1, 1, 1, 10 + len(value)))
    ]
    assert d.escape == "\\"
    assert buildkit_dump(d) == '(from "a")\n(run "b   c")\n'


# -- escape character and continuation lines ---------------------------------------------------------


def test_backslash_continuation_spans():
    d = parse("FROM a\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl\nUSER x\n")
    run = d.instructions[1]
    assert run.original == "RUN apt-get update     && apt-get install -y        curl"
    assert run.values == ["apt-get update     && apt-get install -y        curl"]
    assert run.span == S(2, 1, 4, 12)
    assert run.args[0].span == S(2, 5, 4, 12)
    assert run.locate(run.original.index("curl")) == (4, 8)
    assert run.span_of(run.original.index("&&"), run.original.index("&&") + 2) == S(3, 5, 3, 7)
    assert (d.instructions[2].keyword, d.instructions[2].span) == ("USER", S(5, 1, 5, 7))


def test_backtick_escape():
    d = parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo `\"q`\"\nCOPY a\\b c:\\d\\\n")
    assert d.errors == []
    run, copy = d.instructions[1:]
    assert run.values == ['dir c:\\   && echo `"q`"']  # a backslash is an ordinary character
    assert run.span == S(3, 1, 4, 16)
    assert copy.values == ["a\\b", "c:\\d\\"]  # ... even at the end of a line: no continuation
    assert copy.span == S(5, 1, 5, 15)


def test_backtick_escape_in_env_words():
    d = parse('# escape=`\nFROM a\nENV A=x` y B="`"q"\n')
    assert d.errors == []
    assert [(p.key, p.value) for p in d.instructions[1].pairs] == [("A", "x` y"), ("B", '"`"q"')]


def test_escaped_escape_at_the_end():
    # BuildKit's regex ([^\\])\\[ \t]*$|^\\[ \t]*$ needs a character other than the escape before it:
    # `\\` at the end is no continuation (right), and neither is `\\\` (BuildKit's documented limitation)
    for ending in ("\\\\", "\\\\\\"):
        d = parse(f"FROM a\nRUN echo {ending}\nUSER x\n")
        assert [n.keyword for n in d.instructions] == ["FROM", "RUN", "USER"]
        assert d.instructions[1].values == [f"echo {ending}"]


def test_continuation_with_comment_and_blank_lines():
    d = parse("FROM a\nRUN a \\\n# c1\n\n  # c2\n   \n b\nUSER x\n")
    run = d.instructions[1]
    assert run.values == ["a  b"]
    assert run.span == S(2, 1, 7, 3)
    assert run.empty_continuation_lines == [4, 6]
    assert [(c.text, c.span) for c in d.comments] == [("c1", S(3, 1, 3, 5)), ("c2", S(5, 3, 5, 7))]
    assert run.comments == []  # comments inside an instruction are no description of it
    assert (d.instructions[2].keyword, d.instructions[2].span.line) == ("USER", 8)


def test_continuation_at_eof():
    for text in ("FROM a\nRUN a \\", "FROM a\nRUN a \\\n", "FROM a\nRUN a \\\n\n\n"):
        d = parse(text)
        assert d.errors == []
        run = d.instructions[1]
        assert run.values == ["a"]
        assert run.span.line == 2
    assert parse("FROM a\nRUN a \\\n\n\n").instructions[1].empty_continuation_lines == [3, 4]


def test_continuation_with_trailing_blanks_and_lone_backslash():
    d = parse("FROM a\nRUN a \\  \t\n  b\n\\\nUSER x\n")
    assert d.instructions[1].values == ["a   b"]
    # a line holding only the escape token starts an instruction (BuildKit's StartLine) whose text is on
    # the next line
    assert [(n.keyword, n.span, n.keyword_span) for n in d.instructions[2:]] == [
        ("USER", S(4, 1, 5, 7), S(5, 1, 5, 5))
    ]


def test_indented_instructions_and_continuations():
    d = parse("FROM a\n  RUN a \\\n    b\n\tUSER x\n")
    run, user = d.instructions[1:]
    assert (run.span, run.keyword_span, run.values) == (S(2, 3, 3, 6), S(2, 3, 2, 6), ["a     b"])
    assert (user.span, user.keyword_span) == (S(4, 2, 4, 8), S(4, 2, 4, 6))


# -- comments ----------------------------------------------------------------------------------------


def test_comment_block_above_an_instruction():
    d = parse("# stage one\n\n# builds it\nFROM a AS b\n# lone\n#\n# two\nRUN x\n")
    assert [c.text for c in d.instructions[0].comments] == ["stage one", "builds it"]  # blank lines keep it
    assert [c.text for c in d.instructions[1].comments] == ["two"]  # an empty '#' ends the block
    assert [(c.text, c.span) for c in d.comments][:2] == [("stage one", S(1, 1, 1, 12)), ("builds it", S(3, 1, 3, 12))]


def test_indented_empty_comment_does_not_end_the_block():
    # PrevComment is strings.TrimSpace(line[1:]): for "  #" that is "#", not empty
    d = parse("# one\n  #\nRUN x\n")
    assert [c.text for c in d.instructions[0].comments] == ["one", ""]


def test_comment_spans_and_text():
    d = parse("FROM a\n   #   spaced out  \n#\n")
    assert [(c.text, c.span) for c in d.comments] == [("spaced out", S(2, 4, 2, 20)), ("", S(3, 1, 3, 2))]


# -- CRLF, byte-order mark, long lines ---------------------------------------------------------------


def test_crlf_line_ends():
    d = parse("# syntax=x\r\nFROM a\r\nRUN a \\\r\n  b\r\nRUN <<EOF\r\nx\r\nEOF\r\nUSER u\r\n")
    assert d.errors == []
    assert d.lines[:3] == ["# syntax=x", "FROM a", "RUN a \\"]
    assert d.directives[0].value == "x"
    run, heredoc, user = d.instructions[1:]
    assert (run.values, run.span) == (["a   b"], S(3, 1, 4, 4))
    (h,) = heredoc.heredocs
    assert h.content == "x\r\n"  # the body keeps its line ends, as BuildKit's Content does
    assert h.span == S(6, 1, 7, 4)  # the terminator matched without its CR (trimNewline)
    assert user.span == S(8, 1, 8, 7)


def test_byte_order_mark():
    d = parse("\ufeff# escape=`\nFROM a\nRUN x `\n  y\n")
    assert d.errors == []
    assert d.text.startswith("# escape")
    assert d.escape == "`"
    assert d.directives[0].span == S(1, 1, 1, 11)
    assert d.instructions[1].values == ["x   y"]
    d = parse("\ufeffFROM a\n")
    assert d.instructions[0].span == S(1, 1, 1, 7)


def test_line_longer_than_bufio_scanner_allows():
    # bufio.Scanner stops at a line of 64 KiB or more: BuildKit fails the whole file
    long = "RUN echo " + "x" * (64 * 1024 - 9)
    assert len(long) == 64 * 1024
    d = parse("FROM a\n" + long + "\nUSER u\n")
    assert [(e.message, e.span) for e in d.errors] == [
        ("dockerfile line greater than max allowed size of 65535", S(2, 1, 2, 64 * 1024 + 1))
    ]
    assert [n.keyword for n in d.instructions] == ["FROM", "RUN", "USER"]
    assert parse("FROM a\n" + long[:-1] + "\n").errors == []
    # the limit is in bytes: 16384 four-byte characters are too many
    assert len(parse("FROM a\nRUN " + "\U0001f600" * 16384 + "\n").errors) == 1
    assert parse("FROM a\nRUN " + "\U0001f600" * 16382 + "\n").errors == []


# -- ENV, LABEL, ARG ---------------------------------------------------------------------------------


def test_env_pairs_new_form():
    env = only("ENV A=\"x y\" B=c\\ d C='e f' D=\n")
    assert [(p.key, p.value, p.separator) for p in env.pairs] == [
        ("A", '"x y"', "="), ("B", "c\\ d", "="), ("C", "'e f'", "="), ("D", "", "="),
    ]
    a = env.pairs[0]
    assert (a.span, a.key_span, a.value_span) == (S(2, 5, 2, 12), S(2, 5, 2, 6), S(2, 7, 2, 12))
    assert env.pairs[3].value_span == S(2, 30, 2, 30)
    assert dump("FROM a\nENV A=\"x y\" B=c\\ d\n").splitlines()[1] == '(env "A" "\\"x y\\"" "=" "B" "c\\\\ d" "=")'


def test_env_legacy_form():
    env = only("ENV LEGACY value with  spaces \n")
    (p,) = env.pairs
    assert (p.key, p.value, p.separator) == ("LEGACY", "value with  spaces", "")
    assert (p.span, p.key_span, p.value_span) == (S(2, 5, 2, 30), S(2, 5, 2, 11), S(2, 12, 2, 30))
    assert dump("FROM a\nENV LEGACY value with  spaces\n").splitlines()[1] == \
        '(env "LEGACY" "value with  spaces" "")'


def test_label_pairs():
    label = only('LABEL "com.example.vendor"="ACME Inc" version=1.0 \\\n  description="a\\"b"\n')
    assert [(p.key, p.value) for p in label.pairs] == [
        ('"com.example.vendor"', '"ACME Inc"'), ("version", "1.0"), ("description", '"a\\"b"'),
    ]
    assert label.pairs[2].span == S(3, 3, 3, 21)


def test_arg_with_and_without_values():
    arg = only("ARG A B=1 C= D=\"x y\"\n")
    assert [(p.key, p.value, p.separator) for p in arg.pairs] == [
        ("A", None, ""), ("B", "1", "="), ("C", "", "="), ("D", '"x y"', "="),
    ]
    assert [p.span for p in arg.pairs] == [S(2, 5, 2, 6), S(2, 7, 2, 10), S(2, 11, 2, 13), S(2, 14, 2, 21)]
    assert arg.pairs[0].value_span is None
    assert arg.values == ["A", "B=1", "C=", 'D="x y"']


# -- ONBUILD -----------------------------------------------------------------------------------------


def test_onbuild_nesting():
    d = parse("FROM a\nONBUILD COPY --from=b x /y\nonbuild run [\"a\"]\n")
    assert d.errors == []
    copy_on, run_on = d.instructions[1:]
    assert copy_on.keyword == "ONBUILD"
    t = copy_on.trigger
    assert (t.keyword, t.values, t.span, t.keyword_span) == ("COPY", ["x", "/y"], S(2, 9, 2, 27), S(2, 9, 2, 13))
    assert [(f.text, f.span) for f in t.flags] == [("--from=b", S(2, 14, 2, 22))]
    assert (run_on.trigger.json, run_on.trigger.values) == (True, ["a"])
    assert buildkit_dump(d).splitlines()[1:] == ['(onbuild (copy ["--from=b"] "x" "/y"))', '(onbuild (run "a"))']


# -- every node's span -------------------------------------------------------------------------------


def test_every_span_of_a_small_file():
    text = (
        "# syntax=docker/dockerfile:1\n"
        "# the base\n"
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
        "WORKDIR /src\n"
        "COPY --link go.* ./\n"
        "RUN --mount=type=cache,target=/root/.cache \\\n"
        "    go build -o /out/app .\n"
        "EXPOSE 80/tcp 443\n"
        'CMD ["/app", "-v"]\n'
    )
    d = parse(text)
    assert d.errors == []
    assert d.directives[0].span == S(1, 1, 1, 29)
    assert [(c.text, c.span) for c in d.comments] == [("the base", S(2, 1, 2, 11))]
    from_, workdir, copy, run, expose, cmd = d.instructions
    assert [n.index for n in d.instructions] == [0, 1, 2, 3, 4, 5]
    assert (from_.span, from_.keyword_span) == (S(3, 1, 3, 52), S(3, 1, 3, 5))
    assert [(f.text, f.span) for f in from_.flags] == [("--platform=$BUILDPLATFORM", S(3, 6, 3, 31))]
    assert [(a.value, a.span) for a in from_.args] == [
        ("golang:1.22", S(3, 32, 3, 43)), ("AS", S(3, 44, 3, 46)), ("build", S(3, 47, 3, 52)),
    ]
    assert [c.text for c in from_.comments] == ["the base"]
    assert (workdir.span, workdir.args[0].span) == (S(4, 1, 4, 13), S(4, 9, 4, 13))
    assert [(a.value, a.span) for a in copy.args] == [("go.*", S(5, 13, 5, 17)), ("./", S(5, 18, 5, 20))]
    assert copy.flags[0].span == S(5, 6, 5, 12)
    assert run.span == S(6, 1, 7, 27)
    assert run.flags[0].span == S(6, 5, 6, 43)
    assert run.args[0].span == S(7, 5, 7, 27)
    assert run.args_text == "go build -o /out/app ."
    assert [(a.value, a.span) for a in expose.args] == [("80/tcp", S(8, 8, 8, 14)), ("443", S(8, 15, 8, 18))]
    assert (cmd.json, [a.span for a in cmd.args]) == (True, [S(9, 6, 9, 12), S(9, 14, 9, 18)])


def test_no_instructions():
    assert errors("") == [("file with no instructions", S(1, 1, 1, 1))]
    assert errors("# only\n\n# comments\n") == [("file with no instructions", S(3, 1, 3, 11))]
    assert errors("\n\n  \n") == [("file with no instructions", S(3, 1, 3, 3))]


def test_errors_in_several_instructions_are_all_reported():
    d = parse("FROM a\nCOPY x\nFOO\nENV A\nRUN [1]\nUSER u\n")
    assert [e.span.line for e in d.errors] == [2, 3, 4, 5]
    assert [(n.keyword, n.span.line) for n in d.instructions] == [
        ("FROM", 1), ("COPY", 2), ("FOO", 3), ("ENV", 4), ("RUN", 5), ("USER", 6),
    ]
    assert [n.error is not None for n in d.instructions] == [False, True, True, True, True, False]


# -- properties: never raises, every span inside the text --------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FRAGMENTS = [
    "FROM", "RUN", "run", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK", "CMD", "NONE",
    "SHELL", "VOLUME", "EXPOSE", "USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER", "ENTRYPOINT", "FOO", "AS",
    " ", "  ", "\t", "\n", "\r\n", "\r", "\\\n", "`\n", "\\", "`", "<<EOF", "<<-EOF", "<< EOF", "3<<'E'",
    "\nEOF\n", "\n\tEOF\n", "EOF", '"', "'", "[", "]", '["a", "b"]', "[1]", ",", "=", "a=b", "--from=x",
    "--link", "--", "--mount=type=cache,target=/x", "#", "# escape=`\n", "# syntax=x\n", "# check=skip=all\n",
    "$X", "${X:-y}", "\ufeff", "\u00a0", "\u00e9", "\u0663", "\U0001f600", "\x0b", "\x85", "\u2028", ".",
]

dockerish = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
anything = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


def all_spans(d):
    for x in d.directives:
        yield "directive", x.span
    for c in d.comments:
        yield "comment", c.span
    for e in d.errors:
        yield "error", e.span
    stack = list(d.instructions)
    while stack:
        node = stack.pop()
        yield "instruction", node.span
        yield "keyword", node.keyword_span
        for f in node.flags:
            yield "flag", f.span
        for a in node.args:
            yield "arg", a.span
        for p in node.pairs:
            yield "pair", p.span
            yield "key", p.key_span
            if p.value_span is not None:
                yield "value", p.value_span
        for h in node.heredocs:
            yield "heredoc marker", h.marker_span
            yield "heredoc body", h.span
        for c in node.comments:
            yield "comment block", c.span
        if node.trigger is not None:
            stack.append(node.trigger)


def assert_spans_inside(text):
    d = parse(text)  # never raises
    buildkit_dump(d)
    lines = d.lines
    for what, span in all_spans(d):
        if not lines:
            # a file without lines: its only error sits at (1, 1), a deliberate choice so that it has a place
            assert (what, span) == ("error", S(1, 1, 1, 1))
            continue
        # spans never point past the last line: a final newline opens no extra line
        assert 1 <= span.line <= span.end_line <= len(lines), (what, span, len(lines))
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (what, span)
        assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, (what, span)
        assert (span.line, span.column) <= (span.end_line, span.end_column), (what, span)
    for node in d.instructions:
        assert node.error is None or any(e.message == node.error for e in d.errors)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerish)
def test_dockerish_text_parses_with_spans_inside(text):
    assert_spans_inside(text)


@settings(max_examples=300, deadline=None)
@given(anything)
def test_arbitrary_text_parses_with_spans_inside(text):
    assert_spans_inside(text)


EXEC_FRAGMENTS = ["[", "]", '"', ",", " ", "\t", "\n", "\r", "\x0b", "a", "-g", "daemon off;", "\\", "\\n",
                  "\\u00e9", "\\ud800", "\u00e9", "\x7f", "\x1f", "1", "null", "{}", "[]", "x y"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(EXEC_FRAGMENTS), max_size=20).map(lambda parts: "[" + "".join(parts)))
def test_plain_exec_forms_read_without_json_as_json_reads_them(text):
    """Exec forms of plain strings are read without importing json (dfcheck.syntax.instructions._plain_strings):
    whatever it reads, json reads the same; what it leaves to json is anything else."""
    import json

    from dfcheck.syntax.instructions import _plain_strings

    plain = _plain_strings(text)
    if plain is not None:
        assert json.JSONDecoder().raw_decode(text)[0] == plain


def test_plain_exec_forms_and_the_others():
    from dfcheck.syntax.instructions import _plain_strings

    assert _plain_strings('["nginx", "-g", "daemon off;"] # x') == ["nginx", "-g", "daemon off;"]
    assert _plain_strings("[ ]") == [] and _plain_strings('[\n "a" ,\t"b"\r]') == ["a", "b"]
    for other in ('["a\\nb"]', '["caf\u00e9"]', '["a",]', '["a" "b"]', '["a"', "[1]", '[["a"]]', '["\x01"]', "["):
        assert _plain_strings(other) is None, other
    cmd = parse('CMD ["caf\u00e9", "a\\tb", "\\ud800"]\nCMD ["run", "-x"]\n').instructions
    assert [a.value for a in cmd[0].args] == ["caf\u00e9", "a\tb", "\ufffd"]  # (json read these)
    assert [a.value for a in cmd[1].args] == ["run", "-x"] and cmd[1].json


# -- what BuildKit's frontend reads besides the parser -----------------------------------------------


def test_check_and_syntax_as_the_frontend_reads_them():
    # ParseDirective/DetectSyntax skip a `#!` first line; the parser does not, so no escape there
    d = parse("#!/usr/bin/env buildctl\n# check=skip=all\n# escape=`\nFROM a\nRUN x `\n")
    assert d.directives == []
    assert d.directive("check").value == "skip=all"
    assert d.directive("check").span == S(2, 1, 2, 17)
    assert d.directive("escape") is None and d.escape == "\\"
    # ... and they want the '#' in the first column, where the parser trims the line first
    d = parse("  # check=skip=all\n  # escape=`\nFROM a\n")
    assert [x.name for x in d.directives] == ["check", "escape"]
    assert d.directive("check") is None
    assert d.directive("escape").value == "`"
    # the first of a repeated directive is the one in effect
    d = parse("# check=a\n# check=b\nFROM a\n")
    assert d.directive("check").value == "a"


def test_prev_comment_text_as_buildkit_keeps_it():
    d = parse("# one\n  # check=skip=X\nRUN x\n")
    assert [(c.text, c.buildkit_text) for c in d.instructions[0].comments] == [
        ("one", "one"), ("check=skip=X", "# check=skip=X"),
    ]


def test_healthcheck_json_after_unicode_blank():
    # parseJSON trims with unicode.IsSpace: after HEALTHCHECK's type, a no-break space does not hide JSON
    hc = only('HEALTHCHECK CMD \u00a0["a"]\n')
    assert (hc.json, hc.values) == (True, ["CMD", "a"])
    assert hc.args[1].span == S(2, 19, 2, 22)


# -- BuildKit's own parser tests (parser_test.go), replayed ------------------------------------------


@pytest.mark.parametrize(
    "words, expected",
    [
        ("foo", ["foo"]),
        ("foo bar", ["foo", "bar"]),
        ("foo\\ bar", ["foo\\ bar"]),
        ("foo=bar", ["foo=bar"]),
        ("foo bar 'abc xyz'", ["foo", "bar", "'abc xyz'"]),
        ('foo bar "abc xyz"', ["foo", "bar", '"abc xyz"']),
        ("\u00e0\u00f6\u00fb", ["\u00e0\u00f6\u00fb"]),
        ('f\u00f6o b\u00e0r "\u00e2bc x\u00ffz"', ["f\u00f6o", "b\u00e0r", '"\u00e2bc x\u00ffz"']),
    ],
)
def test_parse_words(words, expected):
    # TestParseWords: parseWords is what ARG (and ENV/LABEL) split their arguments with
    assert only(f"ARG {words}\n").values == expected


def test_empty_continuation_lines_as_buildkit_warns():
    # TestParseWarnsOnEmptyContinutationLine: two instructions with empty continuation lines, comment
    # lines inside a continuation are none
    d = parse(
        "\nFROM alpine:3.6\n\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n\n    thing\n"
        "RUN non-indented \\\n# this is a comment\n   after-comment\n\nRUN indented \\\n"
        "    # this is an indented comment\n    comment\n\t"
    )
    assert d.errors == []
    runs = d.instructions[1:]
    assert [n.original for n in runs] == [
        "RUN something     following     more", "RUN another     thing",
        "RUN non-indented    after-comment", "RUN indented     comment",
    ]
    assert [n.empty_continuation_lines for n in runs] == [[5, 7], [11], [], []]
    assert [n.span for n in runs] == [S(4, 1, 8, 9), S(10, 1, 12, 10), S(13, 1, 15, 17), S(17, 1, 19, 12)]


def test_scanner_error_like_buildkit():
    # TestParseReturnsScannerErrors
    d = parse("\n\t\tFROM image\n\t\tLABEL test=" + "a" * 65536 + "\n")
    assert [e.message for e in d.errors] == ["dockerfile line greater than max allowed size of 65535"]
    assert d.errors[0].span.line == 3


# -- known departures ---------------------------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason=(
    "extractBuilderFlags can end a flag on the byte 0xA0 or 0x85 in the middle of a three- or four-byte "
    "character (U+0800 is E0 A0 80); BuildKit's arguments then start with the stray byte 0x80, which a "
    "Python str cannot hold: dfcheck starts them at the next whole character"))
def test_flag_ending_inside_a_character():
    assert dump("FROM a\nCOPY --chown=\u0800x a b\n").splitlines()[1] == '(copy ["--chown=\u00e0"] "\\x80x" "a" "b")'


@pytest.mark.xfail(strict=True, reason=(
    "parseHealthConfig also splits the type word on bytes (unicode.IsSpace(rune(rest[i]))): the 0xA0 of a "
    "no-break space ends it after the byte 0xC2, leaving invalid UTF-8 in the type; dfcheck splits on whole "
    "ASCII blanks only"))
def test_healthcheck_type_split_on_a_byte():
    assert dump("FROM a\nHEALTHCHECK CMD\u00a0x\n").splitlines()[1] == '(healthcheck "CMD\\xc2" "x")'


KEPT_CASES = [
    "FROM alpine AS base\n# a comment\nRUN apk add \\\n    curl\nENV A=1 B=2\nCOPY --chown=1 a b\n",
    "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\nUSER ContainerUser\n",
    "FROM a\nONBUILD ONBUILD RUN x\nONBUILD FROM b\nHEALTHCHECK --interval=1s CMD [\"x\"]\n",
    "FROM a\nCOPY --bogus=1 a b\nEXPOSE\nENV =x\nRUN <<EOF\necho hi\nEOF\nCMD [\"a\",\n",
    "FROM a\nRUN <<EOF cat <<-X\necho hi\nEOF\n\tmore\nX\nONBUILD RUN <<EOF\necho 1\nEOF\nCOPY <<EOF /x\n",
]


@pytest.mark.parametrize("text", KEPT_CASES)
def test_instructions_kept_between_parses_give_the_same_tree_and_errors(text, monkeypatch):
    from dfcheck.syntax import parser
    from dfcheck.syntax.dump import json_tree

    monkeypatch.setattr(parser, "_kept", None)
    variants = [text, text + "LABEL x=1\n", "\n" + text, text.replace("FROM a", "FROM a2", 1),
                text.replace("echo", "printf")]
    expected = [(json_tree(parse(t)), [repr(n) for n in parse(t).instructions]) for t in variants]
    parser.keep_instructions()
    for _ in range(2):  # built, then reused
        got = [(json_tree(d), [repr(n) for n in d.instructions]) for d in map(parse, variants)]
        assert got == expected
    first, second = parse(text), parse(text)
    assert first.instructions[0] is not second.instructions[0]  # each parse has its own instructions...
    assert first.instructions[0].args is second.instructions[0].args  # ...that share their built parts
