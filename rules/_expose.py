"""EXPOSE's arguments, read as Docker reads them (go-connections' nat.ParsePortSpec): shared by DF409-DF411.

An argument is `[ip:][host_port:]container_port[/protocol]`, each port a number or a `start-end` range.
"""

from __future__ import annotations

PROTOCOLS = ("tcp", "udp", "sctp")


def exposed(model, node):
    """(argument, its expanded text) for each argument of an EXPOSE whose value is known when linting."""
    for arg in node.args:
        expansion = model.expand(node, arg.value)
        if not expansion.exact or expansion.error:
            continue
        for text in expansion.value.split():
            yield arg, text


def split_parts(raw: str) -> tuple[str, str, str]:
    """(ip, host port, container port and protocol)."""
    parts = raw.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def split_proto(port: str) -> tuple[str, str]:
    """(port, protocol as written; "tcp" when none is given)."""
    number, slash, proto = port.partition("/")
    if not slash or not proto:
        return number, "tcp"
    return number, proto.split("/")[0]


def range_error(ports: str) -> bool:
    """Whether a port or `start-end` range is invalid (not 0-65535, or the end before the start)."""
    start, dash, end = ports.partition("-")
    if not _port(start) or (dash and not _port(end)):
        return True
    return bool(dash) and int(end) < int(start)


def _port(text: str) -> bool:
    return text.isascii() and text.isdigit() and int(text) <= 65535


def spec_error(raw: str) -> str | None:
    """Docker's error for an invalid EXPOSE argument, or None."""
    ip, host, container = split_parts(raw)
    number, proto = split_proto(container)
    if ip and not _ip(ip):
        return f"invalid IP address: {ip}"
    if not number:
        return f"no port specified: {raw}<empty>"
    if range_error(number):
        return f"invalid containerPort: {number}"
    if host and range_error(host):
        return f"invalid hostPort: {host}"
    if proto.lower() not in PROTOCOLS:
        return f"invalid proto: {proto}"
    return None


def _ip(text: str) -> bool:
    text = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
