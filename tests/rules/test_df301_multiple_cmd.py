"""DF301: multiple cmd (rules/df301_multiple_cmd.py)."""

from support import findings, raw_findings


def spans(found):
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in found]


def test_df301_each_overridden_cmd_points_at_the_winner():
    src = (
        "FROM python:3.12\n"
        'CMD ["python", "-m", "migrate"]\n'
        "CMD python -m app\n"
        'CMD ["python", "-m", "app"]\n'
    )
    message = "this CMD is overridden by the CMD at line 4; only the last CMD in a stage takes effect"
    assert findings("DF301", src) == [("DF301", 2, 1, message), ("DF301", 3, 1, message)]
    assert spans(raw_findings("DF301", src)) == [(2, 1, 2, 4), (3, 1, 3, 4)]


def test_df301_healthcheck_cmd_and_onbuild_cmd_are_not_cmds():
    src = (
        "FROM nginx\n"
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
        'ONBUILD CMD ["echo", "child"]\n'
        'CMD ["nginx", "-g", "daemon off;"]\n'
        "ONBUILD CMD other\n"
    )
    assert findings("DF301", src) == []


def test_df301_different_stages_never_conflict():
    src = (
        "FROM golang AS build\n"
        'CMD ["go", "test"]\n'
        "FROM build AS test\n"
        'CMD ["go", "vet"]\n'
        "FROM alpine\n"
        'CMD ["/app"]\n'
    )
    assert findings("DF301", src) == []


def test_df301_fix_deletes_the_overridden_instruction_with_its_continuation_lines():
    src = "FROM alpine\nCMD echo one \\\n    two\nCMD [\"x\"]\n"
    [finding] = raw_findings("DF301", src)
    assert finding.fix.applicability == "safe"
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column, edit.text) == (2, 1, 4, 1, "")
    # The last line of a file without a final newline.
    [finding] = raw_findings("DF301", 'FROM alpine\nCMD ["a"]\nCMD ["b"]')
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column) == (2, 1, 3, 1)


def test_df302_multiple_entrypoint_and_onbuild_is_not_one():
    src = (
        "FROM alpine\n"
        'ENTRYPOINT ["/docker-entrypoint.sh"]\n'
        'ONBUILD ENTRYPOINT ["x"]\n'
        'ENTRYPOINT ["tini", "--"]\n'
        "FROM alpine\n"
        'ENTRYPOINT ["y"]\n'
    )
    assert findings("DF302", src) == [(
        "DF302", 2, 1,
        "this ENTRYPOINT is overridden by the ENTRYPOINT at line 4; only the last ENTRYPOINT in a stage takes effect",
    )]


def test_df303_healthcheck_none_counts():
    src = (
        "FROM nginx\n"
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
        "HEALTHCHECK NONE\n"
        "FROM nginx\n"
        "HEALTHCHECK NONE\n"
        "HEALTHCHECK --interval=5s CMD curl -f http://localhost/health\n"
        "FROM nginx\n"
        "HEALTHCHECK NONE\n"
    )
    assert findings("DF303", src) == [
        ("DF303", 2, 1, "this HEALTHCHECK is overridden by the HEALTHCHECK at line 3; only the last HEALTHCHECK "
                        "in a stage takes effect"),
        ("DF303", 5, 1, "this HEALTHCHECK is overridden by the HEALTHCHECK at line 6; only the last HEALTHCHECK "
                        "in a stage takes effect"),
    ]

