"""Inline suppressions: dfcheck's own, hadolint's and BuildKit's, and reporting the ones that silence nothing."""

import pytest

from dfcheck.config import default_settings
from dfcheck.engine import lint_text
from dfcheck.rule import Finding, rule
from throwaway_rules import rule_set


def lint(text, *, select=(), keep=False):
    settings = default_settings(rule_set())
    if select:
        settings.rules = tuple(r for r in settings.known if r.enabled or r.code in select)
    return lint_text(text, "Dockerfile", settings, keep_suppressed=keep)


def found(text, **kwargs):
    return [(f.code, f.span.line, f.span.column) for f in lint(text, **kwargs).findings]


def unused(text):
    return [(f.span.line, f.span.column, f.message) for f in lint(text, select=("DF003",)).findings
            if f.code == "DF003"]


BASE = "FROM a\nRUN one\nRUN two\n"


def test_without_suppressions():
    assert found(BASE) == [("DF902", 1, 1), ("DF901", 2, 1), ("DF901", 3, 1)]


def test_dfcheck_ignore_above_an_instruction_with_a_reason_silences_only_that_instruction_and_rule():
    text = "FROM a\n# dfcheck: ignore=DF901 -- vendored file\nRUN one\nRUN two\n"
    assert found(text) == [("DF902", 1, 1), ("DF901", 4, 1)]


def test_the_whole_contiguous_comment_block_counts_but_not_across_a_blank_line():
    text = "FROM a\n# dfcheck: ignore=every-run\n# another comment\nRUN one\n# dfcheck: ignore=DF901\n\nRUN two\n"
    assert found(text) == [("DF902", 1, 1), ("DF901", 7, 1)]


def test_several_codes_and_names_and_space_separators():
    text = "# dfcheck: ignore=DF902, every-run\nFROM a\n# dfcheck: ignore=DF902 DF901\nRUN one\nRUN two\n"
    assert found(text) == [("DF901", 5, 1)]


def test_ignore_without_codes_silences_every_rule_on_the_instruction():
    text = "# dfcheck: ignore\nFROM a\nRUN echo\n"
    assert found(text) == [("DF901", 3, 1), ("DF903", 3, 1)]


def test_applies_to_the_whole_instruction():
    text = "FROM a\n# dfcheck: ignore=DF903\nRUN true && \\\n  echo hi\nRUN echo again\n"
    assert found(text) == [("DF902", 1, 1), ("DF901", 3, 1), ("DF901", 5, 1), ("DF903", 5, 1)]


def test_findings_starting_on_continuation_lines_and_in_heredoc_bodies_are_covered():
    from dfcheck.rule import Finding, rule

    @rule("DF909", "second-line", "warning")
    def second_line(model, options):
        """Reports the second physical line of each RUN."""
        for node in model.dockerfile.instructions:
            if node.keyword == "RUN" and node.span.end_line > node.span.line:
                yield Finding(model.dockerfile.line_span(node.span.line + 1), "second line")

    settings = default_settings([second_line])
    text = ("FROM a\n# dfcheck: ignore=DF909\nRUN a \\\n  b\n"
            "# dfcheck: ignore=DF909\nRUN <<EOF\necho body\nEOF\n"
            "RUN c \\\n  d\n")
    assert [(f.code, f.span.line) for f in lint_text(text, "D", settings).findings] == [("DF909", 10)]


def test_ignore_file_anywhere_with_and_without_codes():
    assert found(BASE + "# dfcheck: ignore-file=DF901\n") == [("DF902", 1, 1)]
    assert found("FROM a\nRUN x \\\n  # dfcheck: ignore-file=DF902\n  y\n") == [("DF901", 2, 1)]
    assert found("# dfcheck: ignore-file\n" + BASE) == []


