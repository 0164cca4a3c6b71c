"""The build model: what a Dockerfile's build will do, computed once and shared by every rule.

`__all__` is what rules may use of the model (the rule boundary, see README.md "Writing a rule"):
`from dfcheck.model import Model, action`. Only `Model` and `build_model` are imported here; every other
name is imported from its module on first use, so that a rule module importing a table costs nothing
until a rule reads it, and start-up stays as fast as before. A name a rule needs is added to `_WHERE`.
"""

import sys

from .build import Model, build_model

# the modules of this package that rules read, and the names each defines
_MODULES = {
    "base_images": ("dash_pipefail", "entrypoint_condition", "entrypoint_user"),
    "commands": ("CACHES", "TOOLS", "action", "lookup", "reads_env", "registry_install"),
    "commands.buildtime": ("MISUSE_WHY", "boots_init", "build_misuse"),
    "commands.downloads": ("saved_names", "verifies"),
    "commands.files": ("CURL_VALUES", "DIRECTORY_MOVES", "DOWNLOADERS", "EXTRACTORS", "HARMLESS", "HOUSEKEEPING",
        "NOT_USES", "WGET_VALUES"),
    "commands.interpreters": ("INLINE_CODE", "PIPEFAIL_SHELLS", "SHELLS", "STDIN", "interpreter_family",
        "value_options"),
    "commands.languages": ("CREATED", "GO_VALUES", "LANGUAGE", "MANIFESTS", "NPM_VALUES", "PLACEHOLDERS", "PREFETCH",
        "PYTHON_ENVIRONMENTS", "PYTHON_ENVIRONMENT_DIRS", "SIBLING_PROJECTS", "YARN_VALUES",
        "gem_values"),
    "commands.manifests": ("ALONE", "MORE", "NEED_CONTEXT", "PREFETCH_ALONE", "references"),
    "commands.system": ("APT_SIMULATE", "APT_VALUES", "ASSUME_YES", "PROMPTING_ROLES", "assumes_yes"),
    "paths": ("BIN_DIRS", "TEMP_DIRS"),
    "runtime": ("BUILTINS", "DEFAULT_SHELL", "POSIX_SHELLS", "effective_argv", "format_argv", "image_shell"),
    "scripts": ("executed", "image_python_version", "python_version"),
    "sources": ("ARCHIVE_SUFFIXES", "BUILD_OUTPUT_DIRS", "CODE_SUFFIXES", "COMPRESSED_SUFFIXES", "CONFIG_DIRS", "DEPENDENCY_DIRS",
        "MANIFEST_DIRS", "SOURCE_DIRS", "TAR_SUFFIXES", "known_file", "static_parts", "unpack_flag"),
    "urls": ("split_url",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = ["Model", "build_model", *sorted(_WHERE)]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    __import__(f"{__name__}.{module}")
    found = sys.modules[f"{__name__}.{module}"]
    for other in _MODULES[module]:  # the module's other names too: one import each, not one a name
        globals()[other] = getattr(found, other)
    return globals()[name]
