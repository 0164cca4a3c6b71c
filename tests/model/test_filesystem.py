"""Filesystem effects per layer: what COPY/ADD and RUN add, remove and rewrite."""


from dfcheck.model.filesystem import relation
from dfcheck.wording import format_size
from support import model_of, tree


def effects(source, index=-1, **options):
    model = model_of(source, **options)
    node = model.instructions[index]
    return model, model.filesystem.effects(node)


def added(source, index=-1, **options):
    _, found = effects(source, index, **options)
    return [(a.path, a.what, a.tree) for a in found.added]


def test_relation_of_glob_paths():
    assert relation("/tmp/*", "/tmp/x.tgz") == "same"
    assert relation("/tmp", "/tmp/a/b") == "above"
    assert relation("/var/lib/apt/lists/*", "/var/lib/apt/lists") == "below"
    assert relation("/tmp/*.tgz", "/tmp/x.zip") is None
    assert relation("/tmp/*", "/tmp/.hidden") is None  # a shell glob skips dot files
    assert relation("/app/{a,b}", "/app/c") is None


def test_format_size():
    assert [format_size(n) for n in (None, 0, 1023, 1024, 3 * 1024 * 1024, 5 * 1024 ** 3)] == [
        "?", "0 B", "1023 B", "1.0 KiB", "3.0 MiB", "5.0 GiB"]


def test_copy_destinations_without_context():
    assert added("FROM a\nWORKDIR /app\nCOPY package.json .\n") == [("/app/package.json", "COPY", False)]
    assert added("FROM a\nCOPY app.jar /opt/app.jar\n") == [("/opt/app.jar", "COPY", False)]
    assert added("FROM a\nCOPY a.txt b.txt /data\n") == [("/data/a.txt", "COPY", False), ("/data/b.txt", "COPY", False)]
    assert added("FROM a\nCOPY app /srv/\n") == [("/srv", "COPY", True)]  # no extension: taken for a directory
    assert added("FROM a\nWORKDIR /srv\nCOPY . .\n") == [("/srv", "COPY", True)]
    assert added("FROM a\nCOPY --from=build /out /usr/local/bin/\n") == [("/usr/local/bin", "COPY --from=build", True)]
    assert added("FROM a\nADD https://example.com/x.tgz /tmp/\n") == [("/tmp/x.tgz", "download", False)]
    assert added("FROM a\nWORKDIR /w\nCOPY [\"src/\", \"out/\"]\n") == [("/w/out", "COPY", True)]


def test_copy_destinations_and_sizes_from_the_context(tmp_path):
    tree(tmp_path, {"app/main.py": "x" * 100, "app/lib/u.py": "y" * 50, "req.txt": "z" * 7, "a.bin": b"\0" * 10,
                    "b.bin": b"\0" * 20, ".dockerignore": "app/lib\n"})
    model, found = effects("FROM a\nCOPY app /srv/\n", context_dir=str(tmp_path))
    [copy] = found.added
    assert copy.files == (("/srv/main.py", 100),) and copy.known_size == 100  # app/lib is ignored
    model, found = effects("FROM a\nWORKDIR /w\nCOPY req.txt *.bin ./\n", context_dir=str(tmp_path))
    assert [f for a in found.added for f in a.files] == [("/w/req.txt", 7), ("/w/a.bin", 10), ("/w/b.bin", 20)]
    model, found = effects("FROM a\nCOPY req.txt /etc/requirements\n", context_dir=str(tmp_path))
    assert [(a.path, a.tree, a.files) for a in found.added] == [("/etc/requirements", False, (("/etc/requirements", 7),))]
    model, found = effects("FROM a\nCOPY . /ctx\n", context_dir=str(tmp_path))
    assert found.size == 100 + 7 + 10 + 20 + len("app/lib\n")


def test_run_downloads_clones_extractions():
    src = ("FROM a\nWORKDIR /build\nRUN curl -fsSLo /tmp/x.tgz https://e.com/x.tgz && curl -O https://e.com/y.zip"
           " && wget -q https://e.com/z.tar.xz && wget -O- https://e.com/s.sh | sh && wget -P /opt https://e.com/w.bin"
           " && git clone --depth 1 https://github.com/o/repo.git && git clone https://e.com/r /src/r"
           " && tar -xzf /tmp/x.tgz -C /opt/tool && unzip y.zip -d /opt/y && mkdir -p /data/a /data/b"
           " && echo hi > /etc/motd\n")
    assert added(src) == [
        ("/tmp/x.tgz", "download", False), ("/build/y.zip", "download", False),
        ("/build/z.tar.xz", "download", False), ("/opt/w.bin", "download", False), ("/build/repo", "clone", True),
        ("/src/r", "clone", True), ("/opt/tool", "extract", True), ("/opt/y", "extract", True),
        ("/data/a", "directory", True), ("/data/b", "directory", True), ("/etc/motd", "file written", False),
    ]


