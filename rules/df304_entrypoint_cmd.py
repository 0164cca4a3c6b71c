"""DF304-DF307: what the container really runs when ENTRYPOINT and CMD meet.

All four read the effective settings at the end of each stage (``stage.runtime``), inherited through
`FROM <stage>` and, for an image dfcheck's table knows, from the base image's own CMD and ENTRYPOINT, and
show the argv Docker will execute. A finding is reported in the stage that wrote the offending
instruction; a stage that only inherits both settings is reported in its base.
"""

from collections.abc import Iterator

from dfcheck.model import BUILTINS, POSIX_SHELLS, Model, effective_argv, entrypoint_condition, format_argv
from dfcheck.rule import Option, Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

from ._scratch import missing_shell


def _origin(model, line_of, stage):
    """` of the base image `nginx:1.27``, ` inherited from stage "base" (line 4)` or ` at line 12`."""
    if line_of.image is not None:
        return f" of the base image `{line_of.image}`"
    owner = model.stage_of(line_of.node)
    if owner is not None and owner is not stage:
        return f" inherited from {owner.label} (line {line_of.node.span.line})"
    return f" at line {line_of.node.span.line}"


def _written_in(model, line_of, stage):
    """Whether `stage` itself wrote this CMD or ENTRYPOINT (not a base stage, not the base image)."""
    return line_of.image is None and model.stage_of(line_of.node) is stage


def _exec_form_fix(command_line, what):
    """Replace a shell-form command that is one simple command of static words by its exec form."""
    argv = command_line.static_argv()
    node = command_line.node
    if argv is None or len(node.args) != 1:
        return None, None
    import json  # (not at the top: json's import is ~3 % of a run that needs none)

    text = json.dumps(list(argv), ensure_ascii=False)
    return argv, Fix("unsafe", [Edit(node.args[0].span, text)], f"Write the {what} in exec form: {text}")


@rule("DF304", "shell-entrypoint-ignores-cmd", "warning", fixable="unsafe", reads=("CMD", "ENTRYPOINT"))
def shell_entrypoint_ignores_cmd(model: Model, options: Options) -> Iterator[Finding]:
    """A shell-form ENTRYPOINT silently drops the CMD (and every `docker run` argument).

    ## What it does
    Reports a shell-form ENTRYPOINT in a stage whose effective configuration also has a CMD: its own,
    or one inherited through `FROM <stage>` (when the stage set that CMD before its ENTRYPOINT, or
    when the ENTRYPOINT itself is inherited). The message shows the argv that really runs and the CMD
    that is dropped. When the ENTRYPOINT comes from a base stage and this stage adds the CMD, the
    finding is on the CMD. The CMD of a base image never survives an ENTRYPOINT the stage sets (see
    DF307), so `FROM node` followed by `ENTRYPOINT node server.js` drops nothing and is not reported.

    ## Why is this bad?
    Docker runs a shell-form ENTRYPOINT as `/bin/sh -c "<entrypoint>"` (or the SHELL in effect) and
    appends nothing to it: the CMD and any arguments given to `docker run` are ignored. The CMD looks
    like it configures the container and does nothing.

    ## Example
    ```dockerfile
    FROM python:3.12
    ENTRYPOINT python -m app
    CMD ["--port", "8000"]
    # runs ["/bin/sh", "-c", "python -m app"]; --port 8000 is never passed
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12
    ENTRYPOINT ["python", "-m", "app"]
    CMD ["--port", "8000"]
    ```

    ## Fix safety
    When the ENTRYPOINT is a single simple command of static words (no variables, substitutions,
    globs, redirects or assignments), the fix writes it in exec form. It is unsafe: the CMD and
    `docker run` arguments start being passed to the program (which is the point, but changes what
    runs), and the program no longer runs under a shell (no shell start-up, `$0`, or signal
    handling by the shell). No fix is offered otherwise.

    ## Relation to other linters
    hadolint DL3025 and BuildKit's JSONArgsRecommended ask for the exec form in general; they are
    mapped to DF305 and DF306. This rule reports a different consequence (a CMD that is lost) and is
    not silenced by their suppressions.
    """
    for stage in model.stages:
        rt = stage.runtime
        ep, cmd = rt.entrypoint, rt.cmd
        if ep is None or ep.exec_form or not ep.words or cmd is None or not cmd.words:
            continue
        if not _written_in(model, ep, stage) and not _written_in(model, cmd, stage):
            continue  # both inherited: reported in the base stage
        runs = format_argv(ep.argv)
        if _written_in(model, ep, stage):
            _, fix = _exec_form_fix(ep, "ENTRYPOINT")
            yield Finding(
                ep.node.keyword_span,
                f"shell-form ENTRYPOINT runs {runs}; {cmd.display}{_origin(model, cmd, stage)} is dropped, "
                "and so are `docker run` arguments",
                fix,
            )
        else:
            yield Finding(
                cmd.node.keyword_span,
                f"this CMD is dropped: the shell-form ENTRYPOINT{_origin(model, ep, stage)} runs {runs} "
                "and ignores CMD",
            )


