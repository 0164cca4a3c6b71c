"""What BuildKit rejects in a parsed instruction: its instructions package's checks, in its order.

BuildKit parses in two steps: the parser (`parser.py` here), then frontend/dockerfile/instructions, which turns
each node into an instruction and rejects it there. `validate(node)` gives the error of that second step, with
the position dfcheck reports it at.
"""

from __future__ import annotations

import re

from .expansion import parse_heredoc_word
from .gocompat import GO_SPACE, go_lower, go_parse_duration, go_parse_int32, go_quote, go_upper, suggest
from .nodes import Instruction, Span

_STAGE_NAME = r"[a-z][a-z0-9\-_.]*\Z"  # compiled by `re` on first use: for a stage with a name
INSTRUCTIONS = (
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
)

# Builder flags each instruction defines, in BuildKit's order of definition:
# name -> kind ("bool", "string", or "strings" which may repeat).
FLAGS = {
    "ADD": {"exclude": "strings", "chown": "string", "chmod": "string", "link": "bool", "keep-git-dir": "bool",
            "checksum": "string", "unpack": "bool"},
    "COPY": {"exclude": "strings", "parents": "bool", "chown": "string", "from": "string", "chmod": "string",
             "link": "bool"},
    "FROM": {"platform": "string"},
    "RUN": {"device": "strings", "mount": "strings", "network": "string", "security": "string"},
    "HEALTHCHECK": {"interval": "string", "timeout": "string", "start-period": "string",
                    "start-interval": "string", "retries": "string"},
}


# -- what BuildKit's instructions package rejects --------------------------------------------
#
# BuildKit parses in two steps: the parser above, then frontend/dockerfile/instructions, which turns
# each node into an instruction and rejects it there. Each checker below follows the order of the
# checks of its instruction's parse function there, so the first problem found is the one BuildKit
# reports.


def validate(node: Instruction) -> tuple[str, Span] | None:
    """The error BuildKit reports when turning this node into an instruction, if any."""
    kw = node.keyword
    check = _VALIDATORS.get(kw)
    if check is None:
        written = node.keyword_text or kw
        message = f"unknown instruction: {written}"
        hint = suggest(written, sorted(INSTRUCTIONS), case_sensitive=False)
        return message + (f" (did you mean {hint}?)" if hint else ""), node.keyword_span
    return check(node)


def _at_least_one(node):
    if not node.args:
        return f"{node.keyword} requires at least one argument", node.span
    return None


def _exactly_one(node):
    if len(node.args) != 1:
        return f"{node.keyword} requires exactly one argument", node.span
    return None


def _check_kvps(node):  # ENV, LABEL: parseKvps
    return _check_flags(node) or _at_least_one(node) or _blank_names(node)


def _blank_names(node):
    if any(not p.key for p in node.pairs):
        return f"{node.keyword} names can not be blank", node.span
    return None


def _check_one(node):  # MAINTAINER, WORKDIR, USER
    return _exactly_one(node) or _check_flags(node)


def _check_stopsignal(node):  # parseStopSignal never looks at the flags
    return _exactly_one(node)


def _check_arg(node):  # parseArg never looks at the flags
    return _at_least_one(node) or _blank_names(node)


def _check_add_copy(node):
    if len(node.args) < 2:
        return (f"{node.keyword} requires at least two arguments, but only one was provided. "
                "Destination could not be determined"), node.span
    problem = _check_flags(node)
    if problem:
        return problem
    if parse_heredoc_word(node.args[-1].value):
        return f"{node.keyword} cannot accept a heredoc as a destination", node.args[-1].span
    return None


def _check_from(node):
    args = node.args
    if len(args) == 3 and args[1].value.casefold() == "as":  # Go: strings.EqualFold(args[1], "as")
        if not re.match(_STAGE_NAME, go_lower(args[2].value)):
            return (f"invalid name for build stage: {go_quote(args[2].value)}, name can't start with a number "
                    "or contain symbols"), args[2].span
    elif len(args) != 1:
        return "FROM requires either one or three arguments", node.span
    return _check_flags(node)


def _check_onbuild(node):
    if node.trigger is None:
        return "ONBUILD requires at least one argument", node.span
    problem = _check_flags(node)
    if problem:
        return problem
    trigger = go_upper(node.trigger.keyword_text.strip(GO_SPACE))
    if trigger == "ONBUILD":
        return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", node.trigger.keyword_span
    if trigger in ("MAINTAINER", "FROM"):
        return f"{trigger} isn't allowed as an ONBUILD trigger", node.trigger.keyword_span
    return None