def test_cd_is_followed_and_subshells_do_not_leak():
    src = "FROM a\nRUN cd /tmp && curl -O https://e.com/a.tgz && (cd /opt && curl -O https://e.com/b.tgz) && curl -O https://e.com/c.tgz\n"
    assert [p for p, _, _ in added(src)] == ["/tmp/a.tgz", "/opt/b.tgz", "/tmp/c.tgz"]
    src = "FROM a\nRUN cd $DIR && curl -O https://e.com/a.tgz\n"
    assert added(src) == []  # the directory is not known


def test_create_and_delete_in_the_same_run_leaves_nothing():
    src = "FROM a\nRUN curl -o /tmp/x.tgz https://e.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz\n"
    model, found = effects(src)
    assert [(a.path, a.what, a.assumed) for a in found.added] == [
        ("/opt", "extract", None), ("/opt/x", "extract", "the archive unpacks to x/")]
    assert [(a.path, op.command) for a, op in found.cleaned] == [("/tmp/x.tgz", "rm /tmp/x.tgz")]


def test_package_manager_caches_and_their_cleanup():
    def caches(run):
        return [(a.path, a.what, a.tree) for a in effects(f"FROM a\nRUN {run}\n")[1].added if a.cache]

    assert caches("apt-get update && apt-get install -y curl") == [("/var/lib/apt/lists", "apt lists", True)]
    assert caches("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*") == []
    assert caches("apk add curl") == [("/var/cache/apk", "apk cache", True)]
    assert caches("apk add --no-cache curl") == []
    assert caches("pip install flask") == [("/root/.cache/pip", "pip cache", True)]
    assert caches("pip install --no-cache-dir flask") == []
    assert caches("python3 -m pip install -r requirements.txt") == [("/root/.cache/pip", "pip cache", True)]
    assert caches("yum install -y git && yum clean all") == []
    assert caches("dnf install -y git") == [("/var/cache/dnf", "dnf cache", True)]
    assert caches("npm ci && npm cache clean --force") == []
    assert caches("yarn install") == [("/usr/local/share/.cache/yarn", "yarn cache", True)]
    assert caches("yarn --version") == []
    assert caches("go build -o /app ./cmd") == [("/root/.cache/go-build", "Go build cache", True),
                                                  ("/root/go/pkg/mod", "Go module cache", True)]


def test_pip_cache_follows_user_home_and_environment():
    model = model_of("FROM a\nUSER app\nRUN pip install x\nENV PIP_NO_CACHE_DIR=1\nRUN pip install y\n"
                     "ENV HOME=/srv\nUSER root\nRUN npm install\n")
    runs = [n for n in model.instructions if n.keyword == "RUN"]
    paths = [[a.path for a in model.filesystem.effects(n).added] for n in runs]
    assert paths == [["/home/app/.cache/pip"], [], ["/srv/.npm", "/node_modules"]]


def test_mount_targets_are_not_written():
    src = ("FROM a\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt "
           "--mount=type=bind,source=dist,target=/tmp/dist --mount=type=tmpfs,target=/scratch "
           "apt-get update && apt-get install -y x && cp /tmp/dist/a.whl /scratch && curl -o /scratch/x https://e/x"
           " && rm -rf /tmp/dist/junk\n")
    model, found = effects(src)
    assert found.added == [] and found.operations == []
    assert [t for _, t in found.mounts] == ["/var/cache/apt", "/var/lib/apt", "/tmp/dist", "/scratch"]
    assert found.bind_sources == ["dist"]


def test_deletions_and_rewrites_are_recorded_with_their_commands():
    src = ("FROM a\nWORKDIR /app\nRUN rm -rf node_modules /tmp/* && apt-get clean && chown -R app:app /app "
           "&& chmod 755 run.sh && mv a.txt /srv/ && sed -i 's/a/b/' conf.ini && find /usr -name '*.pyc' -delete\n")
    model, found = effects(src)
    assert [(o.kind, o.path, o.recursive, o.verb) for o in found.operations] == [
        ("remove", "/app/node_modules", True, "rm"), ("remove", "/tmp/*", True, "rm"),
        ("remove", "/var/cache/apt/archives/*", True, "clean"), ("remove", "/var/cache/apt/*.bin", True, "clean"),
        ("rewrite", "/app", True, "chown"), ("rewrite", "/app/run.sh", False, "chmod"),
        ("rewrite", "/app/a.txt", True, "mv"), ("rewrite", "/app/conf.ini", False, "sed"),
        ("remove", "/usr", True, "find"),
    ]
    assert found.operations[-1].exact is False
    span = found.operations[0].span
    assert (span.line, span.column) == (3, 5)