def _lone_shell(command_line):
    """A CMD that only starts an interactive shell (`["bash"]`, `["/bin/sh"]`), as the OS images have."""
    argv = command_line.argv
    return len(argv) == 1 and argv[0].rsplit("/", 1)[-1] in POSIX_SHELLS


def _exec_insertion(command_line):
    """An edit that puts `exec ` before the script's last command, when that is plain enough."""
    command = command_line.last_command()
    node = command_line.node
    script = command_line.script
    if command is None or len(node.args) != 1 or node.args[0].value != node.args_text:
        return None
    if (command.kind != "simple" or not command.argv or command.assignments or command.background
            or command.negated or command.name in BUILTINS or command.name is None
            or script.text[command.end:].strip()):
        return None
    line, column = node.locate(node.args_offset + command.argv[0].start)
    return Fix("unsafe", [Edit(Span(line, column, line, column), "exec ")],
               f"Start {command.name} with exec so that it replaces the shell as PID 1")


@rule("DF305", "shell-entrypoint-no-signals", "warning", hadolint=("DL3025",), buildkit=("JSONArgsRecommended",),
      fixable="unsafe",
      options=[Option("include-cmd", bool, True, "also report shell-form CMDs of stages without an ENTRYPOINT")],
      reads=("CMD", "ENTRYPOINT"))
