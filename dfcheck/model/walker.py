"""The RUN walker: reads one RUN's shell commands in order and records what they do to the layer.

It is the *call* the command catalog's readers see (`commands.base`): for each command it finds the
tool's entry and lets it record effects (added paths, deletions and rewrites, packages, dependency
installs, builds); it follows `cd`, variables, subshells and `sh -c` strings, and keeps only the net
effect of the RUN (what it creates and deletes again leaves nothing). What it records is filed by path,
so that a RUN of thousands of commands stays linear.
"""

from __future__ import annotations

import posixpath
import re

from ..syntax.nodes import Instruction, Span
from .base_images import image_env
from .effects import Added, LayerEffects, Operation, Packages, all_wildcards
from .paths import BIN_DIRS as _BIN_DIRS
from .paths import SHARED_DIRS as _SHARED_DIRS
from .paths import TEMP_DIRS as _TEMP_DIRS
from .paths import PathIndex, normalize, relation
from .paths import resolve as _resolve
from .sources import build_argument


# `$(dirname "$X")`, `$(dirname ${X})`: the whole command substitution, one variable.
# (a string: `re` compiles it on the first such word, not at import)
_DIRNAME = r'\$\(dirname +"?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"? *\)'


class RunWalker:
    """Reads one RUN's shell commands in order and collects their effects.

    It is the *call* the catalog's readers see (see `commands.base`): `command` is the command being read,
    as its tool sees it, and the methods below record what it does."""

    def __init__(self, fs, node: Instruction, effects: LayerEffects):
        self.fs = fs
        self.model = fs.model
        self.node = node
        self.effects = effects
        scope = self.model.scope(node)
        self.env: dict[str, str] = dict(scope.values())
        stage = self.model.stage_of(node)
        if stage is not None:  # what the base image's ENV sets (`$PHP_INI_DIR`)
            for name, value in image_env(self.model.root(stage).base).items():
                self.env.setdefault(name, value)
        self.env_names = set(scope.args) | set(scope.env)
        # Build arguments of no known value, which the shell does not set: one value for the whole build (an ENV
        # that passes one on stands for it: `sources.build_argument`). Name -> the argument's name.
        self.symbols = {name: argument for name in dict.fromkeys([*scope.args, *scope.env]) if name not in self.env
                        for argument in [build_argument(self.model, scope, name)] if argument is not None}
        self.home = fs.home(node, self.env)
        self.env.setdefault("HOME", self.home)  # the build sets it from the user's entry, as a login would
        self.user_root = self.home == "/root"
        self.workdir = self.model.workdir(node)
        self.main_cwd: str | None = self.workdir
        self.sub_cwd: str | None = None  # cwd inside a subshell ( cd x && ... )
        self.code = None
        self.outer = None  # the command as written
        self.inner = None  # the same, wrappers stripped
        self.command = None  # the same, as its tool sees it (`python -m pip` -> `pip`)
        self.tool = None
        self.action = None
        self.implied: tuple = ()  # (directory, exact): files a find -exec or xargs adds to the operands
        # What the RUN has added so far, by path, and the in-place rewrites a later rm may supersede: looked up,
        # not scanned, so that a RUN of thousands of commands stays linear.
        self.index = PathIndex()
        self.order: dict[int, int] = {}  # id(Added) -> position in effects.added
        self.dropped: set[int] = set()  # ids of Added a later deletion of this RUN removed
        self.rewrites = PathIndex()
        self.superseded: set[int] = set()  # ids of rewrite Operations a later deletion of this RUN made moot
        self.removals = PathIndex()  # the deletions so far, by path
        self._failing: dict[int, set] = {}  # id(code) -> ids of its commands whose failure fails the RUN

    # -- what readers ask

    @property
    def span(self) -> Span:
        return self.code.span(self.outer.start, self.outer.end)

    @property
    def text(self) -> str:
        return _text(self.inner)

    @property
    def cwd(self) -> str | None:
        return self.sub_cwd if self.outer is not None and self.outer.in_subshell and self.sub_cwd else self.main_cwd

    @property
    def base_image(self) -> str:
        return self.fs.base_image(self.node)

    def values(self, word) -> list[str]:
        if word.value is not None:
            return word.values() or [word.value]
        env = dict(self.env)
        resolved = word.resolve(env)
        if resolved is None and len(word.parts) == 1 and getattr(word.parts[0], "kind", None) == "command":
            # `cd "$(dirname "$ext")"`: the directory of a known path
            found = re.fullmatch(_DIRNAME, word.parts[0].text)
            value = env.get(found.group(1) or found.group(2)) if found else None
            resolved = posixpath.dirname(value.rstrip("/")) if value else None
        if resolved is None and isinstance(word.parts[0], str) and all(
                isinstance(p, str) or p.kind == "variable" and p.op is None and p.name in self.symbols
                and p.name not in env for p in word.parts):
            # `./${SCOPE}-entrypoint.sh`: what `COPY scripts/${SCOPE}-entrypoint.sh ./` names the same way (see
            # `sources.symbolic`); after a literal start, so that the argument cannot be an absolute path.
            resolved = "".join(p if isinstance(p, str) else "${" + self.symbols[p.name] + "}" for p in word.parts)
        return [resolved] if resolved is not None else []

    def value(self, word) -> str | None:
        if word is None:
            return None
        found = self.values(word)
        return found[0] if len(found) == 1 else None

    def path(self, word_or_text, cwd: str | None = None) -> str | None:
        text = word_or_text if isinstance(word_or_text, str) or word_or_text is None else self.value(word_or_text)
        if not text:
            return None
        return _resolve(text, cwd if cwd is not None else self.cwd, self.home)

    # -- what readers record

    def add(self, path: str | None, what: str, *, tree: bool = False, owned: bool = True, empty: bool = False,
            cache: str | None = None) -> Added | None:
        if path is None or path in ("/dev/null", "/dev/stdout", "/dev/stderr") or path.startswith(("/dev/", "/proc/")):
            return None
        if self.fs.mounted(self.effects, path):
            return None
        added = Added(path, self.node, what, tree=tree, owned=owned, empty=empty, cache=cache, span=self.span)
        self.order[id(added)] = len(self.effects.added)
        self.effects.added.append(added)
        self.index.add(path, added)
        return added

    def extract(self, target: str, explicit: bool, top: str | None = None) -> None:
        """An archive unpacked into `target`: its own tree when this RUN created the directory or it was
        named explicitly and is not a shared or temporary one, else files merged among others. `top`: the
        directory the archive is taken to unpack to (`foo-1.0` of foo-1.0.tar.gz), added as a tree of its own
        when the files are merged among others."""
        for added in self.index.at(target):
            if added.empty:
                added.empty, added.what = False, "extract"
                return
        owned = explicit and target not in _SHARED_DIRS and target not in _TEMP_DIRS and target != self.home
        self.add(target, "extract", tree=True, owned=owned)
        if not owned and top:
            added = self.add(normalize(posixpath.join(target, top)), "extract", tree=True)
            if added is not None:
                added.assumed = f"the archive unpacks to {top}/"

    def operate(self, kind: str, path: str | None, verb: str, *, recursive: bool = False, exact: bool = True,
                command: str | None = None, assumed: str | None = None, exists: bool = False) -> None:
        """A deletion or rewrite of `path`; `exists`: the command fails when nothing is there (see `fails_run`)."""
        if path is None:
            return
        if self.fs.mounted(self.effects, path):
            return
        op = Operation(kind, path, recursive, command or _text(self.outer), self.span, self.node, verb, exact,
                       assumed=assumed, exists=exists and self.fails_run())
        op.builds = len(self.effects.builds)
        related = sorted(self.index.query(path), key=lambda pair: self.order[id(pair[1])])
        # An operation on what this RUN wrote acts on that, not on earlier layers; but a cleanup of a cache
        # directory also empties what earlier layers left there, and so does one of a directory this RUN only
        # merged files into (`tar xzf npm.tgz` in a WORKDIR an earlier RUN downloaded to, `cp -r root/* /`).
        op.shadowed = any(not a.empty and not a.cache and (rel in ("same", "below") and a.owned
                                                           or rel == "same" and not a.tree)
                          for rel, a in related)
        if kind == "remove":
            self.removals.add(path, op)
            self._drop_local(op, related)
            if exact:
                # A file changed in place and then deleted by the same RUN: all that reaches earlier layers is
                # the deletion.
                for _, earlier in self.rewrites.query(path):
                    if _hides(op, earlier.path, earlier.recursive):
                        self.superseded.add(id(earlier))
                        self.rewrites.remove(earlier.path, earlier)
        elif verb != "mv":
            self.rewrites.add(path, op)
        self.effects.operations.append(op)

    def write(self, path: str | None, verb: str, command: str | None = None) -> None:
        """A file written whole (`>`, `tee`, `touch`) or appended to (`>>`, `tee -a`): a rewrite of what an earlier
        layer has at that path, and a file of this layer."""
        if path is None or path.startswith(("/dev/", "/proc/")):
            return
        self.file(path)
        self.operate("rewrite", path, verb, command=command)
        self.add(path, "file written", empty=verb == "touch")

    def file(self, path: str | None) -> None:
        """The RUN uses `path` as a file (reads it, writes it, sources it): it is not a directory."""
        if path is not None:
            self.effects.files.append(path)

    def executable(self, path: str | None) -> None:
        """`chmod +x path`, which fails the RUN when nothing is there: a program, so a file (a directory has `+x`)."""
        if path is not None and self.fails_run():
            self.effects.executables.append(path)

    def packages(self, manager: str, names: frozenset, installed: bool, virtual: str | None = None) -> None:
        found = Packages(manager, names, self.span, self.node, self.text, virtual)
        if installed:
            self.effects.installed.append(found)
            return
        self.effects.uninstalled.append(found)
        # Installed and removed by the same RUN: never in a layer, so a later removal hides nothing.
        kept = []
        for earlier in self.effects.installed:
            if earlier.manager == manager:
                if earlier.virtual and earlier.virtual in names:
                    continue
                earlier.names = earlier.names - names
                if not earlier.names and not earlier.virtual:
                    continue
            kept.append(earlier)
        self.effects.installed = kept

    def built(self, directory: str | None) -> None:
        """A build ran in `directory` (make, ./configure, a script): it may have written anything under it."""
        if directory is not None:
            self.effects.builds.append(directory)

    def depends(self, dependencies) -> None:
        self.effects.dependencies.append(dependencies)

    def chdir(self, path: str | None) -> None:
        if self.outer.in_subshell:
            self.sub_cwd = path
        else:
            self.main_cwd = path
        if path is not None:
            self.effects.entered.append(path)
            targets = [path] + [target for link, target in self.effects.links if link == path]
            for added in (a for target in targets for a in self.index.at(target)):
                added.assumed = None  # `tar xzf foo-1.0.tar.gz && cd foo-1.0`: so it does unpack there

    def link(self, link: str | None, target: str | None) -> None:
        """`ln -s target link`: a link is a few bytes; where it leads confirms what an archive unpacked to."""
        if link is None:
            return
        self.add(link, "link", empty=True)
        if target is not None:
            self.effects.links.append((link, target))

    def mounted(self, path: str | None) -> bool:
        """Whether `path` is under a `RUN --mount` target: what is written there never reaches the layer."""
        return path is not None and self.fs.mounted(self.effects, path)

    def removed(self, path: str) -> bool:
        """Whether the file `path` was deleted before the command being read: earlier in this RUN, or by an
        earlier layer of the stage's lineage."""
        return any(rel == "same" or rel == "below" and op.recursive for rel, op in self.removals.query(path)) or \
            self.fs.removed_before(self.node, path)

    def fails_run(self) -> bool:
        """Whether the command being read fails the RUN, and so the build, when it fails: a step of the RUN's own
        code followed by `&&` up to the end, not inside a condition, loop, function, pipeline, subshell or
        substitution, and with no `||` or `if`/`while` condition before it that could let the RUN skip it."""
        outer, code = self.outer, self.code
        if outer is None or code is None or code.parent is not None or outer.negated or outer.in_pipeline or \
                outer.background or outer.in_loop or outer.in_function or outer.in_substitution or outer.in_subshell:
            return False
        found = self._failing.get(id(code))
        if found is None:  # once per code: the steps whose failure ends the RUN
            commands = code.script.commands
            ends, found = True, set()
            for i in range(len(commands) - 1, -1, -1):
                ends = commands[i].connector is None if i == len(commands) - 1 else \
                    ends and commands[i].connector == "&&"
                if ends:
                    found.add(i)
            for i, c in enumerate(commands):
                if c.connector == "||" or c.in_condition and c.connector != "&&":
                    found = {j for j in found if j <= i}
                    break
            found = self._failing[id(code)] = {id(commands[i]) for i in found}
        return id(outer) in found

    def is_dir(self, path: str | None) -> bool:
        """Whether `path` is known to be a directory: a shared one, or one this RUN created."""
        if path is None:
            return False
        if path in _SHARED_DIRS or path in _TEMP_DIRS or path in _BIN_DIRS or path == self.workdir:
            return True
        return any(a.tree for a in self.index.at(path))

    def move(self, source: str | None, target: str | None, into: bool) -> bool:
        """`mv` of what this RUN created: it is now at `target` (inside it when `into`). False when the RUN
        created nothing at `source`."""
        if source is None or target is None:
            return False
        moved = False
        for rel, added in self.index.query(source):
            if rel != "same" or added.empty:
                continue
            self.index.remove(added.path, added)
            added.path = normalize(posixpath.join(target, posixpath.basename(added.path))) if into else target
            self.index.add(added.path, added)
            moved = True
        return moved

    def extracted(self, path: str | None) -> bool:
        """Whether `path` lies in what an archive this RUN unpacked (`unzip x-1.0.zip -d /opt && mv /opt/x-1.0 ...`)."""
        return path is not None and any(rel == "below" and a.what == "extract" for rel, a in self.index.query(path))

    def unknown(self, text: str) -> None:
        self.effects.unknown.append(text)

    def _drop_local(self, op: Operation, related: list) -> None:
        """A deletion of what this same RUN created: nothing of it stays."""
        for rel, added in related:
            whole = op.exact and (
                rel == "same" and (op.recursive or not added.tree)
                or rel == "above" and op.recursive
                or rel == "below" and added.tree and (added.cache or added.empty) and all_wildcards(op.path, added.path)
                and (op.recursive or added.cache is not None)
            )
            if whole:
                self.effects.cleaned.append((added, op))
                self.dropped.add(id(added))
                self.index.remove(added.path, added)

    # -- walking

    def walk(self) -> None:
        for code in self.model.shell_code(self.node):
            self._walk(code)
        self.outer = self.inner = self.command = self.tool = self.action = None
        if self.dropped:
            self.effects.added = [a for a in self.effects.added if id(a) not in self.dropped]
        if self.superseded:
            self.effects.operations = [o for o in self.effects.operations if id(o) not in self.superseded]

    def _walk(self, code) -> None:
        grouped = set()  # redirects of a `{ ...; } > file` or a loop: written once, by the first command inside
        for command in code.script.commands:
            if command.in_function:
                continue
            self.code = code
            self.outer = command
            if not command.in_subshell:
                self.sub_cwd = None
            redirects = list(command.redirects) + [r for r in command.group_redirects if id(r) not in grouped]
            grouped.update(id(r) for r in command.group_redirects)
            for redirect in redirects:
                if redirect.writes and redirect.op in (">", ">|", "&>", ">>", "&>>") and redirect.target is not None:
                    target = self.path(redirect.target)
                    if target:
                        self.write(target, ">>" if redirect.op.endswith(">>") else ">",
                                   f"{_text(command)} {redirect.op} {redirect.target.text}".lstrip())
            inner = command.effective()
            self.inner = inner
            if not inner.argv:
                for name, word in command.assignments:
                    value = word.value if word is not None else None
                    if value is not None:
                        self.env[name] = value
                    self.symbols.pop(name, None)  # the shell sets it: no longer the build argument's value
                continue
            if inner.basename == "export":
                for word in inner.args:
                    if word.value and "=" in word.value:
                        key, _, value = word.value.partition("=")
                        self.env[key] = value
                    self.symbols.pop(word.text.partition("=")[0], None)
                continue
            env_before = self.env
            if inner.assignments or command.loop:
                self.env = dict(self.env)
                self.env.update(command.loop)  # `for r in a/*/requirements.txt`: each match, as the glob
                for key, word in inner.assignments:
                    if word is not None and word.value is not None:
                        self.env[key] = word.value
            self.run(inner)
            nested = code.nested(command)
            if nested is not None:
                # `sh -c '...'`: a child shell, whose `cd` and variables do not come back.
                saved = self.main_cwd, self.sub_cwd, self.env
                self.main_cwd, self.sub_cwd, self.env = self.cwd, None, dict(self.env)
                self._walk(nested)
                self.main_cwd, self.sub_cwd, self.env = saved
                self.code, self.outer, self.inner = code, command, inner
            self.env = env_before

    def run(self, command, implied=()) -> None:
        """Read `command` (wrappers stripped) with its catalog entry. `implied`: (directory, exact) pairs
        for the files a `find -exec` or `xargs` adds to its operands (exact: every file under it)."""
        from .commands import lookup

        found = lookup(command)
        if found is None and (command.name or "").startswith(("./", "../")):
            self.built(self.cwd)  # a script of the project
        if "/" in (command.name or "") and "$" not in command.name:
            program = self.path(command.name)
            if program is not None:
                self.effects.programs.append(program)  # run by its path: a file
        if found is None or found[0].read is None:
            return
        saved = self.tool, self.command, self.action, self.implied
        self.tool, self.command = found
        self.action = self.tool.action(self.tool, self.command) if self.tool.action else None
        self.implied = tuple(implied)
        self.tool.read(self)
        self.tool, self.command, self.action, self.implied = saved

    def feeding(self) -> list:
        """The commands piped into the one being read, wrappers stripped, first first."""
        outer = self.outer
        if outer is None or outer.pipeline is None or outer.pipeline_index == 0:
            return []
        return [c.effective() for c in self.code.script.commands
                if c.pipeline == outer.pipeline and c.pipeline_index < outer.pipeline_index]


def _text(command, limit: int = 120) -> str:
    """How messages name a command: its words, cut at `limit` characters."""
    shown, size = [], -1
    for word in command.argv:
        shown.append(word.text)
        size += len(word.text) + 1
        if size >= limit:
            break
    return " ".join(shown)[:limit]


def _hides(op: Operation, path: str, tree: bool) -> bool:
    rel = relation(op.path, path)
    if rel == "same":
        return op.recursive or not tree
    return rel == "above" and op.recursive
