"""What a tree copied from another stage is known to hold, for the waste `Filesystem` pairs (DF202).

A stage's tree is known where the stage copied it from the build context (`COPY composer.json ./` in it) or where
a layer of it made the same path (pip's scripts), and in the python image's own files (pip in site-packages). A
later copy of the same place of the context onto such a tree, or such a tree over an earlier copy of that place,
brings the same files again; so does a tree over what a RUN here wrote, where the stage wrote the same. `fs` is
the `Filesystem` asking; these read its per-stage index of additions (`_made_by`) and per-layer effects.
"""

from __future__ import annotations

import posixpath

from ..records import replace
from .base_images import parse_reference as parse_image
from .effects import Added, Operation, Waste
from .paths import has_glob, normalize, relation

RUN = "\0run"  # the key, in the names RUNs read, of the count of additions before the last RUN
# pip packages whose files are in a directory of their name in site-packages (most others too, but not all: PyYAML's
# are in yaml/, Pillow's in PIL/), which messages can name.
_OWN_DIRECTORY = frozenset({"pip", "setuptools", "wheel"})
# Directories dependency installs fill (composer's vendor, npm's node_modules, pip's site-packages): two of them
# installed for one project hold mostly the same packages, at the same paths.
_INSTALLED_TREES = frozenset({"vendor", "node_modules", "bower_components", "site-packages", "dist-packages"})


def held_by_stage(fs, op: Operation, added: Added) -> list[Waste]:
    """What the COPY `op` of a tree from another stage brings over what a RUN of this chain wrote (`added`), where
    that stage holds the same: a file a layer of it made at the same path (`pip install --upgrade pip` wrote
    /usr/local/bin/pip there too), or the python image's site-packages with the packages both installed there
    (pip's own, which every python image has, and setuptools and wheel, whose directories have their names)."""
    later = source_of(fs, op)
    stage = fs.model.stage_named(later.stage) if later is not None and later.kind == "stage" else None
    inner = later.origin(added.path) if stage is not None else None
    if inner is None:
        return []
    made = [m for rel, m in fs._made_by(stage).query(inner) if rel == "same" and not m.empty]
    # The python image's Python is in /usr/local, with pip in its site-packages and pip's scripts beside python.
    image = parse_image(fs.model.lineage(stage)[0].base) or ("", None)
    version = ".".join((image[1] or "").split("-")[0].split(".")[:2]) if image[0] == "python" else ""
    if not added.tree:
        pip_script = version and inner in ("/usr/local/bin/pip", "/usr/local/bin/pip" + version.split(".")[0],
                                           "/usr/local/bin/pip" + version)
        held = pip_script or any(not m.tree for m in made)
        return [Waste(replace(op, path=added.path), added, None, True)] if held else []
    if added.what != "global packages" or not posixpath.basename(added.path) == "site-packages":
        return []
    theirs = {name for m in made if m.what == "global packages" and m.node.keyword == "RUN"
              for packages in fs.effects(m.node).installed if packages.manager == "pip" for name in packages.names}
    if version and inner == f"/usr/local/lib/python{version}/site-packages":
        theirs.add("pip")
    ours = {name for packages in fs.effects(added.node).installed if packages.manager == "pip"
            for name in packages.names}
    return [Waste(replace(op, path=f"{added.path}/{name}"), added, None, True)
            for name in sorted(ours & theirs & _OWN_DIRECTORY)]


def recopied(fs, op: Operation, added: Added, entry, read: dict[str, int]) -> list[Waste]:
    """What the broad COPY `op` brings again of the tree `added`, one of them copied from another stage: the paths
    that stage copied from the build context (`COPY composer.json composer.lock ./` in it) which the other takes
    from the same place of the context. Not when a RUN runs in between: it may read them (the manifests first, an
    install, then the rest: DF101), even an install that does not count as one for the cache (`--mount=type=cache`).
    """
    if read.get(RUN, -1) > entry.seq:
        return []
    mine, theirs = source_of(fs, added), source_of(fs, op)
    side, other = (added, op) if mine is not None and mine.kind == "stage" else (op, added)
    source = mine if side is added else theirs
    stage = fs.model.stage_named(source.stage) if source is not None and source.kind == "stage" else None
    root = source.origin(side.path) if stage is not None else None
    other_source = source_of(fs, other)
    if root is None or other_source is None:
        return []
    found = []
    for rel, made in fs._made_by(stage).query(root):
        if rel not in ("same", "above") or made.node.keyword not in ("COPY", "ADD") or made.what == "extract":
            continue
        path = normalize(side.path + made.path[len(root):]) if rel == "above" else side.path
        if relation(other.path, path) not in ("same", "above"):
            continue
        held = _held_context_path(fs, stage, made, made.path, 0)
        there = _context_path(fs, other_source, path) if held is not None else None
        if there is not None and held[0] == there[0] and (held[1] or there[1]):
            found.append(Waste(replace(op, path=path), added, None, not made.tree,
                               f"the {source.stage} stage still holds what it copied there from the build context"))
    return found


