"""DF601-DF608: secrets in ARG/ENV and in instructions, the user the image runs as, downloads piped into a"""

from security_rules_support import RULES


def test_security_rules_are_declared_with_their_mapped_codes():
    expected = {
        "DF601": ("secret-in-arg-or-env", "warning", True, ("DL3064",), ("SecretsUsedInArgOrEnv",)),
        "DF602": ("last-user-root", "warning", True, ("DL3002",), ()),
        "DF603": ("curl-pipe-shell", "warning", True, (), ()),
        "DF604": ("image-latest-or-untagged", "warning", True, ("DL3006", "DL3007"), ()),
        "DF605": ("image-not-pinned-by-digest", "info", False, (), ()),
        "DF606": ("untrusted-registry", "error", False, ("DL3026",), ()),
        "DF607": ("hardcoded-credential", "error", True, (), ()),
        "DF608": ("tls-verification-disabled", "warning", True, (), ()),
        "DF609": ("inherits-root-user", "warning", True, (), ()),
    }
    for code, (name, severity, enabled, hadolint, buildkit) in expected.items():
        r = RULES[code]
        assert (r.name, r.severity, r.enabled, r.hadolint, r.buildkit) == (name, severity, enabled, hadolint, buildkit)
        assert "security" in r.tags
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
            assert section in r.doc, (code, section)

