"""Compose files, read as `docker compose build` reads them.

- The main file and its override are merged service by service: `build` mappings key by key, `args` and
  `additional_contexts` entry by entry (the short form `build: DIR` is `build: {context: DIR}`).
- Paths: `context` and local `additional_contexts` are relative to the project directory (the main file's);
  `dockerfile` is relative to the context. `extends` brings in a service of the same file or of another one, whose
  paths are relative to that file.
- Values are interpolated from the environment and the `.env` file of the project directory (the environment wins):
  `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?error}`, `$$`.
- YAML is read with the YAML 1.2 scalars Compose uses (`yes` is a string, `3.10` the number 3.1).
"""

from __future__ import annotations

import os

from . import BuildDefinition, FileProblem, Note, arg_text, is_remote, local_path, named_contexts, read_text

MAX_EXTENDS = 8  # `extends` chains deeper than this are not followed
MAX_MERGED_KEYS = 10000  # YAML merge keys (<<) that would build larger mappings are refused


class Unresolved(Exception):
    """A value that depends on a variable the environment does not set; `line`: where it is written."""

    line: int | None = None


def read_compose(files: list[str], environ: dict) -> tuple[list[BuildDefinition], dict, list[Note]]:
    """(definitions, each service's resolved build for Bake (None: not resolvable), notes) of one Compose project:
    `files` are its main file and, if any, its override."""
    project = os.path.dirname(files[0])
    notes: list[Note] = []
    env = dict(read_dotenv(os.path.join(project, ".env"), environ, notes))
    env.update(environ)
    reader = _Reader(env, notes)
    builds: dict[str, dict] = {}  # service -> merged build settings
    where: dict[str, tuple] = {}
    for path in files:
        document = reader.load(path)
        if document is None:
            continue
        data, lines = document
        if "include" in data:
            notes.append(Note(path, lines.line(data, "include"), "include: the included files are not followed"))
        services = data.get("services")
        if not isinstance(services, dict):
            continue
        for name, service in services.items():
            if not isinstance(service, dict):
                continue
            build = reader.service_build(path, project, data, lines, str(name), 0)
            if build is None:
                continue
            builds[str(name)] = _merge(builds.get(str(name), {}), build)
            where.setdefault(str(name), (path, lines.line(services, name)))
    definitions, seeds = [], {}
    for name, build in builds.items():
        path, line = where[name]
        definition = _definition(name, build, path, line, notes)
        seeds[name] = _seed(definition) if definition is not None else None
        if definition is not None:
            definitions.append(definition)
    return definitions, seeds, notes


def _definition(name: str, build: dict, path: str, line: int | None, notes: list) -> BuildDefinition | None:
    def note(message, at=None):
        notes.append(Note(path, getattr(at, "line", None) or line, f'service "{name}": {message}'))

    for key in ("context", "dockerfile", "target"):
        if isinstance(build.get(key), Unresolved):
            note(f"build.{key}: {build[key]}; the service's build is not read", build[key])
            return None
    if build.get("dockerfile_inline") is not None:
        note("build.dockerfile_inline: an inline Dockerfile is not linted")
        return None
    context = build.get("context")
    if isinstance(context, str) and is_remote(context):
        note(f"build.context {context} is not a local directory: its build is not read")
        return None
    context = context or os.path.dirname(path)
    dockerfile = build.get("dockerfile") or "Dockerfile"
    args = {}
    for key, value in build.get("args", {}).items():
        if isinstance(value, Unresolved):
            note(f"build.args.{key}: {value}; its value is left unknown", value)
            value = None
        args[key] = value
    contexts = {}
    for key, value in build.get("additional_contexts", {}).items():
        if isinstance(value, Unresolved):
            note(f"build.additional_contexts.{key}: {value}; that context is left out", value)
            continue
        contexts[key] = value
    return BuildDefinition(local_path(context, dockerfile), context, build.get("target"), args, contexts, "compose",
                           name, path, line)


