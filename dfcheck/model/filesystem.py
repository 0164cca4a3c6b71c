"""What each layer does to the image's filesystem: the paths it adds, removes and rewrites.

A layer is a RUN, COPY, ADD or WORKDIR. What a COPY or ADD brings, and where, comes from the sources
model (`model.sources`). A RUN's shell commands are read in order by the walker (`walker.RunWalker`),
each through its entry in the command catalog (`commands`): downloads, clones, extractions, copies and
moves, package-manager caches and indexes, what installs and builds write into the project, installed
packages; deletions (rm, find -delete, clean commands, purged packages) and rewrites (chown, chmod,
mv, sed -i, strip). What a RUN writes under a `--mount` target (cache, bind, tmpfs, secret) never
reaches the layer. Within one RUN, what is created and then deleted leaves nothing: only the net
effect is kept.

`Filesystem.waste(stages)` then follows the layers of a stage chain in order and pairs each deletion
or rewrite with the earlier layers whose bytes it hides: those bytes stay in the image. `Model.waste`
is that for the stages that ship, computed once.

Nothing here runs until asked: `model.filesystem` is created on first access, and each layer's
effects are computed (and its shell code parsed) only when something asks for that layer.

The results (what a layer adds, removes and rewrites, and the waste found) are plain records in `effects.py`.

The file is a little over 600 lines: the pairing of operations with earlier layers (`waste`, `_hide`, `_overwrite`
and their helpers) reads as one piece, and splitting it would scatter the cases it weighs against each other.
"""

from __future__ import annotations

import posixpath
import re

from ..records import replace
from ..syntax.nodes import Instruction
from . import stage_trees
from .commands.interpreters import SHELLS as _SHELLS
from .effects import REGENERATES, WRITES, Added, LayerEffects, Operation, Packages, Waste, all_wildcards
from .paths import BIN_DIRS, SHARED_DIRS, TEMP_DIRS, PathIndex, glob_match, has_glob, normalize, parts, relation
from .paths import under as _under
from .sources import RUNTIME_DIRS


_NAME = re.compile(r"[A-Za-z0-9_.+-]+")
_INSTALL = "\0install"  # the key of `read` for RUNs that install dependencies from manifests


def _manifest_names():
    """The names of the manifests and other files installs read (`package.json`, `.npmrc`)."""
    from .commands.languages import READERS

    return READERS.keys()


def _readers(name: str) -> tuple[str, ...]:
    """The programs that read a manifest or lock file (`yarn` for .yarnrc.yml, `pip` for pyproject.toml): a RUN that
    runs one reads it, whatever its verb (`yarn workspaces focus`)."""
    from .commands.languages import READERS

    return READERS.get(name, ())


# -- the model part --------------------------------------------------------------------------

