"""Bake files (HCL and JSON), read as `docker buildx bake` reads the files of one directory.

- The files are merged in Bake's order; blocks of one target merge attribute by attribute (`args` and `contexts`
  entry by entry), over the Compose service of the same name when the directory has a Compose file.
- `inherits` merges the parents in order, then the target's own attributes; a target's defaults are context `.`
  and dockerfile `Dockerfile`, which is relative to the context (`cwd://` paths to the directory).
- Bake resolves paths from where it runs; this reading takes the Bake files' directory, where `docker buildx bake`
  finds them by itself (a run elsewhere with `-f` is not something a static reading can know).
- `variable` blocks give defaults that the environment overrides (typed as the default is); a variable without
  a default is empty. Expressions are evaluated by `hcl`; one that cannot be read statically leaves its value
  unknown, noted once where it is written.
- A `matrix` target is one target per combination of its values, named by its `name` expression.
- The targets built are those of a group, those no other target inherits (the rest are templates), and those a
  built target names as a context (`target:NAME`).
  Targets with an inline Dockerfile or a remote context are noted and left out.
"""

from __future__ import annotations

import json
import os

from . import BuildDefinition, FileProblem, Note, arg_text, is_remote, local_path, read_text
from .hcl import Evaluator, Unresolved, parse

UNKNOWN = object()  # a value written in the file that a static reading cannot know
_ATTRIBUTES = ("context", "dockerfile", "dockerfile-inline", "target", "inherits")
_MAPS = ("args", "contexts")
MAX_INHERITS = 32
MAX_MATRIX = 256  # builds of one matrix target


