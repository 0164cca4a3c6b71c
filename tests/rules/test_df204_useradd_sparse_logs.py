"""DF204: useradd sparse logs (rules/df204_useradd_sparse_logs.py)."""

from dfcheck.fixes import apply_fixes

from dfcheck.rule import Options

from support import findings, raw_findings

from hadolint_rules_support import lint


def test_df204_useradd_high_uid_without_l():
    src = ("FROM debian:12\nARG APP_UID=1000680000\n"
           "RUN useradd luser && useradd -u 12345 a && useradd -l -u 123456 b && useradd -lm -u 123456 c\n"
           "RUN useradd -u 123456 luser\n"
           "RUN useradd -u \"${APP_UID}\" -m app && useradd --no-log-init -u 123456 d\n"
           "RUN --mount=type=tmpfs,target=/var/log useradd -u 123456 x\n"
           "RUN useradd -u 999999 y && rm /var/log/lastlog /var/log/faillog\n")
    assert findings("DF204", src) == [
        ("DF204", 4, 5, "`useradd` without -l (--no-log-init) writes the user into /var/log/lastlog and "
                        "/var/log/faillog at the offset of its UID: 40 MB of sparse files that the layer stores in "
                        "full; add -l"),
        ("DF204", 5, 5, "`useradd` without -l (--no-log-init) writes the user into /var/log/lastlog and "
                        "/var/log/faillog at the offset of its UID: 324 GB of sparse files that the layer stores in "
                        "full; add -l"),
    ]
    [finding, _] = raw_findings("DF204", src)
    fixed, _ = apply_fixes(src, [finding])
    assert "RUN useradd -l -u 123456 luser\n" in fixed


def test_df204_threshold_and_suppression():
    from support import builtin_rules, model_of

    rule = builtin_rules()["DF204"]
    model = model_of("FROM debian:12\nRUN useradd -u 12345 a\n")
    assert [f.span.line for f in rule.check(model, Options({"min-bytes": 1_000_000}))] == [2]
    assert lint("FROM debian:12\n# hadolint ignore=DL3046\nRUN useradd -u 123456 luser\nUSER luser\n") == []

