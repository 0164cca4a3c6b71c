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
