"""Assemble the model of a parsed Dockerfile: stages, variables, runtime settings, layers, code.

One walk over the instructions, in order, computes everything that depends on order (the variables
each instruction sees, the settings at the end of each stage); the shell code of a RUN is parsed
only when a rule asks for it.

(A little over the usual length: the walk, the model's lazily built parts and the ONBUILD replays, which build
models of their own, share the model's private state.)
"""

from __future__ import annotations

import posixpath
from collections import ChainMap

from ..syntax.nodes import Dockerfile, Instruction, ParseError, Span
from .runtime import DEFAULT_SHELL, WINDOWS_SHELL, CommandLine, Runtime, Setting, command_line, image_shell
from .stages import Reference, Stage
from .variables import (
    EXPANDED, EXPANDED_FLAGS, PLATFORM_ARGS, PROXY_ARGS, Expansion, Layers, Scope, UndefinedUse, Variable, expand,
    reference_span,
)

# What a FROM line sees besides the global ARGs: BuildKit's platform arguments, values unknown.
_PLATFORM_VARIABLES = {n: Variable(n, None, "arg", None) for n in PLATFORM_ARGS}

SUGGESTION_BUDGET = 20_000  # names compared with undefined ones for "did you mean", per file



class Model:
    """Everything a rule may ask about a Dockerfile's build. Built once per file, shared by all rules."""

    def __init__(self, dockerfile: Dockerfile, path: str | None = None, context_dir: str | None = None,
                 target: str | None = None, build_args: dict | None = None, named_contexts: dict | None = None):
        from ..syntax.expansion import Lexer

        self.dockerfile = dockerfile
        self.onbuild_of: Model | None = None  # set on the models of the ONBUILD triggers (see `onbuild`)
        # on those: (span, note) of each trigger they run, the note saying in which build it runs
        self.trigger_notes: list[tuple[Span, str]] = []
        # on the model of the build of an image FROM a stage: the ids of the triggers, which copy from that build's
        # context, not from the one the rest of the instructions copied from
        self.child_context: set[int] = set()
        self.path = path
        self.context_dir = context_dir
        self.build_args = dict(build_args or {})
        # `--build-context NAME=LOCATION` (Compose's additional_contexts, Bake's contexts): a FROM, COPY --from or
        # RUN --mount from= naming one gets it instead of a stage or an image (names compared in lower case)
        self.named_contexts = {name.lower(): value for name, value in (named_contexts or {}).items()}
        self.lexer = Lexer(dockerfile.escape)
        self.errors: list[ParseError] = []  # structural problems BuildKit rejects (no FROM, ...)
        self.context_error: str | None = None  # set when the build context was asked for and cannot be used
        self.stages: list[Stage] = []
        self.global_args: dict[str, Variable] = {}
        self.undefined: list[UndefinedUse] = []
        self._scopes: dict[int, Scope] = {}  # id(instruction) -> the variables it sees
        self._stage_of: dict[int, Stage] = {}
        self._code: dict[int, tuple] = {}
        self._commands: dict[int, list] = {}  # id(RUN) -> what `commands` says of it
        self._sources: dict[int, list] = {}
        self._named: dict[str, list[Stage]] = {}  # `AS` name -> the stages of that name, in file order
        self._root: dict[int, Stage] = {}  # id(stage) -> the root of its lineage
        self._globals = Layers()  # the global ARGs as they are declared (global_args: all of them)
        self._from_names: set | None = None  # the names a FROM line may use
        self._suggestions: dict[tuple, str | None] = {}  # (undefined name, id(declared names)) -> a suggestion
        self._compared = 0  # names compared for suggestions so far
        self._user_at: dict[int, object] = {}  # id(instruction) -> the USER Setting in effect, or None
        self._children: dict[int, list[Stage]] | None = None  # id(stage) -> the stages FROM it, when asked
        self._walk()
        self.target = self._find_target(target)
        self.target_given = target is not None  # else the last stage, as `docker build` without --target

    # -- queries ----------------------------------------------------------------------------

    @property
    def instructions(self) -> list[Instruction]:
        return self.dockerfile.instructions

    def stage_of(self, node: Instruction) -> Stage | None:
        return self._stage_of.get(id(node))

    def scope(self, node: Instruction) -> Scope:
        """The variables `node` sees (those set before it)."""
        return self._scopes.get(id(node)) or Scope(dict(self.global_args), {})

    def expand(self, node: Instruction, text: str) -> Expansion:
        """`text` expanded as BuildKit expands `node`'s arguments."""
        return expand(self.lexer, text, self.scope(node))

    def sources(self, node: Instruction) -> list:
        """What each source of a COPY or ADD is and brings (`sources.Source`), computed once per instruction."""
        key = id(node)
        found = self._sources.get(key)
        if found is None:
            from .sources import sources

            found = self._sources[key] = sources(self, node)
        return found

    def stage_named(self, name: str) -> Stage | None:
        """A stage by `AS` name (case-insensitive) or by index."""
        named = self._named.get(name.lower())
        if named:
            return named[0]
        if name.isdigit() and int(name) < len(self.stages):
            return self.stages[int(name)]
        return None

    def lineage(self, stage: Stage) -> list[Stage]:
        """The chain of `FROM <stage>` bases, root first, ending with `stage` (a base is always an earlier
        stage, so the chain ends)."""
        chain = [stage]
        while chain[-1].base_stage is not None:
            chain.append(chain[-1].base_stage)
        return chain[::-1]

    def base_facts(self, stage: Stage):
        """What the external image at the root of `stage`'s FROM lineage brings (a `base_images.ImageFacts`: its
        OS and /bin/sh, USER, CMD, ENTRYPOINT, ...), or None: scratch, an image dfcheck's table does not know, or
        one named by a build argument whose value is not known."""
        image = self.base_image(stage)
        if image is None:
            return None
        from .base_images import facts_for

        return facts_for(image)

    def base_image(self, stage: Stage) -> str | None:
        """The image reference at the root of `stage`'s FROM lineage, variables expanded (a named context's
        `docker-image://` reference included), or None: scratch, another kind of named context, or a value that
        is not known."""
        root = self.root(stage)
        if root.base_stage is not None or not root.node.values or root.is_scratch:
            return None
        if root.base_context is not None:
            prefix = "docker-image://"
            return root.base_context[len(prefix):] if root.base_context.startswith(prefix) else None
        if not self.expand(root.node, root.node.values[0]).exact:
            return None
        return root.base

    def image_sh(self, stage: Stage) -> tuple[str, str]:
        """Which shell `/bin/sh` is in the root image of `stage`'s lineage ("dash", "ash", "bash"; "none" for
        scratch, "windows" for a Windows image), and how dfcheck knows: "table" (the image is in dfcheck's
        table), "scratch", or "guess" (from the image's name, `runtime.image_shell`)."""
        root = self.root(stage)
        if root.is_scratch:
            return "none", "scratch"
        facts = self.base_facts(stage)
        if facts is not None and facts.sh:
            return facts.sh, "table"
        return image_shell(self.base_image(stage) or root.base), "guess"

    def root(self, stage: Stage) -> Stage:
        """The first stage of `stage`'s lineage: the one whose base is an image (lineage(stage)[0])."""
        return self._root[id(stage)]

    def built_on(self, stage: Stage) -> list[Stage]:
        """The stages whose `FROM` chain goes through `stage` (not `stage` itself), in file order."""
        if self._children is None:
            self._children = {}
            for s in self.stages:
                if s.base_stage is not None:
                    self._children.setdefault(id(s.base_stage), []).append(s)
        found, todo = [], [stage]
        while todo:
            for child in self._children.get(id(todo.pop()), ()):
                found.append(child)
                todo.append(child)
        return sorted(found, key=lambda s: s.index)

    def lineages(self, stage: Stage) -> list[list[Stage]]:
        """The chains of FROM bases `stage` may be built on, root first: its `lineage`, or one chain per stage a
        FROM names through unknown variables (`Stage.candidates`)."""
        chain = self.lineage(stage)
        root = chain[0]
        if not root.candidates:
            return [chain]
        found = [above + chain for base in root.candidates for above in self.lineages(base)]
        return found[:16]  # each candidate a build of its own: enough to tell, not all of a combinatorial file

    @property
    def shipped_stages(self) -> list[Stage]:
        """The stages whose layers end up in the image: the target and its FROM lineage (every stage it may be
        built on, when a FROM names one through unknown variables)."""
        if not self.target:
            return []
        chains = self.lineages(self.target)
        return chains[0] if len(chains) == 1 else sorted({id(s): s for c in chains for s in c}.values(),
                                                          key=lambda s: s.index)

    @property
    def built_stages(self) -> list[Stage]:
        """The stages a build of the file builds: with an explicit target, that stage and every stage it needs;
        without, every stage, each being there to be built (by default, or with `--target`)."""
        if self.target is not None and self.target_given:
            return self.stages_needed(self.target)
        return list(self.stages)

    def stages_needed(self, stage: Stage) -> list[Stage]:
        """Every stage `stage` needs built: its base chain and what it copies or mounts from."""
        seen, ids, todo = [], set(), [stage]
        while todo:
            s = todo.pop()
            if id(s) in ids:
                continue
            seen.append(s)
            ids.add(id(s))
            if s.base_stage:
                todo.append(s.base_stage)
            todo.extend(s.candidates)
            todo.extend(r.stage for r in s.references if r.stage)
        return sorted(seen, key=lambda s: s.index)

    @property
    def context(self):
        """The build context (a `context.BuildContext`), opened on first access; None when there is none, or
        when it cannot be used as BuildKit would (`context_error` then says why, for the user)."""
        try:
            return self._context
        except AttributeError:
            from .context import ContextError, open_context

            try:
                self._context = open_context(self.context_dir, self.path)
            except ContextError as e:
                self._context, self.context_error = None, str(e)
            return self._context

    @property
    def filesystem(self):
        """What each layer adds, removes and rewrites (a `filesystem.Filesystem`), computed on demand."""
        try:
            return self._filesystem
        except AttributeError:
            from .filesystem import Filesystem

            self._filesystem = Filesystem(self)
            return self._filesystem

    @property
    def waste(self):
        """What later layers of the shipped stages delete or rewrite of earlier ones (a list of
        `effects.Waste`), computed once and shared by the layer rules and the layers report."""
        if not self.target:
            return []
        chains = self.lineages(self.target)
        return self.filesystem.waste(chains[0]) if len(chains) == 1 else self.filesystem.alternatives(chains)

    @property
    def shellcheck(self):
        """ShellCheck's comments on the shell code of every RUN (a `shellcheck.Report`): ShellCheck runs once,
        on first access; raises `shellcheck.ShellCheckError` when it is missing, fails or times out."""
        return self.shellcheck_report(True)

    def shellcheck_report(self, arg_values: bool = True):
        """The `shellcheck` report; with `arg_values` False, ARGs are not given their default values."""
        reports = self.__dict__.setdefault("_shellcheck_reports", {})
        if arg_values not in reports:
            from .shellcheck import check

            reports[arg_values] = check(self, arg_values)
        return reports[arg_values]

    @property
    def onbuild(self) -> list[Model]:
        """The builds that run the file's ONBUILD triggers, as models the rules lint like any other (empty when
        the file has none). BuildKit runs a stage's triggers at the start of every stage built FROM it, so:

        - when stages of this file are built FROM a stage that registers triggers, one model of this whole
          build with those triggers run right after each such stage's FROM (same target, same context);
        - for each stage that registers triggers and that no stage of the file is built FROM, one model of the
          build of an image FROM it: a stage that starts FROM the root of its lineage, does what the stage and
          the stages it is built on do (files, ENV, WORKDIR, USER, SHELL; not their ARGs, which an image does
          not keep), then runs the triggers.

        The instructions are copies, at their real positions; a stand-in FROM sits on the first ONBUILD
        keyword. `onbuild_of` is set on each model, and `trigger_notes` holds the span of each trigger it runs
        with a note saying where it runs: only findings inside those spans are about the triggers."""
        try:
            return self._onbuild
        except AttributeError:
            self._onbuild = _trigger_models(self)
            return self._onbuild

    @property
    def triggers(self) -> list[Instruction]:
        """The instructions ONBUILD registers, in file order."""
        return [n.trigger for n in self.dockerfile.instructions
                if n.keyword == "ONBUILD" and n.trigger is not None and not n.error]

    def workdir(self, node: Instruction) -> str:
        """The working directory in effect for `node` (before it, for a WORKDIR), "/" if unknown."""
        return self._workdir_at.get(id(node), "/")

    def user(self, node: Instruction):
        """The USER in effect for `node` (a runtime.Setting: set earlier in its stage, or inherited through
        `FROM <stage>`), None when the Dockerfile sets none (the base image's user applies)."""
        return self._user_at.get(id(node))

    def shell(self, node: Instruction) -> tuple[str, ...]:
        """The SHELL in effect for `node`."""
        return self._shell_at.get(id(node), DEFAULT_SHELL)

    def shell_code(self, node: Instruction):
        """The shell code a RUN executes (a list of ShellCode), parsed lazily."""
        return self._run_code(node)[0]

    def embedded_scripts(self, node: Instruction):
        """Heredoc scripts of a RUN run by another interpreter (python, node, ...)."""
        return self._run_code(node)[1]

    def commands(self, node: Instruction) -> list:
        """(shell code, command as written, command with wrappers such as sudo and env stripped) for each command
        a RUN runs, heredoc bodies run by a shell and `sh -c '...'` strings included, in the order they run:
        found once per RUN, for every rule that reads them."""
        key = id(node)
        found = self._commands.get(key)
        if found is None:
            from .scripts import executed

            found = [(code, command, command.effective()) for code, command in executed(self.shell_code(node))]
            self._commands[key] = found
        return found

    def _run_code(self, node: Instruction):
        key = id(node)
        if key not in self._code:
            from .scripts import run_code

            self._code[key] = run_code(node, self.shell(node))
        return self._code[key]

    # -- the walk ---------------------------------------------------------------------------

    def _walk(self) -> None:
        self._shell_at: dict[int, tuple] = {}
        self._workdir_at: dict[int, str] = {}
        stage = None
        args = Layers()  # the stage's ARGs and ENVs as they are set: each instruction sees a view of them
        env = Layers()
        runtime = Runtime()
        cmd_set = False
        declared_anywhere = self._declared_names()
        end_args: dict[int, dict] = {}  # id(stage) -> the ARGs declared in it (and its bases) at its end
        for node in self.dockerfile.instructions:
            if node.error and node.keyword != "FROM":
                continue
            if node.keyword == "FROM":
                if stage is not None:
                    stage.runtime = runtime
                    stage.env = dict(env.view())
                    end_args[id(stage)] = dict(args.view())
                stage = self._start_stage(node)
                base = stage.base_stage
                # BuildKit carries a stage's declared ARGs (with their values) into a stage built FROM it.
                args = Layers(end_args.get(id(base)) if base is not None else None)
                env = Layers(base.env if base is not None else None)
                runtime = base.runtime.inherit() if base is not None else self._initial_runtime(stage)
                cmd_set = False
                continue
            if stage is None:
                if node.keyword == "ARG":
                    self._global_arg(node)
                else:
                    self.errors.append(ParseError("no build stage in current context", node.keyword_span))
                continue
            scope = Scope(args.view(), env.view())
            self._scopes[id(node)] = scope
            self._stage_of[id(node)] = stage
            stage.instructions.append(node)
            self._shell_at[id(node)] = runtime.shell.value
            self._workdir_at[id(node)] = runtime.workdir.value
            self._user_at[id(node)] = runtime.user
            self._check_undefined(node, scope, stage, declared_anywhere)
            kw = node.keyword
            if kw == "ARG":
                for pair in node.pairs:
                    args.set(pair.key, self._stage_arg(node, pair, scope))
            elif kw == "ENV":
                for pair in node.pairs:
                    env.set(pair.key, Variable(pair.key, self._known(node, pair.value, scope), "env", node))
            elif kw in ("COPY", "RUN"):
                self._references(node, stage, scope)
            cmd_set = self._apply_runtime(node, runtime, scope, cmd_set)
        if stage is not None:
            stage.runtime = runtime
            stage.env = dict(env.view())

    def _declared_names(self) -> set:
        names = set(PLATFORM_ARGS) | set(PROXY_ARGS) | set(self.build_args)
        for node in self.dockerfile.instructions:
            if node.keyword in ("ARG", "ENV"):
                names.update(p.key for p in node.pairs)
        return names

    def _known(self, node: Instruction, raw: str | None, scope: Scope) -> str | None:
        if raw is None:
            return None
        result = expand(self.lexer, raw, scope)
        return result.value if result.exact and result.error is None else None

    def _global_arg(self, node: Instruction) -> None:
        scope = Scope(self._globals.view(), {})
        self._scopes[id(node)] = scope
        for pair in node.pairs:
            if pair.key in self.build_args:
                value = self.build_args[pair.key]
            else:
                value = self._known(node, pair.value, scope)
            self.global_args[pair.key] = Variable(pair.key, value, "arg", node)
            self._globals.set(pair.key, self.global_args[pair.key])

    def _stage_arg(self, node: Instruction, pair, scope: Scope) -> Variable:
        if pair.key in self.build_args:
            value = self.build_args[pair.key]
        elif pair.value is not None:
            value = self._known(node, pair.value, scope)
        elif pair.key in self.global_args:
            value = self.global_args[pair.key].value  # a bare ARG brings in the global default
        else:
            value = None
        return Variable(pair.key, value, "arg", node)

    def _start_stage(self, node: Instruction) -> Stage:
        scope = Scope(ChainMap(self._globals.view(), _PLATFORM_VARIABLES), {})
        self._scopes[id(node)] = scope
        values = node.values
        base = expand(self.lexer, values[0], scope).value if values else ""
        name = values[2].lower() if len(values) == 3 and values[1].lower() == "as" else None
        platform_flag = node.flag("platform")
        platform = expand(self.lexer, platform_flag.value, scope).value if platform_flag and platform_flag.value else None
        context = self.named_context(base)
        earlier = self._named.get(base.lower()) if context is None else None
        base_stage = earlier[-1] if earlier else None  # the last earlier stage of that name
        stage = Stage(len(self.stages), node, name, base, base_stage, platform, base_context=context)
        if base_stage is None and context is None and values and "$" in values[0]:
            from .variants import candidates

            stage.candidates = candidates(self.lexer, values[0], scope.values(), self.stages)
        self.stages.append(stage)
        self._root[id(stage)] = self._root[id(base_stage)] if base_stage is not None else stage
        if name:
            self._named.setdefault(name, []).append(stage)
        self._stage_of[id(node)] = stage
        if not node.error:
            if self._from_names is None:  # the global ARGs are all declared before the first FROM
                self._from_names = set(self.global_args) | set(PLATFORM_ARGS) | set(self.build_args)
            self._check_undefined(node, scope, stage, self._from_names)
        return stage

    def _references(self, node: Instruction, stage: Stage, scope: Scope) -> None:
        names = []
        if node.keyword == "COPY":
            flag = node.flag("from")
            if flag and flag.value:
                names.append(flag.value)
        else:
            for flag in node.flags:
                if flag.name == "mount" and flag.value:
                    for option in flag.value.split(","):
                        key, _, value = option.partition("=")
                        if key.strip() == "from" and value:
                            names.append(value.strip())
        for name in names:
            name = expand(self.lexer, name, scope).value
            context = self.named_context(name)
            target = self.stage_named(name) if context is None else None
            if target is stage:
                target = None
            stage.references.append(Reference(node, name, target, context))

    def named_context(self, name: str) -> str | None:
        """The location of the named build context `name` (a FROM's base, a --from), when the build has one;
        BuildKit reserves `scratch` and `context`."""
        lowered = name.lower()
        if not self.named_contexts or lowered in ("scratch", "context"):
            return None
        return self.named_contexts.get(lowered)

    def _initial_runtime(self, stage: Stage) -> Runtime:
        """The settings a stage starts with when its base is an image: the CMD, ENTRYPOINT, USER and WORKDIR of
        an image dfcheck's table knows; else unknown, but for the default shell (and `/` as working directory)."""
        runtime = Runtime(known_base=stage.is_scratch)
        if image_shell(stage.base) == "windows":
            runtime.shell = Setting(WINDOWS_SHELL, None)  # Docker's default shell on Windows
        facts = None if stage.is_scratch else self.base_facts(stage)
        if facts is None:
            return runtime
        image = self.base_image(stage)
        if facts.cmd is not None and facts.entrypoint is not None:
            runtime.known_base = True
            if facts.entrypoint:
                runtime.entrypoint = CommandLine(stage.node, True, facts.entrypoint, DEFAULT_SHELL, True, image,
                                                 "ENTRYPOINT")
            if facts.cmd:
                runtime.cmd = CommandLine(stage.node, True, facts.cmd, DEFAULT_SHELL, True, image, "CMD")
        if facts.user:
            runtime.user = Setting(facts.user, None, inherited=True)
        if facts.workdir:  # a relative WORKDIR, a relative COPY destination and RUN start from it (/go of golang)
            runtime.workdir = Setting(facts.workdir, None, inherited=True)
        return runtime

    def _apply_runtime(self, node: Instruction, rt: Runtime, scope: Scope, cmd_set: bool) -> bool:
        kw = node.keyword
        if kw == "USER" and node.args:
            rt.user = Setting(self.expand(node, node.args[0].value).value, node)
        elif kw == "WORKDIR" and node.args:
            path = self.expand(node, node.args[0].value).value
            rt.workdir = Setting(posixpath.normpath(posixpath.join(rt.workdir.value, path)), node)
        elif kw == "SHELL" and node.json:
            rt.shell = Setting(tuple(node.values), node)
        elif kw == "CMD":
            rt.cmd = command_line(node, node.values, rt.shell.value)
            return True
        elif kw == "ENTRYPOINT":
            rt.entrypoint = command_line(node, node.values, rt.shell.value)
            if not cmd_set:
                # BuildKit clears a CMD the stage inherited when the stage sets its own ENTRYPOINT.
                if rt.cmd is not None or not rt.known_base:
                    rt.cmd_reset_by, rt.reset_cmd = node, rt.cmd
                rt.cmd = None
        elif kw == "HEALTHCHECK" and node.args:
            if node.args[0].value.upper() == "NONE":
                rt.healthcheck = Setting(("NONE",), node)
            else:
                rt.healthcheck = Setting(CommandLine(node, node.json, tuple(node.values[1:]), rt.shell.value), node)
        elif kw == "STOPSIGNAL" and node.args:
            rt.stopsignal = Setting(node.args[0].value, node)
        elif kw == "EXPOSE":
            rt.expose.extend(Setting(self.expand(node, a.value).value, node) for a in node.args)
        elif kw == "VOLUME":
            rt.volumes.extend(Setting(self.expand(node, a.value).value, node) for a in node.args)
        return cmd_set

    def _check_undefined(self, node: Instruction, scope: Scope, stage: Stage, declared_anywhere: set) -> None:
        """Record variables an expanded instruction uses that nothing declares."""
        if node.keyword not in EXPANDED and node.keyword not in EXPANDED_FLAGS:
            return
        texts = []
        if node.keyword in EXPANDED:
            if node.pairs:
                texts += [(p.value, p.value_span) for p in node.pairs if p.value is not None]
            else:
                texts += [(a.value, a.span) for a in node.args]
        for flag in node.flags:
            if flag.name in EXPANDED_FLAGS.get(node.keyword, ()) and flag.value:
                texts.append((flag.value, flag.span))
        for text, span in texts:
            if "$" not in text:
                continue
            from ..syntax.expansion import ExpansionError

            try:
                result = self.lexer.process_word(text, scope.values())
            except ExpansionError:
                continue
            for name in sorted(result.unset):
                if not (name[0].isalpha() or name[0] == "_") or scope.declared(name):
                    continue
                key = (name, id(declared_anywhere))
                if key not in self._suggestions:
                    # A suggestion compares the name with every declared one: thousands of undefined names
                    # among thousands of declared ones would take minutes, so the comparisons are budgeted.
                    self._compared += len(scope.args) + len(scope.env) + len(declared_anywhere)
                    suggestion = None
                    if self._compared <= SUGGESTION_BUDGET:
                        from ..suggest import closest

                        candidates = set(scope.args) | set(scope.env) | declared_anywhere
                        suggestion = closest(name, candidates, ignore_case=False)
                    self._suggestions[key] = suggestion
                self.undefined.append(UndefinedUse(
                    name, node, reference_span(self.dockerfile.lines, span, name), self._suggestions[key],
                ))

    def _find_target(self, target: str | None) -> Stage | None:
        if target:
            found = self.stage_named(target)
            if found is None:
                self.errors.append(ParseError(f"target stage {target!r} could not be found", Span(1, 1, 1, 1)))
            else:
                return found
        return self.stages[-1] if self.stages else None