class Filesystem:
    """Effects per layer, computed on demand, and the waste along a chain of stages."""

    def __init__(self, model):
        self.model = model
        self._effects: dict[int, LayerEffects] = {}
        self._waste: dict[tuple, list[Waste]] = {}
        self._users: dict[int, str | None] | None = None
        self._lineages: dict[int, tuple] = {}
        self._removed: dict[tuple, bool] = {}  # (id(layer), path) -> deleted by that layer or an earlier one
        self._made: dict[int, PathIndex] = {}  # id(stage) -> what its lineage's layers add, by path
        self._context_files: set[str] | None = None  # the context files COPY/ADD name one by one
        self._removals: dict[int, list] = {}  # id(stage) -> its lineage's deletions and moves (`stage_trees`)

    def effects(self, node: Instruction) -> LayerEffects:
        key = id(node)
        found = self._effects.get(key)
        if found is None:
            found = self._compute(node)
            self._effects[key] = found
        return found

    def layers(self, stage) -> list[LayerEffects]:
        return [self.effects(node) for node in stage.layers]

    # -- helpers shared with the walker

    def home(self, node: Instruction, env: dict | None = None) -> str:
        env = env if env is not None else self.model.scope(node).values()
        if env.get("HOME"):
            return env["HOME"]
        user = self.user(node)
        if user in (None, "", "root", "0") or user.startswith(("root:", "0:")):
            return "/root"
        name = user.split(":", 1)[0]
        return "/root" if name.isdigit() and name == "0" else f"/home/{name}"

    def user(self, node: Instruction) -> str | None:
        """The USER in effect for `node` (following the FROM chain); None when the base image decides."""
        setting = self.model.user(node)  # indexed by the model: a scan per RUN was quadratic
        return setting.value if setting is not None else None

    def base_image(self, node: Instruction) -> str:
        stage = self.model.stage_of(node)
        if stage is None:
            return ""
        return self.model.lineage(stage)[0].base.lower().rsplit("/", 1)[-1]

    def removed_before(self, node: Instruction, path: str) -> bool:
        """Whether a layer before `node`, in its stage or a stage it is built FROM, deleted the file `path`
        (`rm -f /etc/apt/apt.conf.d/docker-clean`). Each layer's answer (by its end) is kept, so a question walks
        back only to the last layer already answered for that path."""
        stage = self.model.stage_of(node)
        if stage is None:
            return False
        layers, position = self._lineage_layers(stage)
        end = position.get(id(node), len(layers))  # a node that is no layer: every layer of its stage counts
        start = end
        while start > 0 and (id(layers[start - 1]), path) not in self._removed:
            start -= 1
        removed = self._removed[(id(layers[start - 1]), path)] if start > 0 else False
        for layer in layers[start:end]:
            removed = removed or any(op.kind == "remove" and _deletes(op, path)
                                     for op in self.effects(layer).operations)
            self._removed[(id(layer), path)] = removed
        return removed

    def _lineage_layers(self, stage) -> tuple[list[Instruction], dict[int, int]]:
        """The layers of `stage`'s lineage in build order, and each one's position (by id), made once."""
        found = self._lineages.get(id(stage))
        if found is None:
            layers = [layer for owner in self.model.lineage(stage) for layer in owner.layers]
            found = self._lineages[id(stage)] = (layers, {id(layer): i for i, layer in enumerate(layers)})
        return found

    @staticmethod
    def mounted(effects: LayerEffects, path: str) -> bool:
        return any(_under(path, target) for _, target in effects.mounts)

    # -- computing one layer

    def _compute(self, node: Instruction) -> LayerEffects:
        effects = LayerEffects(node)
        kw = node.keyword
        if kw == "RUN":
            self._mounts(node, effects)
            from .walker import RunWalker

            RunWalker(self, node, effects).walk()
        elif kw in ("COPY", "ADD"):
            self._copy(node, effects)
        elif kw == "WORKDIR":
            path = self.model.workdir(node)
            if node.args:
                value = self.model.expand(node, node.args[0].value).value
                path = normalize(posixpath.join(path, value))
            effects.added.append(Added(path, node, "WORKDIR", tree=True, empty=True, span=node.args[0].span
                                       if node.args else node.span))
        return effects

    def _mounts(self, node: Instruction, effects: LayerEffects) -> None:
        for flag in node.flags:
            if flag.name != "mount" or not flag.value:
                continue
            options = {}
            for item in _split_csv(self.model.expand(node, flag.value).value):
                key, eq, value = item.partition("=")
                options[key.strip().lower()] = value.strip() if eq else "true"
            kind = options.get("type", "bind")
            target = options.get("target") or options.get("dst") or options.get("destination")
            if kind == "secret" and not target:
                target = "/run/secrets/" + (options.get("id") or posixpath.basename(options.get("src", "") or
                                                                                    options.get("source", "")))
            if kind == "ssh" and not target:
                continue
            if target:
                target = normalize(posixpath.join(self.model.workdir(node), target))
                effects.mounts.append((kind, target))
            if kind == "bind" and "from" not in options:
                effects.bind_sources.append(options.get("source") or options.get("src") or ".")

    def _copy(self, node: Instruction, effects: LayerEffects) -> None:
        found = self.model.sources(node)
        if found and found[0].dest is None:
            effects.unknown.append(f"destination {node.args[-1].value!r} depends on unknown variables")
            return
        for source in found:
            if source.unknown:
                effects.unknown.append(source.unknown)
            landing = source.landing(single=len(found) == 1)
            if landing is None:
                continue
            assumed = f"{source.text.rstrip('/')} is a directory" if landing.guessed else None
            # What an earlier layer has where this source lands is copied again (see `_overwrite`).
            shown = f"{node.keyword} --from={source.stage} {source.text}" if source.stage else f"{node.keyword} {source.text}"
            effects.operations.append(Operation("rewrite", landing.path, landing.tree, shown, source.span, node, "COPY"))
            effects.added.append(Added(landing.path, node, landing.what, tree=landing.tree, owned=landing.owned,
                                       span=source.span, loader=landing.loader, guessed=landing.guessed,
                                       assumed=assumed))

    # -- waste along a chain of stages

    def waste(self, stages) -> list[Waste]:
        """Pairs every deletion and rewrite in `stages` (a FROM chain, root first) with the earlier
        layers whose bytes it hides. Computed once per chain: DF201-DF203 and the layers report share it.

        What earlier layers added is filed by path (`PathIndex`), and so are the files of a copy once an
        operation reaches inside it, so that each operation looks only at what it touches."""
        key = tuple(id(s) for s in stages)
        found = self._waste.get(key)
        if found is not None:
            return found
        found = []
        alive = PathIndex()
        count = 0
        installed: dict[str, list[Packages]] = {}
        links: dict[str, str] = {}
        entered: set[str] = set()  # directories a WORKDIR or cd went into: what an archive unpacked to, for sure
        builds = PathIndex()  # where builds ran, with the count of additions before them
        # Paths some RUN uses as files (`sed -i`, `> path`, `chmod 644`): a source taken for a directory is a file.
        as_file = {path for stage in stages for node in stage.layers for path in self.effects(node).files}
        # Paths the Dockerfile runs (a RUN, ENTRYPOINT or CMD): files, which a copy is taken to hold.
        programs = {path for stage in stages for node in stage.layers for path in self.effects(node).programs}
        programs.update(path for stage in stages for node in stage.instructions
                        if node.keyword in ("ENTRYPOINT", "CMD") for path in self._program(node))
        as_file |= programs
        # Paths a `chmod +x` needs (it fails the build without them): programs inside a tree of unknown content.
        executables = {path for stage in stages for node in stage.layers for path in self.effects(node).executables}
        # The names each RUN mentions or installs from, with the count of additions before it: a file copied
        # alone and then copied again by a broad COPY was copied first for a RUN in between only if one reads it.
        read: dict[str, int] = {}
        for stage in stages:
            for node in stage.layers:
                effects = self.effects(node)
                if node.keyword == "RUN":
                    read[stage_trees.RUN] = count
                    for name in _NAME.findall(" ".join([node.original] + [h.content for h in node.heredocs])):
                        read[name] = count
                    if effects.dependencies:  # an install may read any file its manifests include
                        read[_INSTALL] = count
                links.update(effects.links)
                for path in effects.entered + [a.path for a in effects.added if a.what == "WORKDIR"]:
                    entered.add(links.get(path, path))
                new_alive: list[Added] = []
                for op in effects.operations:
                    if not op.shadowed:
                        hidden = self._overwrite(op, alive, read) if op.verb == "COPY" else \
                            self._hide(op, alive, new_alive, builds, effects.builds, as_file, programs, executables)
                        for waste in hidden:
                            added = waste.added
                            # A name taken for a directory matters only for what is deleted inside it.
                            if added.assumed and added.path not in entered and not (added.guessed and waste.whole) \
                                    and added.assumed not in (waste.assumed or ""):
                                waste.assumed = " and ".join(filter(None, (added.assumed, waste.assumed)))
                            if op.assumed and op.assumed not in (waste.assumed or ""):
                                waste.assumed = " and ".join(filter(None, (waste.assumed, op.assumed)))
                            found.append(waste)
                for removal in effects.uninstalled:
                    for earlier in installed.get(removal.manager, ()):
                        names = set(earlier.names) | ({earlier.virtual} if earlier.virtual else set())
                        if names & removal.names:
                            whole = earlier.names <= removal.names or earlier.virtual in removal.names
                            found.append(Waste(removal, earlier, None, whole))
                # `sed -i` of a copied file: the layer's own record of the file stands for the copy it made.
                written = {a.path for a in effects.added}
                for added in [a for a in new_alive if a.path not in written] + effects.added:
                    alive.add(added.path, _Alive(added, count))
                    count += 1
                for directory in effects.builds:
                    builds.add(directory, count)
                for packages in effects.installed:
                    installed.setdefault(packages.manager, []).append(packages)
        self._waste[key] = found
        return found

    def alternatives(self, chains) -> list[Waste]:
        """The waste of the chains of stages a build may follow (a FROM naming a stage through variables unknown at
        lint time), each once. What only some chains waste says which stage it assumed the FROM builds on."""
        whole = tuple(tuple(id(s) for s in chain) for chain in chains)
        if whole in self._waste:
            return self._waste[whole]
        per_chain = [self.waste(chain) for chain in chains]
        keys = [{(id(w.operation), id(w.added)) for w in wastes} for wastes in per_chain]
        found, seen = [], set()
        for chain, wastes in zip(chains, per_chain):
            picks = [f"`FROM {stage.node.values[0]}` at line {stage.node.span.line} builds on {chain[i - 1].label}"
                     for i, stage in enumerate(chain) if i and stage.candidates]
            for waste in wastes:
                key = (id(waste.operation), id(waste.added))
                if key in seen:
                    continue
                seen.add(key)
                if picks and not all(key in other for other in keys):
                    waste = replace(waste, assumed=" and ".join(filter(None, [waste.assumed] + picks)))
                found.append(waste)
        self._waste[whole] = found
        return found

    def _overwrite(self, op: Operation, alive: PathIndex, read: dict[str, int]) -> list[Waste]:
        """A COPY onto what earlier layers added: the earlier bytes stay in their layer. A file replaced by a file, a
        copied file or tree copied again (`COPY . .` then `COPY pyproject.toml .` or `COPY --chown=app . .`), or the
        files of a tree known from the build context. A broad COPY over a narrow one is not a rewrite when a RUN in
        between reads what the narrow one brought: copying the manifests first, installing, and the rest after is
        how the build cache is kept (DF101); with no such RUN, the first copy is only paid twice."""
        found = []
        related = sorted(alive.query(op.path), key=lambda pair: pair[1].seq)
        # `COPY a.sh /docker-entrypoint.d` into a directory an earlier layer made: the file lands inside it.
        into_directory = op.path in SHARED_DIRS or op.path in TEMP_DIRS or op.path in BIN_DIRS or any(
            rel == "same" and entry.added.tree for rel, entry in related)
        for rel, entry in related:
            added = entry.added
            # A directory copied first may be what an install in between reads (workspace packages), whatever its
            # name: copied again with no RUN in between, it is only paid twice.
            if rel == "above" and op.recursive and not added.empty and self._last_read(added, read) <= entry.seq and \
                    (not added.tree or read.get(stage_trees.RUN, -1) <= entry.seq) and (
                    self._same_file(op, added) or stage_trees.inherited(self, op, added, added.path)):
                # From two places (a stage, the context), the same through what the stage copied from the context,
                # or through the stage the other is built on.
                two = stage_trees.source_of(self, op).stage != stage_trees.source_of(self, added).stage
                found.append(Waste(replace(op, path=added.path), added, entry.known_size, True,
                                   (stage_trees.inherited(self, op, added, added.path) or
                                    stage_trees.assumption(self, op, added, added.path)) if two else None))
                alive.remove(added.path, entry)
                continue
            if rel in ("same", "above") and op.recursive and added.node.keyword == "RUN" and added.tree and \
                    added.owned and not (added.empty or added.unnamed or added.cache):
                # A copy over a tree a RUN made (a venv, node_modules, a skeleton project, a clone).
                assumed = self._copied_over(op, added, rel)
                if assumed is not None:
                    found.append(Waste(replace(op, path=added.path), added, None, False, assumed or None))
                continue
            if rel == "above" and op.recursive and self._context_rewrites(op, added):
                # `cat .ruby-version.raw | tr -d ' ' > .ruby-version`, then `COPY . .`: the context's own file again.
                found.append(Waste(replace(op, path=added.path), added, None, True))
                alive.remove(added.path, entry)
                continue
            if rel in ("same", "above") and op.recursive and added.node.keyword == "RUN" and \
                    not (added.empty or added.unnamed or added.cache) and not (added.tree and added.owned):
                # `pip install --upgrade pip` here and in the builder, then `COPY --from=builder /usr/local/bin ...`
                found.extend(stage_trees.held_by_stage(self, op, added))
                continue
            if rel in ("same", "above") and op.recursive and added.tree and added.what.startswith(("COPY", "ADD")) \
                    and self._same_origin(op, added) is None:
                # `COPY --from=base /var/www/html .` (base copied composer.json there), then `COPY . .`; or `COPY ./meta
                # .`, then `COPY --from=assets /usr/src/app .` (assets copied ./meta there)
                found.extend(stage_trees.recopied(self, op, added, entry, read))
                continue
            if added.empty or added.unnamed or rel == "above":
                continue
            if rel == "below":  # the path is inside an earlier tree
                if added.files is not None:
                    hidden = entry.hits(op)
                    if hidden:
                        found.append(Waste(op, added, sum(added.files[i][1] for i in hidden), len(hidden) == entry.left))
                        entry.hide(hidden)
                        if not entry.left:
                            alive.remove(added.path, entry)
                elif self._same_origin(op, added) is True:
                    found.append(Waste(op, added, None, False))
                elif stage_trees.same_context_path(self, op, added, op.path):
                    # `COPY --from=builder /app /app`, then `COPY libs /app/libs`, which the builder copied there.
                    found.append(Waste(op, added, None, False, stage_trees.assumption(self, op, added, op.path)))
                else:
                    # `COPY java.security $JAVA_HOME/conf/security/` over a copied JDK; a vendor/ over the one a stage
                    # copied into the tree it gave
                    assumed = self._image_tree(added, op.path) or stage_trees.stage_holds(self, op, added) or \
                        self._patched(op, added)
                    if assumed is not None:
                        found.append(Waste(op, added, None, False, assumed))
                continue
            if not added.tree and not op.recursive and not into_directory:
                found.append(Waste(op, added, entry.known_size, True))
                alive.remove(added.path, entry)
            elif added.tree and op.recursive:
                same = self._same_origin(op, added)
                if same or same is False and op.path not in SHARED_DIRS and not any(
                        op.path == d or op.path.startswith(d + "/") for d in TEMP_DIRS):
                    found.append(Waste(op, added, entry.known_size, True, None if same else (
                        f"both copies of {added.path} hold the same files")))
                    alive.remove(added.path, entry)
        return found

    def _last_read(self, added: Added, read: dict[str, int]) -> int:
        """The count of additions before the last RUN that reads a file the COPY of `added` brought: by its name, by the
        program that reads it, or by installing from manifests. A file copied with the manifests an install reads
        (`COPY package.json playwright.config.ts ./web/`) was copied for that install too."""
        names = {posixpath.basename(s.text.rstrip("/")) for s in self.model.sources(added.node) if s.text} | \
            {posixpath.basename(added.path)}
        for pattern in [n for n in names if has_glob(n)]:
            # `COPY package*.json ./`: the names a RUN reads that the pattern matches (asked once per such copy that
            # a broad COPY reaches, over the words read so far), and the manifests it matches, whose readers read it.
            names.update(n for n in read if glob_match(pattern, n))
            names.update(n for n in _manifest_names() if glob_match(pattern, n))
        return max(read.get(n, -1) for name in names for n in (name, _INSTALL) + _readers(name))

    def _copied_over(self, op: Operation, added: Added, rel: str) -> str | None:
        """Whether the COPY `op` brings files into the tree `added` that a RUN made: "" when known (the build
        context lists it, or the stage copied from added it), what it assumes when the listing is not known, None
        when it is taken not to. A copy right onto the tree (`COPY --from=build /venv /build` after `python -m venv
        /build`) is taken to hold some of its files; a copy of the context above it (`COPY . .` after `npm ci`)
        only when the context has them, as a .dockerignore usually leaves node_modules out."""
        later = next((s for s in self.model.sources(op.node) if s.span == op.span), None)
        if later is None:
            return None
        origin = later.origin(added.path)
        name = posixpath.basename(added.path)
        if later.kind == "stage":
            if origin is None:
                return None
            stage = self.model.stage_named(later.stage) if later.stage else None
            if stage is not None and self._made_in(stage, origin):
                return "" if not stage_trees.deleted_in(self, stage, origin) else None
            return f"the copied tree holds {name}" if rel == "above" else \
                f"the copied tree replaces files of the {added.what}"
        context = self.model.context
        if later.kind not in ("context", "dir") or origin is None:
            return None
        if context is not None:
            return "" if context.kind(origin) is not None else None
        return f"the copied tree replaces files of the {added.what}" if rel == "same" else None

    def _made_in(self, stage, path: str) -> bool:
        """Whether a layer of `stage` (or of the stages it is built on) adds something at `path` or under it."""
        return any(rel in ("same", "above") for rel, _ in self._made_by(stage).query(path))

    def _stage_file(self, added: Added) -> bool:
        """Whether `added`, a copy from another stage taken for a directory by its name, is a file a layer of that
        stage made (`go build -o /out/server`). Asked only when an operation reaches it: it walks that stage's RUNs."""
        if not added.guessed or not added.what.startswith(("COPY --from", "ADD --from")):
            return False
        source = next((s for s in self.model.sources(added.node) if s.span == added.span), None)
        stage = self.model.stage_named(source.stage) if source is not None and source.kind == "stage" else None
        if stage is None:
            return False
        path = posixpath.normpath("/" + source.text.lstrip("/"))
        return any(rel == "same" and not made.tree for rel, made in self._made_by(stage).query(path))

    def _made_by(self, stage) -> PathIndex:
        """What the layers of `stage`'s lineage add, by path (empty while it is being made: stages that copy from
        each other ask about one another)."""
        index = self._made.get(id(stage))
        if index is None:
            self._made[id(stage)] = PathIndex()  # what a question asked while this one is answered gets
            index = PathIndex()
            for s in self.model.lineage(stage):
                for node in s.layers:
                    for added in self.effects(node).added:
                        if not added.empty:
                            index.add(added.path, added)
            self._made[id(stage)] = index
        return index

    def _in_archive(self, op: Operation, added: Added) -> bool:
        """Whether the write `op` goes to a file inside the tree an earlier RUN unpacked (`added`), in a directory the
        archive would hold: not one the writing RUN makes itself (`mkdir -p nifi/conf.d && echo > nifi/conf.d/x`)."""
        if added.what != "extract" or not added.owned or has_glob(op.path):
            return False
        parent = posixpath.dirname(op.path)
        return not any(a.tree and relation(a.path, parent) in ("same", "above") and
                       relation(added.path, a.path) == "above" for a in self.effects(op.node).added)

    def _context_rewrites(self, op: Operation, added: Added) -> bool:
        """Whether the broad COPY `op` of the build context brings a file at the path where a RUN redirected output
        (`added`), the context known to hold it: listed, or copied by name by an earlier COPY. A manifest or lock
        file an install rewrote is the manifest-first pattern (DF101), not this."""
        if added.node.keyword != "RUN" or added.what != "file written" or added.tree or added.empty or \
                _readers(posixpath.basename(added.path)):
            return False
        later = next((s for s in self.model.sources(op.node) if s.span == op.span), None)
        origin = later.origin(added.path) if later is not None and later.kind in ("context", "dir") and \
            later.stage is None else None
        if origin is None or not any(o.verb in (">", ">>") and o.path == added.path
                                     for o in self.effects(added.node).operations):
            return False
        context = self.model.context
        if context is not None:
            return context.kind(origin) == "file"
        if self._context_files is None:
            self._context_files = {posixpath.normpath(s.text.strip("/")) for stage in self.model.stages
                                   for node in stage.instructions if node.keyword in ("COPY", "ADD")
                                   for s in self.model.sources(node) if s.kind == "file" and s.stage is None}
        return origin in self._context_files

    def _patched(self, op: Operation, added: Added) -> str | None:
        """What is assumed when the COPY `op` of one file of the build context, to a path it names in full, deep
        inside a tree an earlier copy of the context brought whose content is not known, under the file's own name,
        replaces a file of that tree (`COPY orange3 /orange3`, then `COPY patches/canvasmain.py
        /orange3/Orange/canvas/canvasmain.py`: a patched file over the original). None when not taken to: a file
        put into the tree's top directory or one below may be a new one (a settings file the context leaves out,
        `COPY .env ./backend/.env`), and a tree that lands in a directory the image shares (`ADD bin/tool /`) is no
        project whose structure the path follows."""
        if added.what not in ("COPY", "ADD") or added.files is not None or \
                len(parts(op.path)) - len(parts(added.path)) < 3 or \
                added.path in SHARED_DIRS or added.path in TEMP_DIRS or added.path in BIN_DIRS:
            return None
        later = stage_trees.source_of(self, op)
        earlier = stage_trees.source_of(self, added)
        if later is None or earlier is None or later.kind != "file" or later.stage is not None or later.glob or \
                later.dest_dir or earlier.kind not in ("dir", "context") or earlier.stage is not None or \
                posixpath.basename(later.text) != posixpath.basename(op.path) or \
                stage_trees.other_context(self, op.node) != stage_trees.other_context(self, added.node):
            return None
        return f"the copied tree holds {op.path}: a file copied under its own name onto a path deep inside it " \
               "replaces the one there"

    def _image_tree(self, added: Added, path: str) -> str | None:
        """What is assumed when `added`, a copy of a tree of known layout from an official image (a JDK), holds the
        file `path`; None when it is not known to."""
        if not added.what.startswith(("COPY --from", "ADD --from")):
            return None
        source = next((s for s in self.model.sources(added.node) if s.span == added.span), None)
        if source is None or source.kind != "stage" or self.model.stage_named(source.stage) is not None:
            return None
        origin = source.origin(path)
        from .base_images import tree_holds

        kind = tree_holds(source.stage, origin) if origin is not None else None
        return f"the {kind} of {source.stage} holds {origin}, as every {kind} does" if kind else None

    def _same_file(self, op: Operation, added: Added) -> bool:
        """Whether the broad COPY `op` brings the file an earlier COPY `added` brought, from the same place of the
        same context or stage (`COPY Pipfile /code/`, then `COPY . /code/`)."""
        if added.node.keyword not in ("COPY", "ADD") or added.what == "extract":
            return False
        later = next((s for s in self.model.sources(op.node) if s.span == op.span), None)
        earlier = next((s for s in self.model.sources(added.node) if s.span == added.span), None)
        if later is None or earlier is None or later.kind not in ("dir", "context", "stage"):
            return False
        if later.stage != earlier.stage:
            # From two places: the same file when both took it from the same place of the build context.
            return stage_trees.same_context_path(self, op, added, added.path)
        if later.stage is None and stage_trees.other_context(self, op.node) != stage_trees.other_context(self, added.node):
            return False  # an ONBUILD trigger copies from the context of the build that runs it
        # `COPY --from=build /app/build/server.js ...`, then `COPY --from=build /app/build ...`: the stage holds it.
        here = later.origin(added.path)
        return here is not None and here == earlier.origin(added.path)

    def _same_origin(self, op: Operation, added: Added) -> bool | None:
        """Whether the COPY `op` brings the image path `op.path` from the very place the earlier COPY `added` brought
        it (True), from the same path of another stage or image (False: the same tree built elsewhere), or neither
        (None)."""
        if added.node.keyword not in ("COPY", "ADD") or added.what == "extract":
            return None
        later = next((s for s in self.model.sources(op.node) if s.span == op.span), None)
        earlier = next((s for s in self.model.sources(added.node) if s.span == added.span), None)
        if later is None or earlier is None:
            return None
        here, there = later.origin(op.path), earlier.origin(op.path)
        if here is None or here != there or later.stage is None and \
                stage_trees.other_context(self, op.node) != stage_trees.other_context(self, added.node):
            return None
        if later.stage == earlier.stage:
            return True
        # From two stages or images: the same tree only when each was copied to the path it has there
        # (`COPY --from=conda /opt/conda /opt/conda`, then `--from=build`), not contents merged into a directory.
        return False if here == op.path else None

    def _source_name(self, added: Added) -> str | None:
        """The last name of the COPY or ADD source that added `added`."""
        source = next((s for s in self.model.sources(added.node) if s.span == added.span), None)
        return posixpath.basename(source.text.rstrip("/")) if source is not None and source.text else None

    def _program(self, node: Instruction) -> list[str]:
        """The file an ENTRYPOINT or CMD runs, when named by a path (`/entrypoint.sh`, `./run`, `sh ./start.sh`)."""
        if node.json:
            words = list(node.values)
        else:
            words = self.model.expand(node, node.args_text).value.split()
        if len(words) > 1 and posixpath.basename(words[0]) in _SHELLS and not words[1].startswith("-"):
            words = words[1:]  # `sh ./start.sh`: the script is the program
        if not words or "/" not in words[0] or "$" in words[0]:
            return []
        return [normalize(posixpath.join(self.model.workdir(node), words[0]))]

    def _hide(self, op: Operation, alive: PathIndex, new_alive: list[Added], builds: PathIndex,
              own_builds: list[str], as_file: set, programs: set, executables: set) -> list[Waste]:
        """Match one operation against the earlier layers' files; update what is still visible.

        A path under a tree of unknown content (a clone, an extraction) that a build ran in since may be
        the build's: when the build is in the operation's own RUN nothing earlier is counted; when it is in
        an earlier RUN, the waste says what it assumed."""
        exact: list[Waste] = []
        vague: list[Waste] = []
        related = sorted(alive.query(op.path), key=lambda pair: pair[1].seq)
        # A file written into unpacked trees (`unzip -d /opt/nifi` twice) is taken to be the innermost one's.
        innermost = max((len(parts(entry.added.path)) for rel, entry in related
                         if rel == "below" and entry.added.what == "extract"), default=0)
        for rel, entry in related:
            added = entry.added
            if added.empty and not (op.kind == "rewrite" and rel == "same" and added.what == "file written"):
                # A bare directory holds no bytes; but a file `touch` made is a file all the same, which a later
                # touch, chmod or write copies up (`touch /var/log/cron.log` in two RUNs), unless deleted first.
                if op.kind == "remove" and op.exact and added.what == "file written" and \
                        (rel == "same" or rel == "above" and op.recursive):
                    alive.remove(added.path, entry)
                continue
            if op.verb in WRITES and (rel == "below" and added.files is None and not (
                    op.verb == ">>" and added.what.startswith(("COPY --from", "ADD --from")) or
                    op.verb in (">", ">>") and len(parts(added.path)) == innermost and self._in_archive(op, added)) or
                    rel == "same" and added.tree and not (added.guessed and added.path in as_file)):
                # Writing a path says nothing of what a tree of unknown content holds; but `>>` into a tree another
                # stage or image built appends to a file it holds, mostly (`>> /opt/vep/.profile`), and a write into
                # an unpacked archive's tree replaces a file of it, if it holds one there (`> nifi/bin/nifi-env.sh`).
                continue
            if op.verb == REGENERATES and rel == "below" and added.files is None and \
                    posixpath.dirname(op.path) != added.path and not stage_trees.stage_made(self, added, op.path):
                # `COPY . .`, then `composer dump-autoload`: nothing says the copy brought vendor/; but a tree copied
                # from a stage whose `composer install` made vendor/ there did.
                continue
            # A source taken for a directory by its name is a file the Dockerfile uses as one, or one copied into a
            # directory of programs (`COPY app/bin/tool /usr/local/bin/tool`).
            recursive_ok = op.recursive or not added.tree or (added.guessed and rel == "same" and (
                op.kind == "remove" or added.path in as_file or posixpath.dirname(added.path) in BIN_DIRS or
                self._stage_file(added)))
            if added.unnamed and rel == "same" and not has_glob(parts(op.path)[-1]):
                continue  # a download of unknown name: only a pattern (`rm /tmp/*.tgz`) is taken to reach it
            if (rel == "same" and recursive_ok) or (rel == "above" and op.recursive):
                if not op.exact:
                    if added.files is not None or not added.owned and added.what == "global packages":
                        continue  # some files of a shared directory (`find /usr/local -name __pycache__ -delete`)
                    vague.append(Waste(op, added, None, False))
                    continue
                exact.append(Waste(op, added, entry.known_size, True))
                alive.remove(added.path, entry)
                # What mv moves, the RUN adds where it goes; what `>` writes, the RUN adds too.
                if op.kind == "rewrite" and op.verb not in ("mv", ">", ">>"):
                    copy = replace(added, node=op.node, what=f"copy by {op.verb}", span=op.span)
                    if entry.gone:
                        copy.files = entry.remaining()
                    new_alive.append(copy)
                continue
            # Something done inside what a COPY brought as a file by its name (`COPY --from=b /root/.local ...`, then
            # `rm -rf /root/.local/lib/x`): the name was a directory's.
            tree = added.tree or (rel == "below" and added.files is None and added.what.startswith(("COPY", "ADD")))
            if op.kind == "rewrite" and rel == "below" and added.guessed and added.files is None and \
                    RUNTIME_DIRS.intersection(parts(op.path)[len(parts(added.path)):]):
                # `chown -R app /app/tmp/cache` after `COPY ./tmp /app/tmp`, the context unknown: ./tmp is only
                # guessed to be a directory, and the application makes such directories when it runs.
                continue
            if rel == "below" and tree:
                if added.files is not None:
                    hidden = entry.hits(op)
                    if not hidden:
                        continue
                    whole = len(hidden) == entry.left
                    files = added.files
                    exact.append(Waste(op, added, sum(files[i][1] for i in hidden), whole))
                    entry.hide(hidden)
                    if not entry.left:
                        alive.remove(added.path, entry)
                    if op.kind == "rewrite" and op.verb != "mv":
                        new_alive.append(replace(added, node=op.node, what=f"copy by {op.verb}", loader=None,
                                                 _files=tuple(files[i] for i in hidden), path=op.path, span=op.span))
                    continue
                if op.kind == "rewrite" and op.exact and all_wildcards(op.path, added.path) and \
                        added.what.startswith(("COPY", "ADD")):
                    # `chmod +x /usr/local/bin/*` after copying files there: each copied file is copied again.
                    exact.append(Waste(op, added, None, False))
                    continue
                if op.kind == "rewrite" and op.path in programs and added.what.startswith(("COPY", "ADD")) and \
                        not op.recursive and not added.owned:
                    # `COPY . /` then `chmod +x /entrypoint.sh`, which the Dockerfile runs: the copy brought it.
                    exact.append(Waste(op, added, None, False, f"the copied tree holds {op.path}, which the "
                                                               f"Dockerfile runs"))
                    continue
                if op.kind == "rewrite" and not op.recursive and added.guessed and \
                        posixpath.dirname(op.path) == added.path and self._source_name(added) == parts(op.path)[-1] \
                        and (added.path in BIN_DIRS or self._stage_file(added)):
                    # `COPY app/bin/tool /usr/local/bin/`, then `chmod +x /usr/local/bin/tool`: a program, so a file;
                    # so is what the stage copied from made as one (`go build -o /out/server`).
                    exact.append(Waste(op, added, None, True))
                    continue
                if not added.owned and not (op.recursive and op.exact and all_wildcards(op.path, added.path)):
                    continue
                if (added.cache or not added.owned) and all_wildcards(op.path, added.path) and op.exact:
                    exact.append(Waste(op, added, entry.known_size, True))
                    alive.remove(added.path, entry)
                    continue
                if any(relation(added.path, d) in ("same", "above") for d in own_builds[:op.builds]):
                    continue  # `cd /src && make && rm -rf /src/build`: what the build made, in this RUN, before
                built = any(seq >= entry.seq and rel in ("same", "above") for rel, seq in builds.query(added.path))
                name = parts(op.path)[-1]
                if op.kind == "rewrite" and not op.recursive and (
                        built or (op.verb in ("chmod", "chown", "chgrp") and "." not in name and
                                  op.path not in as_file and op.path not in executables and
                                  not (op.exists and has_glob(name)))):
                    # One file inside a tree of unknown content: a file of the tree unless a build has run in it
                    # since; `chmod 777 /app/uploads` changes a directory's own mode, not its files. A pattern the
                    # command needs to match (`chmod +x repo/bin/*`: unmatched, it is passed as is and fails) does.
                    continue
                waste = Waste(op, added, None, False)
                if built:
                    waste.assumed = f"it came with the {added.what}, not from a build run in it since"
                elif not added.tree:
                    waste.assumed = f"{added.path} is a directory that holds it"
                elif op.path in programs and op.kind == "rewrite":
                    waste.assumed = f"the copied tree holds {op.path}, which the Dockerfile runs"
                elif op.exists:
                    # `chmod +x /app/configure` after `ADD . .`: the command fails without the file.
                    holder, bringer = (("the copied tree", f"the {added.node.keyword}")
                                       if added.what.startswith(("COPY", "ADD")) else
                                       ("the archive", "the archive") if added.what == "extract" else
                                       (f"the {added.what}", f"the {added.what}"))
                    it = "them" if has_glob(name) else "it"
                    waste.assumed = f"{holder} holds {it}: the build would fail if {bringer} did not bring {it}"
                elif added.what == "extract" and op.verb in (">", ">>"):
                    waste.assumed = f"the archive holds {op.path}"
                elif added.what.startswith(("COPY --from", "ADD --from")):
                    # what another stage or image put there
                    waste.assumed = "the copied tree holds it" + (", and `>>` appends to it" if op.verb == ">>" else "")
                vague.append(waste)
        return exact or vague