def test_hadolint_ignore_above_an_instruction_maps_to_rules_listing_that_code():
    # DF901 lists DL3020, DF902 lists DL3006
    text = "FROM a\n# hadolint ignore=DL3020,DL3008\nRUN one\nRUN two\n"
    assert found(text) == [("DF902", 1, 1), ("DF901", 4, 1)]
    text = "# hadolint ignore=DL3020\nFROM a\nRUN one\n"
    assert found(text) == [("DF902", 2, 1), ("DF901", 3, 1)]


def test_hadolint_global_ignore_is_file_wide():
    text = "FROM a\nRUN one\n# hadolint global ignore=DL3006\nRUN two\n"
    assert found(text) == [("DF901", 2, 1), ("DF901", 4, 1)]


def test_buildkit_check_skip_directive():
    text = "# check=skip=StageNameCasing;error=true\n" + BASE
    assert found(text) == [("DF901", 3, 1), ("DF901", 4, 1)]
    text = "# check=skip=JSONArgsRecommended,Other\n" + BASE
    assert found(text) == [("DF902", 2, 1)]


def test_buildkit_skip_all_silences_only_rules_mapped_to_buildkit_checks():
    text = "# check=skip=all\nFROM a\nXYZZY\nRUN echo\n"
    assert found(text) == [("DF001", 3, 1), ("DF903", 4, 1)]


def test_suppressed_findings_are_kept_with_the_comment_when_asked():
    text = "FROM a\n# dfcheck: ignore=DF901 -- vendored\nRUN one\n"
    result = lint(text, keep=True)
    assert [(f.code, f.suppressed) for f in result.findings] == [
        ("DF902", None), ("DF901", "# dfcheck: ignore=DF901 -- vendored")]
    result = lint("# check=skip=StageNameCasing\nFROM a\n", keep=True)
    assert [(f.code, f.suppressed) for f in result.findings] == [("DF902", "# check=skip=StageNameCasing")]


def test_unused_suppressions_are_reported_only_when_selected():
    text = "FROM a\n# dfcheck: ignore=DF901,DF902 -- partly stale\nRUN one\n"
    assert found(text) == [("DF902", 1, 1)]
    assert unused(text) == [(2, 1, "unused suppression: DF902 (every-from) silenced nothing")]
    finding = [f for f in lint(text, select=("DF003",)).findings if f.code == "DF003"][0]
    assert (finding.name, finding.severity, finding.span.end_column) == ("unused-suppression", "warning", 46)


def test_unused_suppression_variants():
    text = (
        "# dfcheck: ignore-file=DF90l\n"  # unknown code, with a suggestion
        "FROM a\n"
        "# dfcheck: ignore=DF905\n"  # a rule that is not selected
        "RUN one\n"
        "# dfcheck: ignored=DF901\n"  # malformed
        "RUN two\n"
        "# dfcheck: ignore\n"  # silences nothing
        "USER x\n"
        "# dfcheck: ignore=DF901\n"  # not above an instruction
        "\n"
        "# dfcheck: ignore=DF003 -- never reported itself\n"
        "USER y\n"
    )
    assert unused(text) == [
        (1, 1, "unknown rule in suppression: DF90l (did you mean DF901?)"),
        (3, 1, "unused suppression: DF905 (off-by-default) is not selected"),
        (5, 1, "malformed suppression: write `# dfcheck: ignore=CODE,...` or `# dfcheck: ignore-file=CODE,...`, "
               "then `-- reason` if you like"),
        (7, 1, "unused suppression: it silenced nothing"),
        (9, 1, "unused suppression: the comment is not directly above an instruction"),
    ]


def test_hadolint_and_buildkit_suppressions_are_never_reported_unused():
    text = "# check=skip=Nothing\nFROM a\n# hadolint ignore=DL9999\nUSER x\n"
    assert unused(text) == []