def test_packages_installed_and_removed():
    model, found = effects("FROM a\nRUN apk add --virtual .build-deps gcc musl-dev && apt-get install -y curl=7.1 "
                           "&& pip install 'Flask>=2' && apt-get purge -y curl && apk del .build-deps\n")
    # Installed and removed by the same RUN: in no layer.
    assert [(p.manager, sorted(p.names), p.virtual) for p in found.installed] == [("pip", ["flask"], None)]
    assert [(p.manager, sorted(p.names)) for p in found.uninstalled] == [("apt", ["curl"]), ("apk", [".build-deps"])]


def test_waste_along_the_lineage():
    src = ("FROM alpine AS base\nCOPY data /data/\nRUN curl -o /tmp/x https://e/x\n"
           "FROM base\nRUN rm -rf /data/cache /tmp/x\n")
    model = model_of(src)
    found = model.filesystem.waste(model.shipped_stages)
    assert [(w.kind, w.operation.path, w.added.node.span.line, w.whole) for w in found] == [
        ("deleted", "/data/cache", 2, False), ("deleted", "/tmp/x", 3, True)]


def test_rewrite_copy_can_be_deleted_again():
    src = "FROM a\nCOPY run.sh /tmp/run.sh\nRUN chmod +x /tmp/run.sh\nRUN /tmp/run.sh && rm /tmp/run.sh\n"
    model = model_of(src)
    found = model.filesystem.waste(model.shipped_stages)
    assert [(w.kind, w.added.node.span.line, w.added.what) for w in found] == [
        ("rewritten", 2, "COPY"), ("deleted", 3, "copy by chmod")]


def test_model_filesystem_is_lazy():
    model = model_of("FROM a\nRUN apt-get update\n")
    assert "_filesystem" not in vars(model)
    assert model.filesystem is model.filesystem
    assert model.filesystem._effects == {}


def test_copied_files_are_listed_only_when_an_operation_needs_them(tmp_path):
    tree(tmp_path, {f"src/d{i}/f.py": "x" for i in range(20)} | {"big/blob": "y" * 10})
    model = model_of("FROM a\nCOPY . /app\nRUN chmod 644 /etc/hosts\n", context_dir=str(tmp_path))
    model.filesystem.waste(model.shipped_stages)
    assert set(model.context._listings) <= {"."}
    model = model_of("FROM a\nCOPY . /app\nRUN rm -rf /app/big\n", context_dir=str(tmp_path))
    [waste] = model.filesystem.waste(model.shipped_stages)
    assert waste.size == 10 and "src/d3" in model.context._listings


def test_glob_components_match_in_linear_time():
    from dfcheck.model.paths import glob_match

    assert glob_match("*.tgz", "x.tgz") and not glob_match("*.tgz", ".x.tgz") and glob_match(".*", ".cache")
    assert glob_match("f[0-3]?", "f2a") and not glob_match("f[!0-3]", "f2") and glob_match("a[]]b", "a]b")
    assert not glob_match("*a" * 30 + "b", "a" * 10_000)  # a backtracking matcher never returns from this


def test_waste_is_computed_once_and_shared():
    from support import builtin_rules

    model = model_of("FROM a\nCOPY app /app\nRUN apt-get update\nRUN rm -rf /app/tests && chown -R x /app\n")
    rules = builtin_rules()
    for code in ("DF201", "DF202", "DF203"):
        list(rules[code].check(model, rules[code].options))
    assert len(model.filesystem._waste) == 1 and model.waste is model.waste


def test_large_contexts_and_many_operations_stay_linear(tmp_path):
    """Hang guard, not a timing test: cases that were quadratic (a 20k-file context with an rm glob, a chown -R
    over 50k files, thousands of rm operands in one RUN) must finish well within the generous timeout."""
    import subprocess
    import sys

    probe = """
import os, sys
from dfcheck.model import build_model
from dfcheck.syntax import parse
root = sys.argv[1]
for i in range(20000):
    open(os.path.join(root, f"f{i}"), "w").close()
os.makedirs(os.path.join(root, "src"))
for i in range(30000):
    open(os.path.join(root, "src", f"s{i}"), "w").close()
text = ("FROM alpine\\nCOPY . /app\\nRUN rm -rf /app/f0*\\nRUN chown -R nobody /app/src\\n"
        "RUN rm " + " ".join(f"/app/f1{i}" for i in range(5000)) + "\\n")
model = build_model(parse(text), context_dir=root)
kinds = sorted({w.kind for w in model.waste})
print(len(model.waste), kinds)
"""
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["5002", "['deleted',", "'rewritten']"]