class _Known:
    """A value already evaluated (a Compose service's settings, seeding the target of the same name)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _Block:
    __slots__ = ("name", "body", "path", "line", "scope")

    def __init__(self, name: str, body: dict, path: str, line: int | None, scope: dict | None = None):
        self.name, self.body, self.path, self.line = name, body, path, line
        self.scope = scope  # a matrix combination's values


def read_bake(files: list[str], environ: dict, compose_seeds: dict | None = None) -> tuple[list, list]:
    """(definitions, notes) of the Bake files of one directory, over its Compose services (`compose_seeds`:
    name -> settings, or None for a service that could not be read)."""
    reader = _Reader(os.path.dirname(files[0]), environ, compose_seeds or {})
    for path in files:
        reader.load(path)
    return reader.definitions(), reader.notes


class _Reader:
    def __init__(self, directory: str, environ: dict, seeds: dict):
        self.directory = directory
        self.environ = environ
        self.seeds = seeds
        self.notes: list[Note] = []
        self._noted: set = set()
        self.variables: dict[str, _Block] = {}
        self.functions: dict[str, tuple] = {}
        self.groups: dict[str, list[_Block]] = {}
        self.targets: dict[str, list[_Block]] = {}
        self._values: dict[str, object] = {}
        self._resolving: set = set()
        self._evaluated: dict[int, dict] = {}
        self._resolved: dict[str, dict | None] = {}
        self.evaluator = Evaluator(self._variable, self.functions)

    def note(self, block: _Block | None, path: str, message: str) -> None:
        found = Note(path, block.line if block else None, message)
        if found not in self._noted:
            self._noted.add(found)
            self.notes.append(found)

    # -- reading the files ---------------------------------------------------------------------------------------

    def load(self, path: str) -> None:
        try:
            text = read_text(path)
            data = _load_json(text, path) if path.endswith(".json") else _load_hcl(text, path)
        except FileProblem as e:
            self.notes.append(e.note)
            return
        lines = text.splitlines()
        for kind, name, body in data:
            block = _Block(name, body, path, _line_of(lines, kind, name, path.endswith(".json")))
            if kind == "variable":
                self.variables[name] = block
            elif kind == "target":
                self.targets.setdefault(name, []).append(block)
            elif kind == "group":
                self.groups.setdefault(name, []).append(block)
            elif kind == "function":
                self._function(block)

    def _function(self, block: _Block) -> None:
        params, result = block.body.get("params"), block.body.get("result")
        if "variadic_params" in block.body or not isinstance(params, list) or result is None:
            self.note(block, block.path, f'function "{block.name}": only functions with fixed params and a result '
                                         "are read; calls to it are left unknown")
            return
        try:
            names = [p.strip().strip('"') for p in params]
            self.functions[block.name] = (names, parse(result) if isinstance(result, str) else ("lit", result))
        except Unresolved as e:
            self.note(block, block.path, f'function "{block.name}": {e}; calls to it are left unknown')

    # -- values --------------------------------------------------------------------------------------------------

    def _variable(self, name: str):
        if name in self._values:
            value = self._values[name]
            if value is UNKNOWN:
                raise Unresolved(f"variable {name} is unknown", noted=True)
            return value
        block = self.variables.get(name)
        if block is None:
            raise Unresolved(f"{name} is not a variable of the Bake files")
        if name in self._resolving:
            raise Unresolved(f"variable {name} refers to itself")
        self._resolving.add(name)
        try:
            default = self.value(block.body.get("default", '""'))
            if name in self.environ:
                default = _typed(self.environ[name], default)
            self._values[name] = default
        except Unresolved as e:
            self._values[name] = UNKNOWN
            if not e.noted:
                self.note(block, block.path, f"variable {name}: {e}; what uses it is left unknown")
            raise Unresolved(f"variable {name} is unknown", noted=True) from None
        finally:
            self._resolving.discard(name)
        return self._values[name]

    def value(self, raw, scope: dict | None = None):
        """The value of a raw attribute value (python-hcl2's: expression source text, or a literal)."""
        if isinstance(raw, _Known):
            return raw.value
        if isinstance(raw, str):
            return self.evaluator.evaluate(parse(raw), scope)
        if isinstance(raw, list):
            return [self.value(item, scope) for item in raw]
        if isinstance(raw, dict):
            return {_key(k): self.value(v, scope) for k, v in raw.items() if not str(k).startswith("__")}
        return raw

    def evaluated(self, block: _Block) -> dict:
        """The attributes of one block that say what it builds, evaluated once (notes given once)."""
        key = id(block)
        if key in self._evaluated:
            return self._evaluated[key]
        out: dict = {}
        what = f'target "{block.name}"'
        for name in _ATTRIBUTES:
            if name in block.body:
                try:
                    out[name] = self.value(block.body[name], block.scope)
                except Unresolved as e:
                    out[name] = UNKNOWN
                    if not e.noted:
                        self.note(block, block.path, f"{what}: {name}: {e}")
        for name in _MAPS:
            if name not in block.body:
                continue
            raw = block.body[name]
            if not isinstance(raw, dict):
                try:
                    whole = self.value(raw, block.scope)
                except Unresolved as e:
                    if not e.noted:
                        self.note(block, block.path, f"{what}: {name}: {e}; its entries are unknown")
                    continue
                if not isinstance(whole, dict):
                    if whole is not None:
                        self.note(block, block.path, f"{what}: {name} is not a map")
                    continue
                raw = {k: _Known(v) for k, v in whole.items()}
            entries = {}
            for k, v in raw.items():
                if str(k).startswith("__"):
                    continue
                try:
                    entries[_key(k)] = self.value(v, block.scope)
                except Unresolved as e:
                    entries[_key(k)] = UNKNOWN
                    if not e.noted:
                        left = "its value is left unknown" if name == "args" else "that context is left out"
                        self.note(block, block.path, f"{what}: {name}.{_key(k)}: {e}; {left}")
            out[name] = entries
        self._evaluated[key] = out
        return out

    # -- targets -------------------------------------------------------------------------------------------------

    def resolved(self, name: str, chain: tuple = ()) -> dict | None:
        """A target's attributes: its parents' merged in order, then its own blocks (over its Compose service);
        None when Bake would not build it."""
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name, chain)
        return self._resolved[name]

    def _resolve(self, name: str, chain: tuple) -> dict | None:
        blocks = self.targets.get(name, [])
        own: dict = {}
        if name in self.seeds:
            if self.seeds[name] is None:
                return None  # its Compose service could not be read (noted there)
            own = {k: v for k, v in self.seeds[name].items() if v is not None}
            own["args"] = {k: UNKNOWN if v is None else v for k, v in own.get("args", {}).items()}
        for block in blocks:
            own = _merge(own, self.evaluated(block))
        merged: dict = {}
        inherits = own.get("inherits") or []
        if inherits is UNKNOWN:
            return None
        where = blocks[0] if blocks else None
        for parent in inherits if isinstance(inherits, list) else [inherits]:
            if not isinstance(parent, str):
                problem = "not a target name"
            elif parent in chain or len(chain) >= MAX_INHERITS:
                problem = "in a cycle"
            elif parent not in self.targets and parent not in self.seeds:
                problem = "which no file defines"
            else:
                found = self.resolved(parent, chain + (name,))
                if found is None:
                    return None
                merged = _merge(merged, {k: v for k, v in found.items() if k != "inherits"})
                continue
            self.note(where, where.path if where else self.directory,
                      f'target "{name}": inherits "{parent}", {problem}: Bake would not build it')
            return None
        return _merge(merged, own)

    def expand_matrices(self) -> dict[str, list[str]]:
        """Replace each matrix target by one target per combination of its values; returns the names each became
        (a group naming a matrix target builds them all)."""
        expanded = {}
        for name, blocks in list(self.targets.items()):
            block = next((b for b in blocks if "matrix" in b.body), None)
            if block is None:
                continue
            del self.targets[name]
            expanded[name] = []
            if len(blocks) > 1:
                self.note(block, block.path, f'target "{name}": a matrix target defined in several blocks is not read')
                continue
            body = {k: v for k, v in block.body.items() if k not in ("matrix", "name")}
            for scope in self._combinations(block):
                try:
                    generated = self.value(block.body.get("name"), scope) if "name" in block.body else None
                except Unresolved as e:
                    if not e.noted:
                        self.note(block, block.path, f'target "{name}": name: {e}; its builds are not read')
                    break
                if not isinstance(generated, str) or not generated:
                    self.note(block, block.path, f'target "{name}": a matrix target without a name: not read')
                    break
                self.targets.setdefault(generated, []).append(_Block(generated, body, block.path, block.line, scope))
                expanded[name].append(generated)
        return expanded

    def _combinations(self, block: _Block) -> list[dict]:
        try:
            matrix = self.value(block.body["matrix"])
        except Unresolved as e:
            if not e.noted:
                self.note(block, block.path, f'target "{block.name}": matrix: {e}; its builds are not read')
            return []
        if not isinstance(matrix, dict) or not all(isinstance(v, list) for v in matrix.values()):
            self.note(block, block.path, f'target "{block.name}": matrix is not a map of lists: not read')
            return []
        combinations: list[dict] = [{}]
        for key, values in matrix.items():
            combinations = [{**c, key: v} for c in combinations for v in values]
            if len(combinations) > MAX_MATRIX:
                self.note(block, block.path, f'target "{block.name}": a matrix of more than {MAX_MATRIX} builds: '
                                             "not read")
                return []
        return combinations

    def built(self, expanded: dict) -> list[str]:
        """The targets a build runs: those of groups, and those no other target inherits."""
        grouped, inherited = set(), set()
        todo, seen = list(self.groups), set()
        while todo:
            group = todo.pop()
            if group in seen:
                continue
            seen.add(group)
            for block in self.groups.get(group, []):
                try:
                    members = self.value(block.body.get("targets", []))
                except Unresolved as e:
                    if not e.noted:
                        self.note(block, block.path, f'group "{group}": targets: {e}')
                    continue
                for member in members if isinstance(members, list) else []:
                    if not isinstance(member, str):
                        continue
                    if member in self.groups:
                        todo.append(member)
                    if member in self.targets or member not in self.groups:
                        grouped.add(member)
                    grouped.update(expanded.get(member, ()))
        for name, blocks in self.targets.items():
            for block in blocks:
                parents = self.evaluated(block).get("inherits")
                if isinstance(parents, list):
                    inherited.update(p for p in parents if isinstance(p, str) and p != name)
        return [n for n in self.targets if n in grouped or n not in inherited]

    def definitions(self) -> list[BuildDefinition]:
        out = []
        todo = self.built(self.expand_matrices())
        done: set = set()
        while todo:
            name = todo.pop(0)
            if name in done or name not in self.targets:
                continue
            done.add(name)
            attributes = self.resolved(name)
            if attributes is None:
                continue
            # a named context `target:NAME` builds that target too
            todo += [v[len("target:"):] for v in (attributes.get("contexts") or {}).values()
                     if isinstance(v, str) and v.startswith("target:")]
            definition = self._definition(name, attributes, self.targets[name][0])
            if definition is not None:
                out.append(definition)
        return out

    def _definition(self, name: str, attributes: dict, first: _Block) -> BuildDefinition | None:
        def skip(message):
            self.note(first, first.path, f'target "{name}": {message}')

        if any(attributes.get(k) is UNKNOWN for k in ("context", "dockerfile", "target")):
            return None  # noted where the value is written
        if attributes.get("dockerfile-inline") is not None:
            skip("dockerfile-inline: an inline Dockerfile is not linted")
            return None
        context = _text(attributes.get("context"), ".")
        if is_remote(context):
            skip(f"context {context} is not a local directory: its build is not read")
            return None
        context = local_path(self.directory, context.removeprefix("cwd://"))
        dockerfile = _text(attributes.get("dockerfile"), "Dockerfile")
        if dockerfile.startswith("cwd://"):
            dockerfile = local_path(self.directory, dockerfile[len("cwd://"):])
        else:
            dockerfile = local_path(context, dockerfile)
        args = {}
        for key, value in (attributes.get("args") or {}).items():
            if value is UNKNOWN:
                args[key] = None
            elif value is not None:
                args[key] = arg_text(value) if not isinstance(value, (list, dict)) else None
        contexts = {}
        for key, value in (attributes.get("contexts") or {}).items():
            if value is UNKNOWN or value is None:
                continue
            value = str(value)
            if value.startswith("cwd://"):
                value = local_path(self.directory, value[len("cwd://"):])
            contexts[key] = value if is_remote(value) else local_path(self.directory, value)
        target = attributes.get("target")
        return BuildDefinition(dockerfile, context, None if target in (None, "") else str(target), args, contexts,
                               "bake", name, first.path, first.line)


