"""URLs as written in a Dockerfile, split without judging them.

`urllib.parse.urlsplit` raises ValueError on a host it finds malformed (`https://[]x/y.tar`); a linter must
read such a source as written, so this splits at the separators alone and never raises.
"""

from __future__ import annotations


def split_url(url: str) -> tuple[str, str, str, str, str]:
    """(scheme, netloc, path, query, fragment), as `urlsplit` names them: `https://h:1/a/b?q=1#f` gives
    ("https", "h:1", "/a/b", "q=1", "f"); without `://` the whole text before `?` or `#` is the path."""
    rest, _, fragment = url.partition("#")
    rest, _, query = rest.partition("?")
    scheme, separator, rest = rest.partition("://")
    if not separator:
        return "", "", scheme, query, fragment
    netloc, slash, path = rest.partition("/")
    return scheme.lower(), netloc, slash + path, query, fragment