def _trigger_models(model: Model) -> list[Model]:
    from copy import copy as replace  # a copy of an instruction, slot by slot (its `index` is set anew)

    from ..syntax import parse

    registers = {id(stage): [n.trigger for n in stage.instructions if n.keyword == "ONBUILD" and n.trigger is not None
                             and not n.error] for stage in model.stages}
    children: dict[int, list[Stage]] = {}
    for stage in model.stages:
        if stage.base_stage is not None and registers[id(stage.base_stage)]:
            children.setdefault(id(stage.base_stage), []).append(stage)
    d = model.dockerfile
    built = []
    if children:
        # This build, with each stage's triggers run at the start of the stages built FROM it.
        instructions, notes = [], []
        for node in d.instructions:
            instructions.append(replace(node))
            stage = model.stage_of(node) if node.keyword == "FROM" else None
            if stage is not None and stage.base_stage is not None and stage.node is node:
                for trigger in registers[id(stage.base_stage)]:
                    instructions.append(replace(trigger))
        for parent in model.stages:
            if id(parent) in children:
                where = " and ".join(s.label for s in children[id(parent)])
                note = f" (ONBUILD: this runs at the start of {where}, built FROM this stage)"
                notes.extend((trigger.span, note) for trigger in registers[id(parent)])
        target = str(model.target.index) if model.target is not None else None
        dockerfile = Dockerfile(d.text, d.lines, _numbered(instructions), d.comments, d.directives, [], d.escape,
                                d.frontend_directives)
        replay = Model(dockerfile, model.path, model.context_dir, target, model.build_args, model.named_contexts)
        replay.trigger_notes = notes
        built.append(replay)
    for stage in model.stages:
        triggers = registers[id(stage)]
        if not triggers or id(stage) in children:
            continue
        # The build of an image FROM this stage: what the stage's lineage does, then the triggers.
        lineage = model.lineage(stage)
        anchor = next(n.keyword_span for n in stage.instructions if n.keyword == "ONBUILD")
        instructions = []
        for node in parse(f"FROM {lineage[0].base or 'scratch'}\n").instructions:
            _place(node, anchor)
            instructions.append(node)
        instructions.extend(replace(n) for s in lineage for n in s.instructions if n.keyword not in ("ONBUILD", "ARG"))
        copies = [replace(trigger) for trigger in triggers]
        instructions.extend(copies)
        child = Model(Dockerfile(d.text, d.lines, _numbered(instructions), [], [], [], d.escape))
        child.child_context = {id(node) for node in copies}
        child.trigger_notes = [(t.span, " (ONBUILD: this runs in the build of an image FROM this one)")
                               for t in triggers]
        built.append(child)
    for child in built:
        child.onbuild_of = model
    return built


def _numbered(instructions: list[Instruction]) -> list[Instruction]:
    for index, node in enumerate(instructions):
        node.index = index
    return instructions


def _place(node: Instruction, anchor: Span) -> None:
    """Put a stand-in instruction (and copies of its parts: a parse may share them) on `anchor`, where no
    trigger is."""
    from copy import copy

    node.span = node.keyword_span = anchor
    node.segments = ((0, anchor.line, anchor.column),)
    node.args, node.flags, node.pairs = ([copy(p) for p in parts] for parts in (node.args, node.flags, node.pairs))
    for part in node.args + node.flags + node.pairs:
        part.span = anchor
    for pair in node.pairs:
        pair.key_span = pair.value_span = anchor


def build_model(dockerfile: Dockerfile, *, path: str | None = None, context_dir: str | None = None,
                target: str | None = None, build_args: dict | None = None,
                named_contexts: dict | None = None) -> Model:
    return Model(dockerfile, path, context_dir, target, build_args, named_contexts)
