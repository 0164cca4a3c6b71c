"""Configuration: where it is found, what it may say, and what applies to each linted file.

Where it is found. For each linted file dfcheck looks in the file's directory, then in its parent, and so on,
and uses the first directory that holds a configuration file. The search ends at the root of a repository (a
directory with a `.git` directory or file) or at the user's home directory, whichever comes first, and never
reads nor passes a directory anyone may write to (such as /tmp). Within one directory `.dfcheck.toml` wins
over `dfcheck.toml`, which wins over `pyproject.toml`; a `pyproject.toml` counts only if it has a
`[tool.dfcheck]` table (one that names dfcheck at all but is not valid TOML is an error: it may be meant to).
When no dfcheck configuration is found, the closest `.hadolint.yaml` or `.hadolint.yml` on the same way up
applies, read as the dfcheck configuration it amounts to (see dfcheck.hadolint). Exactly one file applies to
a linted file: files in different directories are not merged, but a file may `extend` another one
explicitly. `--config FILE` uses FILE for every linted file and `--no-config` uses none. Standard input is
looked up from the directory of `--stdin-filename`, or else the current directory. Paths in a configuration
file (`per-file-ignores` and `exclude` globs, `context`, `extend`) are relative to the directory of that file.
Options given on the command line apply on top of the configuration file.

What it may say (keys of `[tool.dfcheck]` in `pyproject.toml`, top-level keys in the other two):

    extend = "../dfcheck-base.toml"  # start from that file: this one's settings apply on top of it
    select = ["DF1", "DF401"]        # codes, code prefixes, rule names or "ALL"; replaces the default set
    extend-select = ["DF003"]        # added to the selection
    ignore = ["DF103"]               # removed from the selection (extend-ignore: the same)
    per-file-ignores = { "legacy/**" = ["DF4"] }  # glob -> selectors; a glob without "/" matches names anywhere
    severity = { DF401 = "error" }   # rule code or name -> error | warning | info | style
    fail-on = "warning"              # exit 1 at or above: error | warning | info (default) | style | never
    context = "."                    # the build context directory (default: the Dockerfile's directory)
    target = "production"            # the stage built (default: the last)
    build-args = { VERSION = "1.2" }
    exclude = ["vendor", "tests/fixtures/**"]  # globs skipped when searching directories; replaces DEFAULT_EXCLUDE
    extend-exclude = ["generated"]   # added to `exclude`
    respect-gitignore = true         # skip what .gitignore, .git/info/exclude and .ignore files ignore
    build-files = true               # lint each Dockerfile as the Compose and Bake files build it (dfcheck.builds)
    [tool.dfcheck.options.DF123]     # rule options, by code or name: only keys the rule declares

Wherever a rule is named, a hadolint code (`DL3020`) or a BuildKit check name (`JSONArgsRecommended`) names
the rules that answer to it (their `hadolint` and `buildkit` metadata), with a note saying which.

The selection is computed in order: the rules enabled by default; the file's `select` (replacing), its
`extend-select` (adding), its `ignore` and `extend-ignore` (removing) (an extended file's first); then the
command line's `--select` (replacing), `--extend-select`, `--ignore`; and last the file's `per-file-ignores`
for that file.
Every unknown key, unknown rule and bad value is an error naming the file and the key, with the closest
valid spelling when there is one.
"""

from .resolver import HADOLINT_NAMES, Resolver, config_file_in, describe, hadolint_file_in, search_ends_at
from .selectors import join_notes, resolve_selector, rule_for, rules_for
from .settings import (
    CONFIG_NAMES, DEFAULT_EXCLUDE, DEFAULT_FAIL_ON, FAIL_LEVELS, KEYS, MAX_CONFIG_BYTES, Config, ConfigError, Settings,
    default_settings, toml_value,
)
from .tables import extended, load_toml, parse_table, read_config_file, read_hadolint

__all__ = [
    "CONFIG_NAMES", "DEFAULT_EXCLUDE", "DEFAULT_FAIL_ON", "FAIL_LEVELS", "HADOLINT_NAMES", "KEYS", "MAX_CONFIG_BYTES",
    "Config", "ConfigError", "Resolver", "Settings", "config_file_in", "default_settings", "describe", "extended",
    "hadolint_file_in", "join_notes", "load_toml", "parse_table", "read_config_file", "read_hadolint",
    "resolve_selector", "rule_for", "rules_for", "search_ends_at", "toml_value",
]