def same_context_path(fs, op: Operation, added: Added, path: str) -> bool:
    """Whether the COPY `op` and the earlier copy `added` both bring the image path `path` from the same place of
    the build context (directly, or through the stage they copy from, which copied it from there)."""
    if added.node.keyword not in ("COPY", "ADD") or added.what == "extract":
        return False
    later, earlier = source_of(fs, op), source_of(fs, added)
    here = _context_path(fs, later, path) if later is not None else None
    there = _context_path(fs, earlier, path) if earlier is not None and here is not None else None
    # One of them names that place (`COPY composer.json ./`): the context holds it. Through two broad copies it
    # may be what a RUN of the stage built (`client/dist` after `COPY client ...` and a build), not the context's.
    return there is not None and here[0] == there[0] and (here[1] or there[1])


def assumption(fs, op: Operation, added: Added, path: str) -> str:
    """What a finding of `same_context_path` assumes: that the stage it goes through still holds what it copied."""
    via = list(dict.fromkeys(s.stage for s in (source_of(fs, op), source_of(fs, added)) if s is not None and s.stage))
    if len(via) == 2:
        return f"the {via[0]} and {via[1]} stages still hold what they copied there from the build context"
    return f"the {via[0]} stage still holds what it copied there from the build context" if via else \
        "both copies take it from the same place of the build context"


def _context_path(fs, source, path: str, depth: int = 0) -> tuple[str, bool] | None:
    """The place in the build context the image path `path` that the COPY `source` brings comes from, and whether
    the copy names it (`COPY composer.json ./`, not `COPY . .`): for a copy of the context, where it takes it
    from; for a copy from another stage, the place that stage's last layer adding it there copied it from,
    unless a later layer of that stage deleted or moved it. None when unknown (a tree a RUN made, an image's)."""
    if source.node.flag("exclude") is not None or source.node.flag("parents") is not None:
        return None  # what it leaves out, or where it puts each source, is not read here
    if source.stage is None:
        if other_context(fs, source.node):
            return None  # an ONBUILD trigger's context is another build's
        found = source.origin(path) if source.kind in ("file", "dir", "context") and not source.glob else None
        return (found, found == posixpath.normpath(source.text.strip("/") or ".")) if found is not None else None
    stage = fs.model.stage_named(source.stage) if source.kind == "stage" and depth < 3 else None
    inner = source.origin(path) if stage is not None else None
    if inner is None:
        return None
    holders = [made for rel, made in fs._made_by(stage).query(inner) if rel in ("same", "below")]
    if not holders:
        return None
    return _held_context_path(fs, stage, max(holders, key=lambda made: made.node.span.line), inner, depth)


def _held_context_path(fs, stage, made: Added, inner: str, depth: int) -> tuple[str, bool] | None:
    """`_context_path` of the path `inner` of `stage` that the layer's addition `made` holds: the place of the
    context its COPY took it from, unless a later layer of the stage deleted or moved it."""
    if made.node.keyword not in ("COPY", "ADD") or made.what == "extract":
        return None
    layers, position = fs._lineage_layers(stage)
    start = position.get(id(made.node), len(layers)) + 1
    for op in (op for at, op in _removals(fs, stage) if at >= start):
        rel = relation(op.path, inner)
        if rel in ("same", "above") or rel == "below" and has_glob(posixpath.basename(op.path)) and \
                posixpath.dirname(op.path) == inner:
            return None  # deleted or moved, or emptied (`rm -rf /app/*`); what is deleted inside leaves the rest
    found = source_of(fs, made)
    return _context_path(fs, found, inner, depth + 1) if found is not None else None


def source_of(fs, added: Added | Operation):
    """The COPY or ADD source that made `added` (or whose copy `op` is)."""
    return next((s for s in fs.model.sources(added.node) if s.span == added.span), None)