def test_no_suppression_is_unused_for_a_rule_that_left_something_unchecked():
    # DF901 reports every RUN; the lint says it may have left some unchecked (the language server's first lint
    # without ShellCheck): neither its suppressions nor those of every rule are reported until it has run fully
    text = "FROM a\n# dfcheck: ignore=DF901\nUSER x\n# dfcheck: ignore\nUSER y\n# dfcheck: ignore=DF902\nUSER z\n"
    settings = default_settings(rule_set())
    settings.rules = tuple(r for r in settings.known if r.enabled or r.code == "DF003")

    def unused_with(pending):
        return [(f.span.line, f.message) for f in lint_text(text, "Dockerfile", settings, pending=pending).findings
                if f.code == "DF003"]

    assert unused_with({"DF901": ["RUN not checked"]}) == [(6, "unused suppression: DF902 (every-from) silenced nothing")]
    assert unused_with({"DF901": []}) == [
        (2, "unused suppression: DF901 (every-run) silenced nothing"), (4, "unused suppression: it silenced nothing"),
        (6, "unused suppression: DF902 (every-from) silenced nothing")]


def test_unused_suppression_findings_can_be_silenced_file_wide():
    text = "# dfcheck: ignore-file=DF003\nFROM a\n# dfcheck: ignore=DF901\nUSER x\n"
    assert unused(text) == []


def test_ordinary_comments_are_not_suppressions():
    text = "# dfcheck is great; hadolint too\nFROM a\n# dfcheckignore=DF901\nRUN one\n"
    assert found(text) == [("DF902", 2, 1), ("DF901", 4, 1)]
    assert unused(text) == []


def test_shellcheck_codes_in_a_dfcheck_comment_are_left_to_df702():
    # `# dfcheck: ignore=SC2086` is read by DF702 itself; DF003 neither calls it unknown nor unused
    text = "FROM a\n# dfcheck: ignore=SC2086,DF901\nRUN echo $x\n"
    assert unused(text) == []
    assert unused("FROM a\n# dfcheck: ignore=SC2086,DF777\nRUN echo $x\n") == [(2, 1, "unknown rule in suppression: DF777")]


@rule("DF906", "run-subcode", "info")
def run_subcode(model, options):
    """Reports every RUN, with its command, upper-cased, as the finding's sub-code (as DF702 gives SC codes)."""
    for node in model.dockerfile.instructions:
        if node.keyword == "RUN":
            yield Finding(node.keyword_span, "a RUN with a sub-code", subcode=node.args_text.strip().upper())


def with_subcodes(text, keep=False):
    settings = default_settings(rule_set(run_subcode))
    result = lint_text(text, "Dockerfile", settings, keep_suppressed=keep)
    return [(f.code, f.span.line, f.subcode, f.suppressed) for f in result.findings]


@pytest.mark.parametrize("comment", ["# dfcheck: ignore=SC2086 -- splitting wanted", "# hadolint ignore=SC2086",
                                     "# hadolint ignore=DL3008, sc2086"])
def test_a_sub_code_above_an_instruction_silences_only_the_findings_with_that_sub_code(comment):
    text = f"FROM a\n{comment}\nRUN sc2086\nRUN sc2046\n"
    assert with_subcodes(text, keep=True) == [
        ("DF902", 1, "", None), ("DF901", 3, "", None), ("DF906", 3, "SC2086", comment),
        ("DF901", 4, "", None), ("DF906", 4, "SC2046", None)]


@pytest.mark.parametrize("comment", ["# dfcheck: ignore-file=SC2046", "# hadolint global ignore=SC2046"])
def test_a_sub_code_in_a_file_level_suppression_silences_it_everywhere(comment):
    text = f"{comment}\nFROM a\nRUN sc2046\nRUN sc2086\nRUN sc2046\n"
    assert [row[:3] for row in with_subcodes(text)] == [
        ("DF902", 2, ""), ("DF901", 3, ""), ("DF901", 4, ""), ("DF906", 4, "SC2086"), ("DF901", 5, "")]


def test_a_shellcheck_code_in_a_suppression_is_never_an_unknown_rule():
    assert unused("FROM a\n# dfcheck: ignore=SC2086\nRUN one\n") == []
