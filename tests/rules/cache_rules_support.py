"""Helpers shared by the tests split out of test_cache_rules.py."""

from support import raw_findings


def _fixed(code, src, **model_options):
    """The text after applying each finding's fix alone, or None for a finding without one."""
    from dfcheck.fixes import apply_fixes

    return [apply_fixes(src, [f], unsafe=True)[0] if f.fix else None for f in raw_findings(code, src, **model_options)]

