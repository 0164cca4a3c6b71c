"""Stages a FROM names through variables whose value is not known when linting.

`FROM build-${TARGETARCH}` builds on the stage `build-amd64` on one platform and on `build-arm64` on
another; `FROM runner-$FLAVOR`, with FLAVOR given by `--build-arg`, on whichever stage the value names.
Such a FROM may build on any earlier stage whose name it can expand to: for the platform variables,
each value a platform gives them; for any other variable, any stage whose name starts and ends with
the FROM's fixed text around the variables. A FROM with no fixed text (`FROM $BASE_IMAGE`) names an
image, not a stage.
"""

from __future__ import annotations

import re
from itertools import product

# The values the automatic platform variables take, on the platforms BuildKit builds for.
_OS = ("linux", "windows", "darwin", "freebsd")
_ARCH = ("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64")
_VARIANT = ("", "v5", "v6", "v7", "v8")
PLATFORM_VALUES = {"TARGETOS": _OS, "BUILDOS": _OS, "TARGETARCH": _ARCH, "BUILDARCH": _ARCH,
                   "TARGETVARIANT": _VARIANT, "BUILDVARIANT": _VARIANT}
_SIMPLE = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")


def candidates(lexer, raw: str, env: dict, stages: list) -> tuple:
    """The stages of `stages` (the earlier ones) that `FROM raw` may name, `env` holding the known values."""
    from ..syntax.expansion import ExpansionError

    named = {stage.name: stage for stage in stages if stage.name}
    if not named or "$" not in raw:
        return ()
    try:
        unset = sorted(lexer.process_word(raw, env).unset)
        if unset and all(name in PLATFORM_VALUES for name in unset) and len(unset) <= 3:
            found = []
            known = dict(env)  # once: `env` may be a view that looks each name up through several tables
            for values in product(*(PLATFORM_VALUES[name] for name in unset)):
                value = lexer.process_word(raw, {**known, **dict(zip(unset, values))}).value.lower()
                stage = named.get(value)
                if stage is not None and stage not in found:
                    found.append(stage)
            return tuple(found)
    except ExpansionError:
        return ()
    if not unset:
        return ()
    # Any other variable: the fixed text before the first `$` and after the last simple `$NAME` or `${NAME}`
    # (after `${NAME:+x}` and the like nothing is fixed).
    prefix = raw[:raw.index("$")].lower()
    tail = raw[raw.rindex("$"):]
    simple = _SIMPLE.match(tail)
    suffix = tail[simple.end():].lower() if simple else ""
    if "}" in suffix:  # the last variable was inside another's braces (`${A:+$B}-x`)
        suffix = ""
    if not prefix and not suffix:
        return ()
    return tuple(stage for name, stage in named.items()
                 if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix) + len(suffix))