def shell_entrypoint_no_signals(model: Model, options: Options) -> Iterator[Finding]:
    """A shell-form ENTRYPOINT (or CMD) leaves the shell as PID 1, and `docker stop` signals never
    reach the program.

    ## What it does
    Reports the effective shell-form ENTRYPOINT of a stage, and, with the option `include-cmd`
    (on by default), a shell-form CMD of a stage with no ENTRYPOINT, at the lower severity "info",
    when the shell will stay PID 1. It is not reported when:

    - the script already replaces the shell: `exec program ...` anywhere at its top level
      (`cd /app && exec gunicorn app:app` is fine);
    - the script installs a `trap`, so it handles signals on purpose;
    - the shell itself execs a lone simple command. bash does this for `bash -c "program args"`,
      and BusyBox ash (Alpine's `/bin/sh`) does it for the last command of the script;
      Debian's and Ubuntu's `/bin/sh`, dash, never does (Debian disables that optimisation). So
      dfcheck looks at the SHELL in effect, and for plain `/bin/sh` at the stage's base image: for
      an official image in dfcheck's table, the shell the table records (`docker:27` is Alpine's
      ash, `rabbitmq:4` Ubuntu's dash); for any other image it goes by the name:
      Alpine and BusyBox images count as ash, the Red Hat family (Fedora, CentOS, Rocky, Alma,
      UBI, Amazon Linux), Arch and openSUSE as bash, and every other image as dash. For bash it
      counts only a script that is one simple command without redirects: bash 5.1 and later also
      exec the last command of a `&&` or `;` list, older versions do not, and `exec` states the
      intent in every shell.

    Only POSIX shells are analysed: a SHELL of PowerShell or cmd, and a Windows base image
    (`nanoserver`, `servercore`, `windows`), are skipped. In a stage built `FROM scratch` into which
    nothing copies a shell (see DF415), a shell-form ENTRYPOINT or CMD is reported at the severity
    "error": there is no `/bin/sh` to run it, and the container fails to start.

    ## Why is this bad?
    `docker stop` sends SIGTERM to PID 1. A shell running a child does not forward it, so the program
    never hears it, cannot shut down cleanly, and is killed with SIGKILL after the timeout (10 s by
    default). A shell-form CMD has the same problem; it is reported as "info" because it is the
    most common way to start a container and is often harmless for short-lived commands.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENTRYPOINT python -m app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    ENTRYPOINT ["python", "-m", "app"]
    ```
    or, to keep the shell for variable expansion, `ENTRYPOINT exec python -m app --port "$PORT"`.

    ## Fix safety
    The fix inserts `exec ` before the script's last command, when that command is a plain top-level
    command (no assignments, not a builtin, not in a pipeline or background). It is unsafe: the
    program becomes PID 1, and a PID 1 that installs no SIGTERM handler ignores SIGTERM, and must
    reap zombie children; run such programs with `docker run --init` or under tini.

    ## Options
    `include-cmd` (default true): also report shell-form CMDs of stages without an ENTRYPOINT.
    """
    include_cmd = options.include_cmd
    for stage in model.stages:
        rt = stage.runtime
        ep, cmd = rt.entrypoint, rt.cmd
        severity = None
        if ep is not None and ep.words:
            if ep.exec_form:
                continue  # an exec-form ENTRYPOINT with a shell-form CMD is DF306
            target = ep
        elif include_cmd and cmd is not None and cmd.words and not cmd.exec_form:
            target, severity = cmd, "info"
        else:
            continue
        if not _written_in(model, target, stage):
            continue  # inherited: reported in the base stage
        shell = missing_shell(model, stage, target.node)
        if shell is not None:
            yield Finding(target.node.keyword_span,
                          f"shell-form {target.keyword} runs {shell} -c, but this stage is built FROM scratch and "
                          f"nothing puts a shell at {shell}: the container fails to start; use the exec form",
                          severity="error")
            continue
        image_sh = model.image_sh(stage)[0]
        if target.shell_flavour(image_sh) in ("none", "windows") or target.pid1(image_sh) != "shell":
            continue
        program = target.main_program() or "the program"
        # With no ENTRYPOINT written in the file, a registry base image may still have one.
        verb = "runs" if ep is not None or rt.known_base else "is stored as"
        finding = Finding(
            target.node.keyword_span,
            f"shell-form {target.keyword} {verb} {format_argv(target.argv)}: the shell stays PID 1 and does not "
            f"pass SIGTERM on to {program}; use the exec form, or start the command with `exec`",
            _exec_insertion(target),
        )
        if severity:
            finding.severity = severity
        yield finding


@rule("DF306", "exec-entrypoint-shell-cmd", "warning", hadolint=("DL3025",), buildkit=("JSONArgsRecommended",),
      fixable="unsafe", reads=("CMD", "ENTRYPOINT"))
def exec_entrypoint_shell_cmd(model: Model, options: Options) -> Iterator[Finding]:
    """An exec-form ENTRYPOINT receives a shell-form CMD as `/bin/sh -c "..."` arguments.

    ## What it does
    Reports a shell-form CMD in a stage whose effective ENTRYPOINT is in exec form: its own, one
    inherited from a base stage in this file, or the base image's own, for an official image in
    dfcheck's table (`nginx`, `node`, `php`, `rabbitmq`, `eclipse-temurin`, ... run an entrypoint
    script). The message shows the argv that really runs, names the script, and says what the
    script then skips when dfcheck knows it: nginx's `/docker-entrypoint.sh` runs the scripts in
    `/docker-entrypoint.d/` (configuration templates, IPv6 listen, worker tuning) only when its first
    argument is `nginx` or `nginx-debug`.

    ## Why is this bad?
    Docker appends the CMD to an exec-form ENTRYPOINT, and a shell-form CMD is stored as
    `["/bin/sh", "-c", "<cmd>"]`, so the entrypoint gets `/bin/sh`, `-c` and the whole command as
    three arguments. Entrypoint scripts that look at `$1` (`if [ "$1" = "nginx" ]`) never see the
    program's name, and after `exec "$@"` the shell, not the program, is PID 1.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    CMD nginx -g "daemon off;"
    # runs ["/docker-entrypoint.sh", "/bin/sh", "-c", "nginx -g \"daemon off;\""]
    ```

    ## Use instead
    ```dockerfile
    FROM nginx:1.27
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## Fix safety
    When the CMD is a single simple command of static words, the fix writes it in exec form. It is
    unsafe: the entrypoint then receives the program and its arguments directly, which is almost
    always what was meant, but changes what runs.
    """
    for stage in model.stages:
        rt = stage.runtime
        ep, cmd = rt.entrypoint, rt.cmd
        if ep is None or not ep.exec_form or not ep.words or cmd is None or cmd.exec_form or not cmd.words:
            continue
        if not _written_in(model, cmd, stage):
            continue
        argv, fix = _exec_form_fix(cmd, "CMD")
        hint = f"; write CMD {format_argv(argv)}" if argv else "; use the exec form"
        condition = entrypoint_condition(ep.image) if ep.image is not None else None
        skipped = f"; {ep.words[0]} {condition}, and gets {cmd.argv[0]}" if condition else ""
        yield Finding(
            cmd.node.keyword_span,
            f"shell-form CMD reaches {ep.display}{_origin(model, ep, stage)} as arguments: runs "
            f"{format_argv(effective_argv(ep, cmd))}{skipped}{hint}",
            fix,
        )


