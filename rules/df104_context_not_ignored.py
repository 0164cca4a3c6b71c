from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Option, Finding, Options, rule

# name -> what it is; build output only counts next to the project file that produces it.
CANDIDATES = {
    ".git": "the Git repository", ".hg": "the Mercurial repository", ".svn": "the Subversion checkout",
    "node_modules": "installed Node packages", ".venv": "a virtualenv", "venv": "a virtualenv",
    "__pycache__": "Python bytecode", ".pytest_cache": "pytest's cache", ".mypy_cache": "mypy's cache",
    ".tox": "tox environments", ".next": "Next.js build output", "dist": "build output", "build": "build output",
    "target": "build output", ".terraform": "Terraform providers",
}
OUTPUT_OF = {
    "dist": ("package.json", "pyproject.toml", "setup.py"),
    "build": ("package.json", "pyproject.toml", "setup.py", "build.gradle", "build.gradle.kts", "CMakeLists.txt"),
    "target": ("Cargo.toml", "pom.xml"),
}
NESTED = ("node_modules", "__pycache__")  # looked for below the root too


@rule("DF104", "context-not-ignored", "warning", hadolint=("DL4007",),
      options=[Option("names", list[str], sorted(CANDIDATES), "what .dockerignore should leave out")],
      reads=("COPY", "ADD"))
def context_not_ignored(model: Model, options: Options) -> Iterator[Finding]:
    """The whole context is copied while `.dockerignore` lets VCS data, dependencies or build output in.

    ## What it does
    Needs the build context. For a COPY or ADD of the whole context (`.`, `./`, `*`), looks in the
    context for `.git` (and other VCS data), `node_modules`, virtualenvs (`.venv`, `venv`, any
    directory with a `pyvenv.cfg`), caches (`__pycache__`, `.pytest_cache`, `.mypy_cache`, `.tox`)
    and build output (`dist` and `build` next to a package.json, pyproject.toml or setup.py,
    `target` next to a Cargo.toml or pom.xml, `.next`) that `.dockerignore` does not exclude, and
    names each with its file count and size. The `names` option lists the directories looked for.

    hadolint's DL4007 warns on every `COPY .`; dfcheck looks at the context and reports only a copy that
    lets in what should stay out (without the context, nothing).

    ## Why is this bad?
    COPY is cached on the content of every file it copies. With `.git` in the context every commit
    changes it, and with `node_modules` every install: the COPY and all steps after it run again
    although nothing the image needs changed. The directories also ship in the image (or must be
    deleted again, which does not make the image smaller) and make the context slow to send.

    ## Example
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    COPY . .
    ```
    with a build context whose `.dockerignore` does not list `.git` and `node_modules`:
    ```context
    .dockerignore: dist
    .git/HEAD: ref: refs/heads/main
    node_modules/express/index.js
    package.json
    ```

    ## Use instead
    The same Dockerfile, with a `.dockerignore` at the context root (or a `Dockerfile.dockerignore` next
    to the Dockerfile) that lists them:
    ```context
    .dockerignore: .git
    .dockerignore: node_modules
    .git/HEAD: ref: refs/heads/main
    node_modules/express/index.js
    package.json
    ```
    ```dockerfile
    FROM node:20-slim
    WORKDIR /app
    COPY . .
    ```

    ## Fix safety
    No automatic fix: the fix goes into `.dockerignore`, not the Dockerfile.
    """
    from dfcheck.wording import format_size

    context = model.context
    if context is None:
        return
    wanted = list(options.names)
    stages = model.built_stages
    cached = None
    for stage in stages:
        for node in stage.find("COPY", "ADD"):
            for source in model.sources(node):
                if source.kind != "context":
                    continue
                if cached is None:
                    cached = _let_in(context, wanted)
                if not cached:
                    continue
                parts = [f"{path} ({len(files):,} file{'s' if len(files) != 1 else ''}, "
                         f"{format_size(sum(f.size for f in files))})" for path, files in cached[:5]]
                more = f" and {len(cached) - 5} more" if len(cached) > 5 else ""
                listed = (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else parts[0]
                how = ("there is no .dockerignore" if context.ignore_file is None
                       else f"{_name(context.ignore_file)} does not exclude them")
                note = f" ({context.note})" if context.note else ""
                ships = ", and go into the image" if stage in model.shipped_stages else ""
                yield Finding(source.span, (
                    f"{node.keyword} {source.text} copies {listed}{more} from the build context: {how}; they "
                    f"change the cache key of this copy and everything after it{ships}{note}"))


def _name(path):
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _let_in(context, wanted):
    roots = set(context.top_level())
    found = []
    for path in context.find_dirs([n for n in wanted if n not in NESTED], 1) + \
            context.find_dirs([n for n in wanted if n in NESTED], 3):
        name = path.rsplit("/", 1)[-1]
        if name in OUTPUT_OF and not roots & set(OUTPUT_OF[name]):
            continue
        if name in OUTPUT_OF and "/" in path:
            continue
        files = context.files(path)
        if files:
            found.append((path, files))
    for name in sorted(roots - set(wanted)):
        # The marker file first: for a plain file it is answered without listing the root again.
        if context.kind(f"{name}/pyvenv.cfg") == "file" and context.kind(name) == "dir":
            files = context.files(name)
            if files:
                found.append((name, files))
    found.sort(key=lambda item: (-sum(f.size for f in item[1]), item[0]))
    return found
