"""Helpers shared by the tests split out of test_shell_rules.py."""

from dfcheck.fixes import apply_fixes

from support import raw_findings


def fixed(code, source, unsafe=True):
    """The source after applying the rule's fixes."""
    return apply_fixes(source, raw_findings(code, source), unsafe=unsafe)[0]

