"""Shell and package rules: DF501 apt-without-assume-yes, DF502 apt-install-recommends, DF503 and DF507-DF514"""

from dfcheck.config import default_settings

from dfcheck.engine import lint_text, load_rules

from support import builtin_rules, findings


def lint(text, select=()):
    settings = default_settings(load_rules())
    settings.rules = tuple(r for r in settings.known if r.enabled or r.code in select)
    return [(f.code, f.span.line, f.span.column) for f in lint_text(text, "Dockerfile", settings).findings
            if f.code.startswith("DF5")]


def test_pinning_defaults_and_severities():
    rules = builtin_rules()
    for code in ("DF503", "DF507", "DF512", "DF513", "DF514"):
        assert (rules[code].enabled, rules[code].severity) == (False, "info")
    for code in ("DF508", "DF509", "DF510", "DF511"):
        assert (rules[code].enabled, rules[code].severity) == (True, "warning")
    hadolint = {code: rules[code].hadolint for code in ("DF503", "DF507", "DF508", "DF509", "DF510", "DF511",
                                                         "DF512", "DF513", "DF514")}
    assert hadolint == {"DF503": ("DL3008",), "DF507": ("DL3018",), "DF508": ("DL3013",), "DF509": ("DL3016",),
                        "DF510": ("DL3028",), "DF511": ("DL3062",), "DF512": ("DL3033",), "DF513": ("DL3041",),
                        "DF514": ("DL3037",)}


def test_hadolint_suppression_silences_only_the_matching_manager():
    src = ("FROM x\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl "
           "&& pip install flask\n")
    assert lint(src, select=("DF503", "DF508")) == [("DF508", 3, 56)]
    src = "FROM x\n# hadolint ignore=DL3013\nRUN apt-get install -y --no-install-recommends curl && pip install flask\n"
    assert lint(src, select=("DF503", "DF508")) == [("DF503", 3, 5)]


def test_pinning_rules_off_by_default_in_the_engine():
    src = "FROM x\nRUN apk add --no-cache curl && pip install flask\n"
    assert lint(src) == [("DF508", 2, 32)]


def test_a_backtick_comment_in_a_chain_hides_nothing():
    src = ("FROM debian\nRUN apt-get update \\\n    && `# the tools` \\\n    apt-get install curl \\\n"
           "    && rm -rf /var/lib/apt/lists/*\n")
    assert [(code, line, col) for code, line, col, _ in findings("DF501", src)] == [("DF501", 4, 5)]
    assert findings("DF203", src) == []