def _merge(base: dict, top: dict) -> dict:
    merged = dict(base)
    for key, value in top.items():
        if key in _MAPS and isinstance(value, dict):
            old = merged.get(key)
            entries = dict(old) if isinstance(old, dict) else {}
            entries.update((k, v) for k, v in value.items() if v is not None or k not in entries)
            merged[key] = entries
        elif value is not None:
            merged[key] = value
    return merged


def _text(value, default: str) -> str:
    return default if value is None or value == "" else str(value)


def _typed(text: str, default):
    """An environment variable's value, typed as the variable's default is (Bake parses booleans and numbers)."""
    if isinstance(default, bool):
        if text in ("1", "t", "T", "TRUE", "true", "True"):
            return True
        if text in ("0", "f", "F", "FALSE", "false", "False"):
            return False
        raise Unresolved(f"the environment's {text!r} is not a boolean")
    if isinstance(default, (int, float)):
        try:
            return int(text) if text.strip().lstrip("+-").isdigit() else float(text)
        except ValueError:
            raise Unresolved(f"the environment's {text!r} is not a number") from None
    return text


def _key(key) -> str:
    key = str(key)
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _line_of(lines: list, kind: str, name: str, is_json: bool) -> int | None:
    """The line of a block's header: `target "api" {` in HCL, the first `"api":` after `"target"` in JSON."""
    quoted = json.dumps(name)
    seen_kind = not is_json
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if is_json:
            if not seen_kind and stripped.startswith(f'"{kind}"'):
                seen_kind = True
                rest = stripped[len(kind) + 2:]
                if quoted in rest:
                    return number
                continue
            if seen_kind and stripped.startswith(quoted) and stripped[len(quoted):].lstrip().startswith(":"):
                return number
        else:
            words = stripped.split(None, 1)
            if len(words) == 2 and words[0] == kind and words[1].startswith(quoted):
                return number
    return None