class _Alive:
    """An earlier layer's addition still visible while `waste` follows the layers, with the files of it that
    later layers hid."""

    __slots__ = ("added", "seq", "gone", "left", "index")

    def __init__(self, added: Added, seq: int):
        self.added = added
        self.seq = seq  # order of appearance
        self.gone: set[int] | None = None  # positions in added.files that later layers hid
        self.left = -1  # how many files are still visible (set when files are first looked at)
        self.index: PathIndex | None = None  # the visible files by path, built when an operation reaches inside

    @property
    def known_size(self) -> int | None:
        files = self.added.files
        if files is None:
            return self.added.size
        if not self.gone:
            return sum(size for _, size in files)
        return sum(size for i, (_, size) in enumerate(files) if i not in self.gone)

    def remaining(self) -> tuple:
        files = self.added.files or ()
        return tuple(f for i, f in enumerate(files) if not self.gone or i not in self.gone)

    def hits(self, op: Operation) -> list[int]:
        """Positions of the visible files `op` deletes or rewrites."""
        if self.index is None:
            self.index = PathIndex()
            for i, (path, _) in enumerate(self.added.files):
                self.index.add(path, i)
            self.left = len(self.added.files)
        whole_trees = op.recursive or not op.exact  # `rm -r dir`, `find dir -name ... -delete`
        return sorted(i for rel, i in self.index.query(op.path) if rel == "same" or rel == "above" and whole_trees)

    def hide(self, positions: list[int]) -> None:
        files = self.added.files
        if self.gone is None:
            self.gone = set()
        for i in positions:
            self.gone.add(i)
            self.index.remove(files[i][0], i)
        self.left -= len(positions)


def _split_csv(text: str) -> list[str]:
    """The comma-separated fields of a --mount value (double quotes group, as Go's csv reader does)."""
    fields, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields


def _deletes(op, path: str) -> bool:
    """Whether a removal takes the file `path` with it: the file itself, or a directory above it, recursively."""
    rel = relation(op.path, path)
    return rel == "same" or rel == "above" and op.recursive
