import posixpath
import re
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Option, Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

from ._fixes import IMAGE_DIRS, after_keyword, delete_instruction, frontend_accepts, needs_buildkit, plain, \
    remove_word, sequenced


@rule("DF202", "rewritten-in-later-layer", "warning", fixable="depends",
      options=[Option("min-bytes", int, 0, "report only rewrites of at least this many bytes")])
def rewritten_in_later_layer(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN changes files of an earlier layer (chown, chmod, mv, sed -i): they ship twice.

    ## What it does
    Follows the layers of the image's stages (the final or `--target` stage and the stages it is
    built `FROM`, also each one a `FROM build-${TARGETARCH}` may name, saying which it assumed)
    and reports `chown`, `chgrp`, `chmod`, `mv`, `sed -i`, `strip`, `dos2unix`, `touch`, `setcap`,
    `setfattr` and `chattr` commands (also run through `find -exec`, `xargs` or `sh -c`), and
    redirections (`> file`, `>> file`, `tee`, `tee -a`), that change files an earlier layer added.
    The finding points at the command and names the layer that added the files, with their size
    when the build context is at hand. Tools that change an account (`chsh`, `chfn`, `usermod`)
    rewrite /etc/passwd (and `usermod -G` /etc/group): a change after one an earlier RUN made is
    reported (the first changes the base image's file); creating accounts, the group then the
    user each in its RUN, is not. git commands that rewrite a repository's working tree and
    `.git` (`git checkout`, `git switch`, `git reset --hard`, `git pull`, `git merge`, `git rebase`,
    `git submodule update`, ...) in a repository an earlier layer cloned or copied are reported
    too, saying that which files change is not known. So are tools that regenerate the files they
    keep in their own directory (`composer dump-autoload` rewrites `vendor/autoload.php` and
    `vendor/composer/`) when an earlier layer brought that directory (a COPY of `vendor/`,
    `composer install`, or a tree copied from a stage whose `composer install` made it there); a
    broader copy whose content is not known is not taken to hold it. Global installs write into known directories
    (`npm install -g` into the global node_modules, `yarn global add`, `pnpm add -g` into
    `$PNPM_HOME`, `pip install` into the python image's site-packages, `gem install` into
    GEM_HOME, `composer global require` into COMPOSER_HOME, `go install` into `$GOPATH/bin`): a
    later recursive `chown` or `chmod` of those directories is reported.

    A COPY onto files an earlier layer added is reported too: a file replaced by another
    (`COPY a.conf /etc/app.conf` twice), files a broad COPY already brought copied again
    (`COPY . .` then `COPY pyproject.toml .`, or `COPY --chown=app . .`; `COPY --from=build /app`
    then `COPY --from=build /app/VERSION /app/VERSION`), a file a RUN wrote (`yarn add` writes
    package.json, `sed -i` keeps the whole edited file; a broad COPY of the context over a file a
    RUN redirected output to, when the context holds that file: listed, or copied by name earlier,
    as in `COPY .ruby-version .ruby-version.raw`, `RUN tr -d ' ' < .ruby-version.raw > .ruby-version`,
    then `COPY . .`), a tree a RUN made (a virtualenv, a clone,
    `composer create-project`) with a COPY right onto it, or a tree a RUN made inside the COPY's
    destination (`node_modules` after `npm ci`) when the copied tree holds it: known from the build
    context or from the stage copied from, assumed (and said) for another image; a copy of the
    context without its listing is taken not to hold it (a .dockerignore usually leaves it out). Not the recommended order of DF101: the manifests copied first, the install, then
    the broad COPY that brings them again; but a file (or a pattern) copied alone and then again by
    a broad COPY with no RUN in between that names it or installs from it (`COPY Pipfile /code/`
    then `COPY . /code/`; `COPY package*.json ./` then `COPY . .`) is only paid twice. What an install reads besides the manifests (`.npmrc`,
    `.yarn/`, `patches/`, `prisma/schema.prisma`), and whatever one COPY brings along with a
    manifest, counts as read by it. A directory copied alone and then again with the directory
    above it, from the same place (`COPY --from=builder /app/node_modules ./node_modules`, then
    `COPY --from=builder /app ./`; `COPY src ./src`, then `COPY . .`), is paid twice when no RUN
    runs in between (an install may read any directory: workspace packages). An ONBUILD trigger
    copies from the context of the build that runs it: in the build of an image FROM this one,
    not the context this Dockerfile's own copies read.

    What a tree copied from another stage holds is known where that stage copied it from the build
    context: a copy of the same place of the context onto it is a rewrite (`COPY --from=builder /app
    /app`, then `COPY libs /app/libs` when the builder copied `libs` there; `COPY sandbox
    /srv/sandbox`, then `COPY --from=builder /srv/sandbox/pyodide ...` that the builder copied from
    `sandbox/pyodide`), and so is a broad copy of the context over such a tree, or such a tree over
    a copy of the same place of the context, with no RUN in between (`COPY --from=base
    /var/www/html .` with the composer.json base copied, then `COPY . .`; `COPY ./meta .`, then
    `COPY --from=assets /usr/src/app .` where assets copied `./meta` too), unless that stage
    deleted, moved or emptied it since; the finding says it assumes the stage still holds
    what it copied. One of the two copies must name that place: what a stage built inside a
    directory it copied (`client/dist`) is not known to be in the context. A file copied from a
    stage, then the directory holding it from the same stage, is copied twice; so is a directory
    copied from a stage, then the directory holding it from a stage built on that one (`COPY
    --from=builder /app/packages/i18n ...`, then `COPY --from=post /app/packages ...` with `FROM
    builder AS post`), unless that stage deleted it. A copy onto what a tree copied from a stage
    holds because that stage put it there replaces it: the same file, or another tree of
    installed dependencies (`vendor`, `node_modules`, `site-packages`: the same packages), as in
    `COPY --from=release /app/src ./src`, where release copied the production vendor/ into
    /app/src, then `COPY --from=dev-vendor /app/vendor ./src/vendor`. Without the build context,
    a file copied under its own name to a path it names in full, two directories or more inside a
    tree copied from the context, is taken to replace the tree's own (a patched file over the
    original: `COPY orange3 /orange3`, then `COPY patches/schemeedit.py
    /orange3/Orange/canvas/document/schemeedit.py`), which the finding says; nearer the top it
    may be a new file (`COPY .env ./backend/.env`). So is what a RUN
    wrote that a tree copied from another stage holds too: a file that stage made at the same
    path, or, in the python image's site-packages, the packages both installed there and pip, which
    every python image has (`RUN pip install --upgrade pip setuptools`, then `COPY --from=builder
    /usr/local/lib/python3.11 /usr/local/lib/python3.11` and `COPY --from=builder /usr/local/bin
    /usr/local/bin`, which bring pip, setuptools and pip's scripts again).

    Changing files in the same RUN that creates them is fine; a non-recursive `chmod` or `chown`
    of a directory changes only the directory itself and is not reported, but `chmod +x dir/*`
    over copied files rewrites each of them. Files `find` picks by mode or owner are not counted.
    Writing a path (`>`, `touch`, a COPY) inside a copied tree whose content is not known is not
    taken to rewrite anything: it may create the file; but `>>` into a tree copied from another
    stage or image is taken to append to a file it holds (`>> /opt/vep/.profile`), and the finding
    says so. Without the build context, a change under a directory applications create when they
    run (`cache`, `tmp`, `log`, `pids`, `uploads`, ...) inside a source only taken for a directory
    by its name is taken not to touch the copy (`chown -R app /app/tmp/cache` after
    `COPY ./tmp /app/tmp`). A source taken for a directory by its name
    (`COPY crontab /etc/crontab`) is a file when a RUN uses it as one: `chmod 0644` (a mode no
    directory is usable with), `sed -i`, `crontab`, `cat`, `.`, a redirection; or when it is
    copied into a directory of programs (`COPY app/bin/tool /usr/local/bin/`). A path the
    Dockerfile runs (ENTRYPOINT, CMD, a RUN, `sh ./start`) is a file, and a broad copy of the
    context whose listing is not known (`COPY . /`) is taken to hold it, which the finding says:
    `chmod +x /entrypoint.sh` after `COPY . /` with `ENTRYPOINT ["/entrypoint.sh"]`. So is a
    path inside a tree an earlier layer made (a copy, a clone, an unpacked archive) that a command
    needs, when its failure fails the RUN (joined by `&&` to the end, not after `||`, `;` or in an
    `if`): `chmod`, `chown`, `chgrp`, `sed -i`, `strip`, `setcap` fail without the file, so the
    tree holds it, which the finding says (`chmod +x /app/configure` after `ADD . .`, a mode that
    makes a program, so a file; `chmod +x ./repo/bin/*` after a clone: a pattern that matches
    nothing is passed as is, and chmod fails). A path
    written through a directory the official base image sets in its ENV (`$PHP_INI_DIR` of php)
    is known. A file an earlier RUN made with `touch` is copied up by another `touch`. A write
    (`>`, `>>`) into the tree an earlier RUN unpacked (`unzip`, `tar -x`, also after an `mv` of
    it in that RUN) is taken to replace a file the archive holds, which the finding says, unless
    the writing RUN makes the file's directory itself. A pattern copied to a name like the files
    it matches (`COPY target/*.jar app.jar`) is that one file. A file the COPY and the RUN name
    through the same build argument, known or not, is the same file (`COPY
    scripts/${SCOPE}-entrypoint.sh ./`, then `RUN chmod +x ./${SCOPE}-entrypoint.sh`), also
    through an ENV that passes the argument on (`ENV SCOPE=${SCOPE}`). A tree copied from an official
    image whose layout is known (the JDK in eclipse-temurin's /opt/java/openjdk) holds the files
    every such tree has (`conf/security/java.security`, `lib/security/cacerts`), which the finding
    says when a COPY lands on one.

    ## Why is this bad?
    A layer stores whole files. Changing the owner, the mode or one byte of a file from an earlier
    layer copies the entire file into the new layer, while the old copy stays in the earlier one:
    `RUN chown -R app /app` after `COPY . /app` doubles the size of `/app` in the image.

    ## Example
    ```dockerfile
    FROM node:20-slim
    COPY . /app
    RUN chown -R node:node /app
    COPY entrypoint.sh /
    RUN chmod +x /entrypoint.sh
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    COPY --chown=node:node . /app
    COPY --chmod=755 entrypoint.sh /
    ```
    Set owner and mode while copying (`COPY --chown`, `COPY --chmod`), move or edit files in the
    RUN that creates them, or copy them to their final place directly.

    ## Options
    - `min-bytes` (default 0): do not report rewrites whose known size is below this many bytes.

    ## Fix safety
    A `chown`, `chgrp` or `chmod` of exactly what the COPY right before it brought (or an ADD of
    local files it does not unpack; no other layer between, every file of that COPY and nothing
    else) becomes the COPY's `--chown` or `--chmod` and leaves the RUN, which goes when it did
    nothing else. `chown user` keeps the group COPY gives (`--chown=user:0`). An octal mode needs
    the Dockerfile frontend 1.2 or later (the builder's own since Docker Engine 20.10), a symbolic
    one (`+x`) a `# syntax=` naming docker/dockerfile 1.14 or later.

    The fix is safe for files, when the RUN did nothing else, for an owner the directory they go
    into exists (`/`, `/etc`, `/usr/local/bin`, ...), and for a mode the file already needs
    BuildKit (a `# syntax=` line, heredocs, `RUN --mount`, ...: the legacy builder and Windows
    containers reject `--chmod`). It is unsafe otherwise: COPY gives the directories it creates
    the owner too, and in a whole directory, what was already there (from the base image or a
    package install) keeps its owner and mode. The directory itself keeps what the RUN gave it:
    when it existed before the COPY (a WORKDIR made it), or for a mode other than 755 (COPY
    creates directories with 755), the RUN stays with a non-recursive `chown` or `chmod` of the
    directory alone. No fix when the command is not a plain step at the start of its RUN, names
    the files otherwise than the COPY lands them, or uses options or variables COPY cannot take,
    nor when the RUN runs as a USER other than root: it could not change the files COPY gave root.
    """
    from dfcheck.wording import amount, assumptions, format_size, grouped, origin, pronoun, sources

    minimum = options.min_bytes
    for group in grouped([w for w in model.waste if w.kind == "rewritten"]):
        op = group[0].operation
        size = amount(group)
        if size is not None and size < minimum and all(w.size is not None for w in group):
            continue
        paths = sorted({w.operation.path for w in group})
        words = pronoun(paths)
        if size is None:
            copy = f"a second copy of {words['them']} goes into this layer"
        else:
            least = "at least " if any(w.size is None for w in group) else ""
            copy = f"a second copy of {least}{format_size(size)} goes into this layer"
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        yield Finding(op.span, (
            f"`{op.command}` rewrites {shown} from an earlier layer: {copy}, the first stays in {sources(group)}"
            f"{assumptions(group)}; {_advice(group, op.verb, origin, words)}"), _fix(model, group))


def _advice(group, verb, origin, words):
    earliest = min(group, key=lambda w: w.added.node.span.line).added
    op = group[0].operation
    from_copy = earliest.node.keyword in ("COPY", "ADD")
    them, their, s = words["them"], words["their"], words["s"]
    if verb == "COPY":
        if from_copy:
            return (f"copy {them} once: leave {them} out of one of the copies, and set owner and mode in the copy "
                    "that stays")
        return f"copy {them} before the RUN that writes {them} ({origin(earliest)}), or let that RUN write {them} alone"
    if from_copy and verb in ("chown", "chgrp"):
        return f"set the owner while copying: `{earliest.node.keyword} --chown=...`"
    if from_copy and verb == "chmod":
        return f"set the mode while copying: `{earliest.node.keyword} --chmod={_mode(group[0].operation.command)}`"
    if from_copy and verb == "mv":
        return f"copy {them} to {their} final path{s} directly"
    if from_copy and verb == "regenerate":
        return f"run `{op.command}` where {words['they']} {words['are']} made, before copying {them}"
    if from_copy and verb == "git":
        return "bring the repository at the revision it needs (update it before copying it, or in a build stage)"
    if from_copy:
        return f"edit the file{s} before copying {them}, or in a build stage"
    return f"do it in the RUN that creates {them} ({origin(earliest)})"


def _mode(command):
    """The mode for COPY --chmod that gives what `chmod MODE` gives a copied file (755 for `+x`), else "..."."""
    words = command.split()
    names = [posixpath.basename(w) for w in words]
    if "chmod" not in names:
        return "..."
    mode = next((w for w in words[names.index("chmod") + 1:] if not w.startswith("-") or w == "-x"), "")
    if _OCTAL.fullmatch(mode):
        return mode
    return "755" if mode in ("+x", "a+x", "ugo+x") else "..."


# -- the fix ------------------------------------------------------------------------------------------------

_VERBS = ("chown", "chgrp", "chmod")
_OPTIONS = {"-R", "--recursive", "-f", "--silent", "--quiet", "-v", "--verbose", "-c", "--changes"}
_OWNER = re.compile(r"[A-Za-z0-9_.:${}-]*")
_OCTAL = re.compile(r"0?[0-7]{3}|[0-7]{4}")
_SYMBOLIC = re.compile(r"[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*")


def _fix(model, group):
    """The chown and chmod as flags of the COPY right before their RUN (see Fix safety), or None."""
    op = group[0].operation
    copy = group[0].added.node
    if op.verb not in _VERBS or copy.keyword not in ("COPY", "ADD") or \
            any(w.added.node is not copy or not w.whole for w in group):
        return None
    run = op.node
    stage = model.stage_of(run)
    if run.json or run.flags or stage is None or stage is not model.stage_of(copy):
        return None
    layers = stage.layers
    if copy not in layers or layers.index(run) != layers.index(copy) + 1:
        return None  # another layer between: it may rely on the old owner, or add files the RUN changes too
    user = model.filesystem.user(run)
    if user is not None and user.split(":", 1)[0] not in ("root", "0"):
        return None  # a user that does not own the copied files: the RUN fails, where the COPY would not
    found = _command(model, run, op.span)
    landings = _landings(model, copy)
    if found is None or landings is None or any(f.name not in ("link", "chown", "chmod") for f in copy.flags):
        return None
    code, commands, leading = found
    flags, keep = {}, []
    for command in leading:  # the chown, chgrp and chmod commands the RUN starts with: all of the COPY's files
        inner = command.effective()
        change = _change(model, copy, run, inner, landings)
        if change is None:
            return None
        name, value, kept = change
        if name in flags or copy.flag(name) is not None:
            return None
        flags[name] = value
        if kept:
            keep.append(inner)
    if keep:  # the directory keeps the owner or mode the RUN gave it: the command stays, not recursive
        inner = keep[0]
        recursive = [a for a in inner.args if a.value in ("-R", "--recursive")]
        edits = [remove_word(code, inner, a) for a in recursive]
        if len(leading) != 1 or not recursive or None in edits:
            return None
    elif len(leading) == len(commands) and len(model.shell_code(run)) == 1:
        edits = [delete_instruction(model, run)]
    else:
        if any(sequenced(code, c) is None for c in leading):
            return None
        start, end = code.span(leading[0].start, leading[0].start + 1), code.span(commands[len(leading)].start,
                                                                                commands[len(leading)].start + 1)
        edits = [Edit(Span(start.line, start.column, end.line, end.column), "")]
    text = " ".join(f"--{name}={value}" for name, value in flags.items())
    trees = [p for p, tree in landings.items() if tree]
    safe = not trees and len(leading) == len(commands) and (
        "chown" not in flags or all(posixpath.dirname(p) in IMAGE_DIRS for p in landings)) and (
        "chmod" not in flags or needs_buildkit(model))
    what = " and ".join(("the owner" if name == "chown" else "the mode") for name in flags)
    kept = f"; the RUN keeps a `{keep[0].basename}` of the directory alone" if keep else ""
    return Fix("safe" if safe else "unsafe", [after_keyword(copy, text)] + edits,
               f"Set {what} while copying: `{copy.keyword} {text}` at line {copy.span.line}{kept}")


def _change(model, copy, run, inner, landings):
    """(COPY flag, its value, whether the RUN must keep the command for the directory alone) for a chown, chgrp
    or chmod of exactly the COPY's files; None when COPY cannot do the same."""
    operands = inner.operands()
    if len(operands) < 2 or any(w.value is None or not w.value.startswith("/") for w in operands[1:]):
        return None  # a path a variable or a `cd` decides
    spec, paths = operands[0], operands[1:]
    if {posixpath.normpath(w.value) for w in paths} != set(landings):
        return None  # not exactly what the COPY brought
    if any(a.value not in _OPTIONS for a in inner.args if (a.value or "").startswith("-") and a is not spec):
        return None
    verb = inner.basename
    value = _flag_value(model, copy, run, verb, spec)
    if value is None:
        return None
    keep = _keep(model, copy, verb, value, [p for p, tree in landings.items() if tree])
    if keep is None:
        return None
    return ("chmod" if verb == "chmod" else "chown"), value, keep


def _command(model, run, span):
    """(code, its commands, the chown, chgrp and chmod commands it starts with) when the command at `span` is one
    of these, plain and not wrapped (`sudo`), in the RUN's own code; else None."""
    from dfcheck.model import executed

    for code, command in executed(model.shell_code(run)):
        if code.span(command.start, command.end) != span:
            continue
        if code.parent is not None:
            return None
        commands = [c for c in code.script.commands if not c.in_function]
        leading = []
        for c in commands:
            if c.effective().basename not in _VERBS or c.wrappers or not plain(c):
                break
            leading.append(c)
        return (code, commands, leading) if command in leading else None
    return None


def _landings(model, copy):
    """Image path -> whether it is a directory tree, for each source of the COPY; None when one is unknown."""
    sources = model.sources(copy)
    out = {}
    for source in sources:
        landing = source.landing(len(sources) == 1)
        if landing is None or source.kind not in ("file", "dir", "context", "stage") or source.glob or \
                source.extract[0] is not False:
            return None  # unknown, or an archive ADD may unpack (its files keep the owners the archive gives)
        out[landing.path] = landing.tree
    return out


def _flag_value(model, copy, run, verb, word):
    """The value of the COPY flag for a chown/chgrp owner or a chmod mode, or None when COPY cannot say it."""
    text = word.text
    if word.value != text and "$" not in text:
        return None  # quoted: what COPY would read differs
    for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text):
        variable = model.scope(copy).get(name)
        if variable is None or variable is not model.scope(run).get(name):
            return None  # a shell variable, or one declared between: the COPY would expand it otherwise
    if verb == "chmod":
        if "$" in text:
            return None
        if _OCTAL.fullmatch(text):
            return text if frontend_accepts(model, "chmod", run) else None
        return text if _SYMBOLIC.fullmatch(text) and frontend_accepts(model, "chmod-symbolic", run) else None
    if not _OWNER.fullmatch(text) or text.count(":") > 1 or "." in text:
        return None
    user, colon, group = text.partition(":")
    if verb == "chgrp":
        return f"0:{text}" if text and not colon else None
    if not colon:
        return f"{user}:0" if user else None  # `chown user` leaves the group COPY gives: root's
    return text if user and group else (f"0:{group}" if group and not user else None)


def _keep(model, copy, verb, value, trees):
    """Whether the directory the COPY fills must keep the RUN's non-recursive chown or chmod (it existed before
    the COPY, or COPY would create it with another mode); None when files of an earlier layer are in it (the
    recursive command changed them too)."""
    if not trees:
        return False
    stage = model.stage_of(copy)
    existed = False
    for owner in model.lineage(stage):
        for node in owner.instructions:
            if node is copy:
                break
            for tree in trees:
                made = [_workdir_after(model, node)] if node.keyword == "WORKDIR" else [
                    a.path if a.empty else None for a in model.filesystem.effects(node).added
                    if _under(a.path, tree)] if node.keyword in ("RUN", "COPY", "ADD") else []
                for path in made:
                    if path == tree:
                        existed = True  # a WORKDIR or mkdir made it, empty
                    elif path is None or _under(path, tree):
                        return None  # files or directories in it that the recursive command changed too
    if existed:
        return True
    return verb == "chmod" and value.lstrip("0") != "755"


def _workdir_after(model, node):
    value = model.expand(node, node.args[0].value).value if node.args else ""
    return posixpath.normpath(posixpath.join(model.workdir(node), value))


def _under(path, tree):
    return path == tree or path.startswith(tree.rstrip("/") + "/")