def _load_hcl(text: str, path: str) -> list[tuple]:
    """(kind, name, body) of each block; a top-level attribute is a variable (as Bake reads it)."""
    try:
        import hcl2
        from hcl2.utils import SerializationOptions
    except ImportError:
        raise FileProblem(path, None, "python-hcl2 is not installed: not read") from None
    options = SerializationOptions(with_comments=False, preserve_heredocs=False)
    try:
        data = hcl2.loads(text, serialization_options=options)
    except Exception as e:  # noqa: BLE001 -- lark's errors and python-hcl2's own: a note, never a traceback
        line, column = getattr(e, "line", None), getattr(e, "column", None)
        raise FileProblem(path, line if isinstance(line, int) and line > 0 else None, f"not valid HCL: {_why(e)}"
                          + (f" (column {column})" if isinstance(column, int) and column > 0 else "")) from None
    out = []
    for kind, value in data.items():
        if _is_blocks(value):
            if kind in ("variable", "target", "group", "function"):
                out += [(kind, _key(label), body) for block in value for label, body in block.items()
                        if isinstance(body, dict)]
        elif not kind.startswith("__"):
            out.append(("variable", kind, {"default": value}))
    return out


def _why(error: Exception) -> str:
    token = getattr(error, "token", None)
    if token is not None:
        if getattr(token, "type", "") == "$END":
            return "unexpected end of file"
        text = str(token).splitlines()[0] if str(token).strip() else repr(str(token))
        return f"unexpected {text[:40]!r}"
    char = getattr(error, "char", None)
    return f"unexpected character {char!r}" if char else type(error).__name__


def _is_blocks(value) -> bool:
    """python-hcl2's list of labelled blocks (a top-level attribute's value is anything else)."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(block, dict) and all(isinstance(body, dict) and body.get("__is_block__") for body in block.values())
        for block in value)


def _load_json(text: str, path: str) -> list[tuple]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FileProblem(path, e.lineno, f"not valid JSON: {e.msg}") from None
    except RecursionError:
        raise FileProblem(path, None, "not read: nested too deeply") from None
    if not isinstance(data, dict):
        raise FileProblem(path, 1, "not a Bake file (its top level is not an object)")
    out = []
    for kind in ("variable", "function", "group", "target"):
        blocks = data.get(kind)
        if isinstance(blocks, dict):
            out += [(kind, str(name), _json_raw(body)) for name, body in blocks.items() if isinstance(body, dict)]
    return out


def _json_raw(value):
    """A JSON value as python-hcl2 gives HCL's: strings (templates in Bake's JSON) as quoted HCL source."""
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'
    if isinstance(value, list):
        return [_json_raw(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_raw(v) for k, v in value.items()}
    return value
