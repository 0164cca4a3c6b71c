"""Whether a string is a valid image reference, as Docker's reference parser (distribution/reference,
ParseNormalizedNamed) decides: `[host[:port]/]path[:tag][@digest]`.

Written as plain scans rather than the library's regular expression, so that no input can make it backtrack.
"""

from __future__ import annotations

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_TAG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_HEX = frozenset("0123456789abcdefABCDEF")
NAME_TOTAL_LENGTH_MAX = 255


def reference_error(text: str) -> str | None:
    """None when `text` is a valid reference; otherwise what is wrong, in Docker's words where it has them."""
    if not text:
        return "repository name must have at least one component"
    name, at, digest = text.partition("@")
    if at and not _digest_ok(digest):
        return "invalid reference format"
    tag = None
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
        if not tag or len(tag) > 128 or tag[0] in ".-" or any(c not in _TAG for c in tag):
            return "invalid reference format"
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        return "repository name must not be more than 255 characters"
    components = name.split("/")
    if len(components) > 1 and _is_domain(components[0]):
        components = components[1:]
    if not _path_ok(components):
        if _path_ok([c.lower() for c in components]):
            return "repository name must be lowercase"
        return "invalid reference format"
    if len(components) == 1 and len(components[0]) == 64 and all(c in _HEX for c in components[0]):
        return "invalid repository name: a 64-character hexadecimal string is an image ID"
    return None


def _path_ok(components: list[str]) -> bool:
    return all(_component_ok(c) for c in components)


def _component_ok(component: str) -> bool:
    """[a-z0-9]+ joined by one separator: `.`, `_`, `__` or any number of `-`."""
    if not component or component[0] not in _ALNUM or component[-1] not in _ALNUM:
        return False
    separator = ""
    for c in component:
        if c in _ALNUM:
            separator = ""
            continue
        separator += c
        if separator not in (".", "_", "__") and set(separator) != {"-"}:
            return False
    return True


def _is_domain(first: str) -> bool:
    """Docker reads the first component as a registry host when it has a `.` or `:`, is `localhost`, or
    has an upper-case letter (which a repository path cannot have)."""
    if not ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        return False
    host, _, port = first.partition(":")
    if port and not port.isdigit():
        return False
    if host.startswith("[") and host.endswith("]"):
        return True
    labels = host.split(".")
    return all(label and label[0].isalnum() and label[-1].isalnum() and all(c.isalnum() or c == "-" for c in label)
               for label in labels)


def _digest_ok(digest: str) -> bool:
    algorithm, colon, encoded = digest.partition(":")
    return bool(colon and algorithm and algorithm[0].isalpha() and len(encoded) >= 32
                and all(c in _HEX for c in encoded))