_NETWORKS = ("default", "none", "host")
_SECURITY = ("insecure", "sandbox")


def _check_run(node):
    problem = _check_flags(node)
    if problem:
        return problem
    # the post-parse hooks (commands_run*.go); --mount and --device values are not checked here
    network = node.flag("network")
    if network is not None and network.value not in _NETWORKS:
        return f"invalid network mode {go_quote(network.value)}", network.span
    security = node.flag("security")
    if security is not None and security.value not in _SECURITY:
        return f"security {go_quote(security.value)} is not valid", security.span
    return None


def _check_flags_only(node):  # CMD, ENTRYPOINT
    return _check_flags(node)


def _check_list(node):  # EXPOSE
    return _at_least_one(node) or _check_flags(node)


def _check_volume(node):
    problem = _at_least_one(node) or _check_flags(node)
    if problem:
        return problem
    for arg in node.args:
        if not arg.value.strip(GO_SPACE):
            return "VOLUME specified can not be an empty string", arg.span
    return None


def _check_shell(node):
    problem = _check_flags(node)
    if problem:
        return problem
    if not node.args:
        return "SHELL requires at least one argument", node.span
    if not node.json:
        return "SHELL requires the arguments to be in JSON form", node.span
    return None


def _check_healthcheck(node):
    if not node.args:
        return "HEALTHCHECK requires at least one argument", node.span
    kind = go_upper(node.args[0].value)
    rest = node.args[1:]
    if kind == "NONE":  # its flags are never parsed
        if rest:
            return "HEALTHCHECK NONE takes no arguments", node.span
        return None
    problem = _check_flags(node)
    if problem:
        return problem
    if kind != "CMD":
        return f"Unknown type {go_quote(kind)} in HEALTHCHECK (try CMD)", node.args[0].span
    if not rest:
        return "Missing command after HEALTHCHECK CMD", node.span
    for name in ("interval", "timeout", "start-period", "start-interval"):
        flag = node.flag(name)
        if flag is None or not flag.value:
            continue
        nanoseconds, problem = go_parse_duration(flag.value)
        if problem:
            return problem, flag.span
        if nanoseconds != 0 and nanoseconds < 1_000_000:
            return f'Interval "{name}" cannot be less than 1ms', flag.span
    flag = node.flag("retries")
    if flag is not None and flag.value:
        retries, problem = go_parse_int32(flag.value)
        if problem:
            return problem, flag.span
        if retries < 0:
            return f"--retries cannot be negative ({retries})", flag.span
    return None


def _check_flags(node: Instruction) -> tuple[str, Span] | None:
    """BuildKit's BFlags.Parse over the flags the instruction defines."""
    allowed = FLAGS.get(node.keyword, {})
    seen = set()
    for flag in node.flags:
        flag_name = "--" + flag.name
        kind = allowed.get(flag.name)
        if kind is None:
            hint = suggest(flag.name, list(allowed), case_sensitive=True)
            return f"unknown flag: {flag_name}" + (f" (did you mean {hint}?)" if hint else ""), flag.span
        if flag.name in seen and kind != "strings":
            return f"duplicate flag specified: {flag_name}", flag.span
        seen.add(flag.name)
        if kind == "bool":
            if flag.value == "":
                return f"missing a value on flag: {flag_name}", flag.span
            if flag.value is not None and flag.value.lower() not in ("true", "false"):
                return f"expecting boolean value for flag {flag_name}, not: {flag.value}", flag.span
        elif flag.value is None:
            return f"missing a value on flag: {flag_name}", flag.span
    return None


_VALIDATORS = {
    "ADD": _check_add_copy,
    "ARG": _check_arg,
    "CMD": _check_flags_only,
    "COPY": _check_add_copy,
    "ENTRYPOINT": _check_flags_only,
    "ENV": _check_kvps,
    "EXPOSE": _check_list,
    "FROM": _check_from,
    "HEALTHCHECK": _check_healthcheck,
    "LABEL": _check_kvps,
    "MAINTAINER": _check_one,
    "ONBUILD": _check_onbuild,
    "RUN": _check_run,
    "SHELL": _check_shell,
    "STOPSIGNAL": _check_stopsignal,
    "USER": _check_one,
    "VOLUME": _check_volume,
    "WORKDIR": _check_one,
}
