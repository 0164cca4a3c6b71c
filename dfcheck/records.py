"""What the data classes of the syntax tree, the model and the rule API share instead of `dataclasses`.

Creating a `@dataclass` costs 0.2-0.4 ms at import (it generates its methods with `exec`), and importing
`dataclasses` pulls in `inspect`: together about 16 ms of a one-file run. The classes are plain classes with
`__slots__` (their fields, in order) and a hand-written `__init__`; these functions give them what the
dataclasses generated:

    class Edit:
        __slots__ = ("span", "text")
        ...
        __repr__ = fields_repr                  # Edit(span=..., text='COPY')
        __eq__ = fields_eq                      # field by field, same class only
        __hash__ = fields_hash                  # only where the dataclass was frozen

A class that defines `__eq__` without `__hash__` is unhashable, as a non-frozen dataclass with eq is.
`_compare` and `_shown` (class attributes) name the fields compared and shown when not all of them are, `_init`
the fields `__init__` takes when they are not the slots.
"""

from __future__ import annotations

from _thread import get_ident

_running: set = set()  # (id, thread) of the objects whose repr is being built: a cycle shows as "..."


def fields_repr(self) -> str:
    cls = type(self)
    key = (id(self), get_ident())
    if key in _running:
        return "..."
    _running.add(key)
    try:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in getattr(cls, "_shown", cls.__slots__))
    finally:
        _running.discard(key)
    return f"{cls.__qualname__}({shown})"


def fields_eq(self, other) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = getattr(self.__class__, "_compare", self.__class__.__slots__)
    return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


def fields_hash(self) -> int:
    return hash(tuple(getattr(self, n) for n in getattr(self.__class__, "_compare", self.__class__.__slots__)))


def replace(obj, /, **changes):
    """A copy of `obj` with some fields changed, made by its `__init__` (what `dataclasses.replace` does)."""
    cls = type(obj)
    for name in getattr(cls, "_init", cls.__slots__):
        if name not in changes:
            changes[name] = getattr(obj, name)
    return cls(**changes)