@rule("DF307", "entrypoint-resets-inherited-cmd", "warning", fixable="unsafe", reads=("CMD", "ENTRYPOINT"))
def entrypoint_resets_inherited_cmd(model: Model, options: Options) -> Iterator[Finding]:
    """An ENTRYPOINT clears the CMD the stage inherited from its base stage or base image.

    ## What it does
    Reports the ENTRYPOINT of a stage when what it is built on has a CMD and this stage sets no CMD
    of its own: BuildKit (like the classic builder) resets an inherited CMD when a stage sets
    ENTRYPOINT, unless the stage set a CMD before it. The CMD comes from a base stage of this file,
    or from the base image itself for an official image in dfcheck's table (`nginx` runs
    `nginx -g "daemon off;"`); the latter is reported at the severity "info", since replacing an
    image's entrypoint and its command together is usually what was meant, and not at all when that
    CMD only starts a shell (`debian`'s `bash`, `alpine`'s `/bin/sh`). Not reported for a
    shell-form ENTRYPOINT, which ignores CMD anyway (see DF304), nor for an image the table does not
    know, whose CMD dfcheck cannot see.

    ## Why is this bad?
    Stages are often layered as "base with the app and its CMD" and "final with an init wrapper":
    `ENTRYPOINT ["tini", "--"]` in the final stage looks like it wraps the inherited CMD, but the
    image ends up running `tini --` with nothing to run.

    ## Example
    ```dockerfile
    FROM python:3.12 AS app
    CMD ["python", "-m", "app"]

    FROM app
    ENTRYPOINT ["tini", "--"]
    # runs ["tini", "--"]: the CMD is gone
    ```

    ## Use instead
    ```dockerfile
    FROM app
    ENTRYPOINT ["tini", "--"]
    CMD ["python", "-m", "app"]
    ```

    ## Fix safety
    The fix repeats the inherited CMD right after the ENTRYPOINT, in exec form with exactly the
    argv the base stage or image stored. It is unsafe: it changes the image's configuration, and the reset
    may have been intended.
    """
    for stage in model.stages:
        rt = stage.runtime
        if rt.cmd_reset_by is None or rt.cmd is not None:
            continue
        inherited, ep = rt.reset_cmd, rt.entrypoint
        if inherited is None or not inherited.words or ep is None or not ep.exec_form:
            continue
        if inherited.image is not None and _lone_shell(inherited):
            continue  # an OS image's interactive shell: nothing is lost
        if not _written_in(model, ep, stage):
            continue
        argv = effective_argv(ep, None)
        runs = f"runs {format_argv(argv)}" if argv else "the image has no command left"
        import json

        text = "CMD " + json.dumps(list(inherited.argv), ensure_ascii=False)
        end = ep.node.span
        fix = Fix("unsafe", [Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column), "\n" + text)],
                  f"Repeat the inherited CMD: {text}")
        finding = Finding(
            ep.node.keyword_span,
            f"ENTRYPOINT resets {inherited.display}{_origin(model, inherited, stage)}: {runs}; "
            "repeat the CMD after the ENTRYPOINT to keep it",
            fix,
        )
        if inherited.image is not None:
            finding.severity = "info"  # replacing an image's entrypoint and its command is usually meant
        yield finding