def deleted_in(fs, stage, path: str) -> bool:
    """Whether a layer of `stage`'s lineage deleted `path` (or a directory above it) after the last layer that
    added something there (`RUN rm -rf node_modules` in a stage built on the one that installed it)."""
    layers = fs._lineage_layers(stage)[0]
    last = max((i for i, node in enumerate(layers) for a in fs.effects(node).added
                if not a.empty and relation(path, a.path) in ("same", "above")), default=-1)
    return any(op.kind == "remove" and op.exact and relation(op.path, path) in ("same", "above")
               for node in layers[last + 1:] for op in fs.effects(node).operations)


def stage_made(fs, added: Added, path: str) -> bool:
    """Whether `added`, a tree copied from another stage, holds `path` because a layer of that stage made the
    directory it is in (`composer install` made vendor/, which holds vendor/autoload.php)."""
    if not added.what.startswith(("COPY --from", "ADD --from")):
        return False
    source = source_of(fs, added)
    stage = fs.model.stage_named(source.stage) if source is not None and source.kind == "stage" else None
    inner = source.origin(path) if stage is not None else None
    return inner is not None and any(made.tree and made.path == posixpath.dirname(inner)
                                     for rel, made in fs._made_by(stage).query(inner)) and \
        not deleted_in(fs, stage, posixpath.dirname(inner))


def _removals(fs, stage) -> list:
    """(position, operation) of each deletion or move in the layers of `stage`'s lineage, listed once per stage."""
    found = fs._removals.get(id(stage))
    if found is None:
        layers = fs._lineage_layers(stage)[0]
        found = fs._removals[id(stage)] = [(i, op) for i, node in enumerate(layers)
                                           for op in fs.effects(node).operations
                                           if op.kind == "remove" or op.verb == "mv"]
    return found


def other_context(fs, node) -> bool:
    """Whether `node` copies from the context of another build than the rest (an ONBUILD trigger, run in the build
    of an image FROM the stage that registers it)."""
    return id(node) in fs.model.child_context


def inherited(fs, op: Operation, added: Added, path: str) -> str | None:
    """What is assumed when the COPY `op` from a stage brings the image path `path` again that the earlier `added`
    copied from a stage it is built on, from the same place (`COPY --from=builder /app/packages/i18n ./packages/i18n`,
    then `COPY --from=post-builder /app/packages ./packages`, post-builder being `FROM builder`): the later stage
    holds what its base held there, unless a layer of it deleted it. None when not so."""
    later, earlier = source_of(fs, op), source_of(fs, added)
    if later is None or earlier is None or later.kind != "stage" or earlier.kind != "stage" or \
            later.stage == earlier.stage:
        return None
    child, base = fs.model.stage_named(later.stage), fs.model.stage_named(earlier.stage)
    here = later.origin(path) if child is not None and base is not None else None
    if here is None or here != earlier.origin(path) or base not in fs.model.lineage(child) or \
            deleted_in(fs, child, here):
        return None
    return f"the {later.stage} stage is built on {earlier.stage} and still holds {here}"


def stage_holds(fs, op: Operation, added: Added) -> str | None:
    """What is assumed when the COPY `op` lands on a path inside the tree `added` copied from another stage, where a
    layer of that stage put something at that very path: a file (the same file), or a tree under a tree (`COPY
    --from=release /app/src ./src`, release having copied its vendor/ to /app/src/vendor, then `COPY --from=dev-vendor
    /app/vendor ./src/vendor`: two trees of installed dependencies, which hold the same packages; two trees of
    anything else may hold different files). None when not known to."""
    if not added.what.startswith(("COPY --from", "ADD --from")):
        return None
    source = source_of(fs, added)
    stage = fs.model.stage_named(source.stage) if source is not None and source.kind == "stage" else None
    inner = source.origin(op.path) if stage is not None else None
    if inner is None or deleted_in(fs, stage, inner):
        return None
    made = [m for rel, m in fs._made_by(stage).query(inner) if rel == "same" and not m.empty and not m.unnamed]
    if any(not m.tree for m in made) and not op.recursive:
        return f"the {source.stage} stage still holds the {inner} it made"
    if any(m.tree for m in made) and op.recursive and posixpath.basename(inner) in _INSTALLED_TREES:
        return f"the {source.stage} stage's {inner} and the copied tree hold files at the same paths"
    return None