def _seed(definition: BuildDefinition) -> dict:
    """The service as Bake reads it: a target to merge its own blocks of the same name over."""
    return dict(context=definition.context, dockerfile=os.path.relpath(definition.dockerfile, definition.context),
                target=definition.target, args=dict(definition.args), contexts=dict(definition.contexts))


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key in ("args", "additional_contexts"):
            merged[key] = {**base.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


class _Reader:
    def __init__(self, env: dict, notes: list):
        self.env = env
        self.notes = notes
        self.documents: dict[str, tuple | None] = {}

    def load(self, path: str):
        """(data, lines) of a Compose file, or None (noted) when it cannot be read."""
        if path not in self.documents:
            self.documents[path] = None
            try:
                data, lines = load_yaml(read_text(path), path)
            except FileProblem as e:
                self.notes.append(e.note)
                return None
            if not isinstance(data, dict):
                self.notes.append(Note(path, 1, "not a Compose file (its top level is not a mapping)"))
                return None
            self.documents[path] = (data, lines)
        return self.documents[path]

    def service_build(self, path: str, base: str, data: dict, lines, name: str, depth: int) -> dict | None:
        """The build settings of service `name` of a loaded file, with `extends` followed; paths absolute."""
        service = (data.get("services") or {}).get(name)
        if not isinstance(service, dict):
            return None
        inherited = {}
        extends = service.get("extends")
        if extends is not None:
            inherited = self._extended(path, base, data, lines, service, extends, depth) or {}
        build = service.get("build")
        if build is None:
            return inherited or None
        if isinstance(build, str):
            build = {"context": build}
        if not isinstance(build, dict):
            self.notes.append(Note(path, lines.line(service, "build"), f'service "{name}": build is not a mapping'))
            return None
        own = {}
        for key in ("context", "dockerfile", "dockerfile_inline", "target"):
            if build.get(key) is not None:
                own[key] = self.value(build[key], lines.line(build, key))
        if isinstance(own.get("context"), str) and not is_remote(own["context"]):
            own["context"] = local_path(base, own["context"])
        if "args" in build:
            own["args"] = self.mapping(build["args"], lines, lines.line(build, "args"), environment_fallback=True)
        if "additional_contexts" in build:
            contexts = self.mapping(build["additional_contexts"], lines, lines.line(build, "additional_contexts"),
                                    environment_fallback=False)
            plain = {k: v for k, v in contexts.items() if isinstance(v, str)}
            own["additional_contexts"] = {**contexts, **named_contexts(base, plain)}
        return _merge(inherited, own)

    def _extended(self, path, base, data, lines, service, extends, depth) -> dict | None:
        line = lines.line(service, "extends")
        if depth >= MAX_EXTENDS:
            self.notes.append(Note(path, line, f"extends: more than {MAX_EXTENDS} levels deep: not followed"))
            return None
        if isinstance(extends, str):
            extends = {"service": extends}
        other = extends.get("service") if isinstance(extends, dict) else None
        if not isinstance(other, str):
            self.notes.append(Note(path, line, "extends: no service named: not followed"))
            return None
        if extends.get("file") is None:
            return self.service_build(path, base, data, lines, other, depth + 1)
        target = self.value(extends["file"], line)
        if isinstance(target, Unresolved):
            self.notes.append(Note(path, line, f"extends.file: {target}: not followed"))
            return None
        target = local_path(os.path.dirname(path), target)
        document = self.load(target)
        if document is None:
            return None
        return self.service_build(target, os.path.dirname(target), document[0], document[1], other, depth + 1)

    def value(self, raw, line: int | None):
        """A scalar, interpolated; an Unresolved (written at `line`) when a variable it needs is not set."""
        if isinstance(raw, str):
            try:
                return interpolate(raw, self.env)
            except Unresolved as e:
                e.line = line
                return e
        return arg_text(raw)

    def mapping(self, raw, lines, line: int | None, environment_fallback: bool) -> dict:
        """`args` or `additional_contexts`, as a mapping or a list of `KEY=VALUE`; for args a key without a value
        takes the environment's (and is left out when the environment lacks it, as Compose does)."""
        pairs = []
        if isinstance(raw, dict):
            pairs = [(str(k), v) for k, v in raw.items()]
        elif isinstance(raw, list):
            for item in raw:
                key, sep, value = str(item).partition("=")
                pairs.append((key, value if sep else None))
        out = {}
        for key, value in pairs:
            if value is None:
                if environment_fallback and key in self.env:
                    out[key] = self.env[key]
                continue
            out[key] = self.value(value, lines.line(raw, key) if isinstance(raw, dict) else line)
        return out


# -- interpolation ------------------------------------------------------------------------------------------------


def interpolate(text: str, env: dict) -> str:
    """`text` with Compose's variable syntax substituted from `env`; raises Unresolved naming what is missing."""
    try:
        return _interpolate(text, 0, env, None)[0]
    except RecursionError:
        raise Unresolved("defaults nested too deeply") from None


def _interpolate(text: str, i: int, env: dict, stop: str | None) -> tuple[str, int]:
    """Substitute from `i` up to an unmatched `stop` character (the `}` closing a default), or the end."""
    out = []
    n = len(text)
    while i < n:
        c = text[i]
        if stop is not None and c == stop:
            return "".join(out), i
        if c != "$":
            out.append(c)
            i += 1
            continue
        if text.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        if text.startswith("${", i):
            value, i = _braced(text, i + 2, env)
            out.append(value)
            continue
        j = i + 1
        while j < n and (text[j].isalnum() or text[j] == "_"):
            j += 1
        if j == i + 1:
            out.append("$")
            i += 1
            continue
        name = text[i + 1:j]
        if name not in env:
            raise Unresolved(f"${name} is not set")
        out.append(env[name])
        i = j
    if stop is not None:
        raise Unresolved(f"unterminated ${{ in {text!r}")
    return "".join(out), i


def _braced(text: str, i: int, env: dict) -> tuple[str, int]:
    """`${NAME...}` from just after `${`: (value, index after the closing brace)."""
    j = i
    while j < len(text) and (text[j].isalnum() or text[j] == "_"):
        j += 1
    name = text[i:j]
    if not name:
        raise Unresolved(f"invalid interpolation in {text!r}")
    if text.startswith("}", j):
        if name not in env:
            raise Unresolved(f"${{{name}}} is not set")
        return env[name], j + 1
    for operator in (":-", ":?", ":+", "-", "?", "+"):
        if text.startswith(operator, j):
            break
    else:
        raise Unresolved(f"invalid interpolation in {text!r}")
    set_ = name in env and (env[name] != "" or ":" not in operator)
    start = j + len(operator)
    if (operator.endswith("-") and set_) or (operator.endswith("+") and not set_):
        _, end = _skip(text, start)  # the alternative is not used: its variables need not be set
        return (env[name] if operator.endswith("-") else ""), end
    word, end = _interpolate(text, start, env, "}")
    if operator.endswith("?"):
        if not set_:
            raise Unresolved(f"${{{name}}} is required: {word}" if word else f"${{{name}}} is required")
        return env[name], end + 1
    return word, end + 1


def _skip(text: str, i: int) -> tuple[None, int]:
    """Past the `}` that closes the word starting at `i` (nested `${...}` included)."""
    depth = 0
    while i < len(text):
        if text.startswith("$$", i):
            i += 2
            continue
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            if depth == 0:
                return None, i + 1
            depth -= 1
        i += 1
    raise Unresolved(f"unterminated ${{ in {text!r}")


def read_dotenv(path: str, environ: dict, notes: list) -> list[tuple[str, str]]:
    """The variables of a `.env` file: `KEY=VALUE` lines, `export ` allowed, `#` comments, single quotes literal,
    double quotes with escapes, and earlier variables (and the environment) interpolated outside single quotes."""
    if not os.path.isfile(path):
        return []
    try:
        text = read_text(path)
    except FileProblem as e:
        notes.append(e.note)
        return []
    pairs: list[tuple[str, str]] = []
    known = dict(environ)
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            notes.append(Note(path, number, "not a KEY=VALUE line: ignored"))
            continue
        value = value.strip()
        try:
            if value[:1] == "'" and value.endswith("'") and len(value) > 1:
                value = value[1:-1]
            elif value[:1] == '"' and value.endswith('"') and len(value) > 1:
                value = interpolate(_unescape(value[1:-1]), {**dict(pairs), **known})
            else:
                value = interpolate(value.split(" #", 1)[0].rstrip(), {**dict(pairs), **known})
        except Unresolved as e:
            notes.append(Note(path, number, f"{key}: {e}; the variable is left unset"))
            continue
        pairs.append((key, value))
    return pairs


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# -- YAML ------------------------------------------------------------------------------------------------------


class Lines:
    """Where the mappings of a loaded document and their keys are (1-based lines)."""

    def __init__(self):
        self.mappings: dict[int, tuple[int, dict]] = {}  # id(mapping) -> (line, key -> line)

    def line(self, mapping, key=None) -> int | None:
        entry = self.mappings.get(id(mapping))
        if entry is None:
            return None
        return entry[1].get(key, entry[0]) if key is not None else entry[0]


_LOADERS: dict = {}


def load_yaml(text: str, path: str):
    """(data, Lines) of a YAML document; FileProblem with the line of a syntax error."""
    import yaml

    loader_class = _LOADERS.get("compose") or _LOADERS.setdefault("compose", _loader_class(yaml))
    loader = loader_class(text)
    loader.lines = Lines()
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        raise FileProblem(path, line, f"not valid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise FileProblem(path, None, f"not valid YAML: {e}") from None
    except RecursionError:
        raise FileProblem(path, None, "not read: nested too deeply") from None
    finally:
        loader.dispose()
    return data, loader.lines


def _loader_class(yaml):
    """A safe loader that resolves plain scalars as YAML 1.2 does (as Compose's Go parser does) and records lines."""
    import re

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        yaml_implicit_resolvers: dict = {}

        def construct_yaml_map(self, node):
            data: dict = {}
            keys = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    keys[key_node.value] = key_node.start_mark.line + 1
            self.lines.mappings[id(data)] = (node.start_mark.line + 1, keys)
            yield data
            data.update(self.construct_mapping(node))

        def flatten_mapping(self, node):
            merges = any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value)
            super().flatten_mapping(node)
            if merges and len(node.value) > MAX_MERGED_KEYS:
                raise yaml.constructor.ConstructorError(None, None, "merge keys (<<) expand too far",
                                                        node.start_mark)

    resolvers = (
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
    )
    for tag, pattern, first in resolvers:
        Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)
    Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    return Loader


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    return int(text, 16) if text.startswith("0x") else int(text)
