"""File tools in the catalog: downloads (curl, wget), git, archives, and the coreutils that create,
delete and rewrite files (cp, mv, rm, ln, chmod, chown, strip, install, mkdir, touch, sed -i, find), the
compilers and the tools that write the file an option names.

Longer than most modules: it is a catalog, one short reader per tool read top to bottom.
"""

from __future__ import annotations

import posixpath

from ...records import replace
from ..paths import SHARED_DIRS, has_glob, normalize, url_basename
from .base import Tool, options

CURL_VALUES = (
    "-o", "--output", "--output-dir", "-H", "--header", "-d", "--data", "--data-raw", "--data-binary",
    "--data-urlencode", "--data-ascii", "--json", "-u", "--user", "-X", "--request", "-A", "--user-agent", "-e",
    "--referer", "-w", "--write-out", "-m", "--max-time", "--retry", "--retry-delay", "--retry-max-time", "-x",
    "--proxy", "-T", "--upload-file", "--connect-timeout", "-r", "--range", "-c", "--cookie-jar", "-b", "--cookie",
    "-K", "--config", "-E", "--cert", "--cacert", "--capath", "--key", "--cert-type", "--key-type", "--pass", "-F",
    "--form", "--form-string", "--resolve", "--connect-to", "-z", "--time-cond", "--limit-rate", "-Y",
    "--speed-limit", "-y", "--speed-time", "--proto", "--proto-redir", "--proto-default", "--ciphers",
    "--interface", "--max-redirs", "--max-filesize", "-U", "--proxy-user", "--noproxy", "--preproxy",
    "--proxy-header", "--dns-servers", "--url", "--url-query", "--stderr", "--trace", "--trace-ascii", "-D",
    "--dump-header", "--oauth2-bearer", "--pinnedpubkey", "-Q", "--quote", "--variable", "--etag-save",
    "--etag-compare", "--create-file-mode", "--local-port", "--keepalive-time", "--expect100-timeout",
    "--happy-eyeballs-timeout-ms", "--unix-socket", "--abstract-unix-socket", "--mail-from", "--mail-rcpt",
    "--hostpubmd5", "--hostpubsha256", "--crlfile", "--egd-file", "--random-file", "--engine", "--login-options",
    "--sasl-authzid", "--service-name", "--socks4", "--socks4a", "--socks5", "--socks5-hostname", "--tls-max",
    "--tls13-ciphers", "--curves", "--doh-url", "--ftp-port", "-P", "--ftp-account", "--ftp-method",
    "--ftp-alternative-to-user", "--krb", "--netrc-file", "--aws-sigv4", "--parallel-max", "--rate",
)
WGET_VALUES = (
    "-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-a", "--append-output",
    "-t", "--tries", "-T", "--timeout", "-U", "--user-agent", "--header", "-e", "--execute", "-i",
    "--input-file", "--user", "--password", "--http-user", "--http-password", "-w", "--wait", "--limit-rate",
    "-l", "--level", "-A", "--accept", "-R", "--reject", "--ca-certificate", "--certificate", "-Q", "--quota",
    "--post-data", "--post-file", "-B", "--base", "--progress", "--dns-timeout", "--connect-timeout",
    "--read-timeout", "--bind-address", "--ca-directory", "--private-key", "--load-cookies", "--save-cookies",
    "--referer", "--method", "--body-data", "--body-file", "--waitretry", "--cut-dirs", "-D", "--domains",
    "--exclude-domains", "-I", "--include-directories", "-X", "--exclude-directories", "--default-page",
    "--restrict-file-names", "--secure-protocol", "--ftp-user", "--ftp-password",
)
ARIA2_VALUES = (
    "-d", "--dir", "-o", "--out", "-x", "--max-connection-per-server", "-s", "--split", "-k", "--min-split-size",
    "-j", "--max-concurrent-downloads", "-i", "--input-file", "-l", "--log", "-t", "--timeout", "-m", "--max-tries",
    "-U", "--user-agent", "--header", "--checksum", "-V", "--check-integrity",
)
GIT_CLONE_VALUES = ("-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference",
                    "--separate-git-dir", "-j", "--jobs", "--filter", "-u", "--upload-pack", "--template",
                    "--shallow-since", "--shallow-exclude", "--server-option", "--revision", "--bundle-uri")
# git commands that rewrite the working tree and .git of a repository (`reset` only with --hard, `submodule` only
# `update`).
GIT_REWRITES = frozenset({"checkout", "switch", "reset", "pull", "merge", "rebase", "cherry-pick", "am", "apply",
                          "submodule"})
GIT_GLOBAL_VALUES = ("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--exec-path")
TAR_VALUES = ("-C", "--directory", "-f", "--file", "--strip-components", "-T", "--files-from", "-X",
              "--exclude-from", "--exclude", "--owner", "--group", "--mode", "-I", "--use-compress-program",
              "-b", "--blocking-factor", "-H", "--format", "-g", "--listed-incremental", "--transform",
              "--xform", "-V", "--label")
UNZIP_VALUES = ("-d", "-x", "-P")
ZIP_VALUES = ("-b", "-n", "-t", "-tt", "-P", "-Z", "-s", "-O", "-I")
COMPILERS = ("gcc", "g++", "cc", "c++", "clang", "clang++", "rustc", "ld", "as", "musl-gcc", "tcc", "gfortran",
             "javac")
MKDIR_VALUES = ("-m", "--mode")
MV_VALUES = ("-t", "--target-directory", "-S", "--suffix")
CP_VALUES = ("-t", "--target-directory", "-S", "--suffix")
INSTALL_VALUES = ("-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix")
LN_VALUES = ("-t", "--target-directory", "-S", "--suffix")
# Decompressors that replace FILE.gz by FILE (unless told to keep it or write to stdout), and the suffix each removes.
DECOMPRESSORS = {"gunzip": (".gz", ".tgz", ".z"), "gzip": (".gz", ".tgz", ".z"), "bunzip2": (".bz2", ".tbz2", ".tbz"),
                 "bzip2": (".bz2", ".tbz2", ".tbz"), "unxz": (".xz", ".txz"), "xz": (".xz", ".txz"),
                 "unzstd": (".zst", ".zstd", ".tzst"), "zstd": (".zst", ".zstd", ".tzst"), "unlzma": (".lzma",),
                 "lzma": (".lzma",)}
CHOWN_VALUES = ("--from",)
SED_VALUES = ("-e", "--expression", "-f", "--file", "-l", "--line-length")
STRIP_VALUES = ("-o", "-R", "--remove-section", "-K", "--keep-symbol", "-N", "--strip-symbol", "-F", "--target",
                "-I", "--input-target", "-O", "--output-target")
DOS2UNIX_VALUES = ("-c", "--convmode", "-D", "--display-enc")
XARGS_VALUES = ("-a", "--arg-file", "-d", "--delimiter", "-E", "--eof", "-I", "-L", "--max-lines", "-n",
                "--max-args", "-P", "--max-procs", "-s", "--max-chars", "--process-slot-var")
# find's tests that select some files only (without them, find visits every file under its roots): by name,
# and by what the files are on disk (which a Dockerfile does not tell).
FIND_SELECTIVE = ("-name", "-iname", "-path", "-ipath", "-wholename", "-regex", "-iregex", "-size", "-lname")
FIND_BY_METADATA = ("-newer", "-mtime", "-mmin", "-atime", "-ctime", "-user", "-group", "-perm", "-empty", "-links",
                    "-inum", "-samefile", "-nouser", "-nogroup")
FIND_EXEC = ("-exec", "-execdir", "-ok", "-okdir")

# Programs that unpack or decompress (a download they read is used, not left behind).
EXTRACTORS = frozenset({
    "tar", "bsdtar", "gtar", "unzip", "funzip", "gunzip", "gzip", "pigz", "zcat", "bunzip2", "bzip2", "pbzip2",
    "bzcat", "unxz", "xz", "xzcat", "unzstd", "zstd", "zstdcat", "7z", "7za", "7zr", "unrar", "jar", "busybox",
    "python", "python3", "cabextract", "atool", "dtrx", "unar", "lzip",
})
# Commands that name a file without using its content.
NOT_USES = frozenset({"rm", "ls", "chmod", "chown", "touch", "stat", "echo", "printf", "test", "[", "[[", "du",
                      "file", "md5sum", "sha1sum", "sha256sum", "sha512sum"})
DOWNLOADERS = ("curl", "wget")
# Producers whose failure does not matter in a pipeline: they cannot fail, or (`yes`) die of SIGPIPE by design.
HARMLESS = ("echo", "printf", "yes", "true", ":", "seq")
# Housekeeping around package installs that reads nothing of the project.
HOUSEKEEPING = ("rm", "set", "echo", "printf", "export", "true", ":", "mkdir", "ln", "update-ca-certificates",
                "locale-gen", "dpkg-reconfigure", "ldconfig", "useradd", "groupadd", "adduser", "addgroup")
# Commands that change the shell's directory.
DIRECTORY_MOVES = ("cd", "pushd", "popd")


def _cd(call) -> None:
    operands = call.command.operands()
    call.chdir(call.path(operands[0]) if operands else call.home)


def _mkdir(call) -> None:
    for word in call.command.operands(takes_value=MKDIR_VALUES):
        for value in call.values(word):
            call.add(call.path(value), "directory", tree=True, empty=True)


def _unnamed(call, directory: str | None) -> None:
    """A download whose name depends on what the shell computes (`wget $(...)`): some file in `directory`."""
    if directory:
        added = call.add(normalize(posixpath.join(directory, "*")), "download")
        if added is not None:
            added.unnamed = True
            added.assumed = f"the download of unknown name in {directory} is one of them"


def _curl(call) -> None:
    cmd = call.command
    output_dir = call.path(cmd.option_value("--output-dir", takes_value=CURL_VALUES))
    outputs = []
    found = options(cmd, CURL_VALUES)
    # The URLs, in order (None for one whose value depends on the shell).
    urls = [call.value(word) for word in cmd.operands(takes_value=CURL_VALUES)]
    urls = [u for u in urls if u is None or "://" in u]
    url_iter = iter(urls)
    for name, value in found:
        if name in ("-o", "--output") and value is not None:
            text = call.value(value)
            next(url_iter, None)
            if text and text != "-":
                outputs.append(call.path(text, output_dir) if output_dir and not text.startswith("/") else call.path(text))
        elif name in ("-O", "--remote-name"):
            url = next(url_iter, "")
            base = url_basename(url) if url else None
            if base:
                outputs.append(call.path(base, output_dir))
            elif url is None:
                _unnamed(call, output_dir or call.cwd)
        elif name == "--remote-name-all":
            for url in urls:
                base = url_basename(url) if url else None
                if base:
                    outputs.append(call.path(base, output_dir))
                elif url is None:
                    _unnamed(call, output_dir or call.cwd)
    for path in outputs:
        call.add(path, "download")


def _aria2c(call) -> None:
    """`aria2c -d DIR -o NAME URL`: NAME (else the URL's last name) in DIR (else the working directory)."""
    cmd = call.command
    found = cmd.option_value("-d", "--dir", takes_value=ARIA2_VALUES)
    directory = call.path(found) if found else call.cwd
    out = cmd.option_value("-o", "--out", takes_value=ARIA2_VALUES)
    urls = [call.value(w) for w in cmd.operands(takes_value=ARIA2_VALUES)]
    if not directory or not urls:
        return
    if out:  # one file, made of the URLs (mirrors of it)
        call.add(normalize(posixpath.join(directory, out)), "download")
        return
    for url in urls:
        base = url_basename(url) if url else None
        if base:
            call.add(normalize(posixpath.join(directory, base)), "download")
        elif url is None:
            _unnamed(call, directory)


def _wget(call) -> None:
    cmd = call.command
    document = cmd.option_value("-O", "--output-document", takes_value=WGET_VALUES)
    if document is not None:
        if document != "-":
            call.add(call.path(document), "download")
        return
    if cmd.has_option("--spider", "-O", "--output-document", takes_value=WGET_VALUES):
        return  # a spider, or an output named by a variable
    prefix = cmd.option_value("-P", "--directory-prefix", takes_value=WGET_VALUES)
    directory = call.path(prefix) if prefix else call.cwd
    for word in cmd.operands(takes_value=WGET_VALUES):
        url = call.value(word)
        base = url_basename(url) if url else None
        if base and directory:
            call.add(posixpath.normpath(posixpath.join(directory, base)), "download")
        elif url is None:
            _unnamed(call, directory)


def archive_top(name: str | None) -> str | None:
    """The directory an archive is taken to unpack to: its name without the archive suffix
    (`node-v20.11.0-linux-x64.tar.xz` -> `node-v20.11.0-linux-x64`)."""
    from ..sources import ARCHIVE_SUFFIXES

    if not name:
        return None
    base = posixpath.basename(name)
    lower = base.lower()
    suffix = max((s for s in ARCHIVE_SUFFIXES if lower.endswith(s)), key=len, default=None)
    top = base[:-len(suffix)] if suffix else None
    return top if top and not any(c in top for c in "*?[$") and top not in (".", "..") else None


def _piped_archive(call) -> str | None:
    """The name of what a download piped into this command fetches (`curl -fsSL URL | tar -xz`)."""
    for command in call.feeding():
        if command.basename in DOWNLOADERS:
            for word in command.args:
                value = call.value(word)
                if value and "://" in value:
                    return url_basename(value)
    return None


def _git(call) -> None:
    cmd = call.command
    args = list(cmd.args)
    cwd = call.cwd
    while args and args[0].value and args[0].value.startswith("-"):
        option = args.pop(0).value
        if option == "-C" and args:
            cwd = call.path(args.pop(0), cwd)
        elif option in GIT_GLOBAL_VALUES and args:
            args.pop(0)
    if args and args[0].value in GIT_REWRITES:
        verb = args[0].value
        sub = replace(cmd, argv=args)
        if verb == "reset" and not sub.has_option("--hard") or verb == "submodule" and (
                len(args) < 2 or args[1].value != "update"):
            return
        # The working tree and .git of the repository the command runs in: an earlier clone or COPY.
        call.operate("rewrite", cwd, "git", recursive=True, exact=False,
                     assumed=f"`git {verb}` changes files of the repository; which ones is not known")
        return
    if not args or args[0].value != "clone":
        return
    sub = replace(cmd, argv=args)
    found = sub.operands(takes_value=GIT_CLONE_VALUES)
    if not found:
        return
    if len(found) >= 2:
        target = call.path(found[1], cwd)
    else:
        url = call.value(found[0])
        if not url:
            return
        base = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        base = base[:-4] if base.endswith(".git") else base
        target = call.path(base, cwd) if base and cwd else None
    call.add(target, "clone", tree=True)


def _tar(call) -> None:
    cmd = call.command
    args = cmd.args
    first = args[0].value if args else None
    mode = ""
    if first and not first.startswith("-"):
        mode = first  # `tar xzf file`: the first word is a bundle of options
    letters = {opt for opt, _ in options(cmd, TAR_VALUES)}
    extract = "x" in mode or "-x" in letters or "--extract" in letters or "--get" in letters
    create = "c" in mode or "-c" in letters or "--create" in letters
    directory = cmd.option_word("-C", "--directory", takes_value=TAR_VALUES)
    archive = cmd.option_value("-f", "--file", takes_value=TAR_VALUES)
    if mode and "f" in mode and archive is None:
        found = cmd.operands(takes_value=TAR_VALUES)
        if len(found) >= 2:
            archive = call.value(found[1])
    if extract:
        target = call.path(directory) if directory is not None else call.cwd
        if target is None:
            if directory is not None:
                call.unknown(f"`tar -C {directory.text}`: the directory depends on the shell")
            return
        stripped = any(opt.startswith("--strip") for opt in letters)
        name = _piped_archive(call) if archive in (None, "-") else archive
        call.extract(target, explicit=directory is not None, top=None if stripped else archive_top(name))
    elif create and archive and archive != "-":
        call.add(call.path(archive), "archive")


def _unzip(call) -> None:
    cmd = call.command
    directory = cmd.option_word("-d", takes_value=UNZIP_VALUES)
    if cmd.has_option("-l", "-t", "-v", "-Z", takes_value=UNZIP_VALUES):
        return
    target = call.path(directory) if directory is not None else call.cwd
    if target:
        found = cmd.operands(takes_value=UNZIP_VALUES)
        name = call.value(found[0]) if found else None
        call.extract(target, explicit=directory is not None, top=archive_top(name))


def _rm(call) -> None:
    cmd = call.command
    recursive = cmd.has_option("-r", "-R", "--recursive")
    for word in cmd.operands():
        values = call.values(word)
        if not values:
            call.unknown(f"{word.text} in `{call.text}`")
        for value in values:
            call.operate("remove", call.path(value), "rm", recursive=recursive)
    for root, exact in call.implied:
        call.operate("remove", root, "rm", recursive=True, exact=bool(exact))


def find_roots(call, cmd) -> list[tuple[str, bool | None]]:
    """(directory, exact) for each starting point of a `find`: exact True when no test leaves files out, False
    when tests select files by name, None when they select them by owner, mode or age (anyone's guess)."""
    texts = [a.value or "" for a in cmd.args]
    exact = None if any(x in texts for x in FIND_BY_METADATA) else not any(x in texts for x in FIND_SELECTIVE)
    roots = []
    for word in cmd.args:
        if not word.value or word.value.startswith(("-", "(", "!", ")")):
            break
        path = call.path(word)
        if path:
            roots.append((path, exact))
    return roots


def _find_execs(cmd) -> list[list]:
    """The command lines of each `-exec ... ;` (or `+`), without the `{}` that stands for the found files."""
    found, current = [], None
    for word in cmd.args:
        value = word.value
        if current is None:
            if value in FIND_EXEC:
                current = []
            continue
        if value in (";", "+"):
            if current:
                found.append(current)
            current = None
        elif value is None or "{}" not in value:
            current.append(word)
    return found


def _find(call) -> None:
    cmd = call.command
    roots = find_roots(call, cmd)
    texts = [a.value or "" for a in cmd.args]
    if "-delete" in texts:
        for root, exact in roots:
            call.operate("remove", root, "find", recursive=True, exact=bool(exact))
    for argv in _find_execs(cmd):
        if argv[0].value in ("rm", "/bin/rm"):
            for root, exact in roots:
                call.operate("remove", root, "find", recursive=True, exact=bool(exact))
        else:
            call.run(replace(cmd, argv=argv).effective(), roots)


def _xargs(call) -> None:
    """`... | xargs CMD`: CMD runs with the words it reads as more operands (the files a `find` lists)."""
    cmd = call.command
    args = cmd.args
    marker, i = None, 0
    while i < len(args):
        value = args[i].value
        if value is None or value == "--" or not value.startswith("-"):
            i += value == "--"
            break
        if value == "-I" and i + 1 < len(args):
            marker = args[i + 1].value
        elif value.startswith("--replace"):
            marker = value.partition("=")[2] or "{}"
        elif value.startswith("-i"):
            marker = value[2:] or "{}"
        i += 2 if value in XARGS_VALUES else 1
    argv = [w for w in args[i:] if marker is None or w.value is None or marker not in w.value]
    if not argv:
        return
    feeding = call.feeding()
    roots = find_roots(call, feeding[0]) if feeding and feeding[0].basename == "find" else []
    if marker is None and len(feeding) == 1 and feeding[0].basename == "echo":
        # `echo curl git | xargs apt-get install -y`: the words echoed are the operands.
        argv = argv + [w for w in feeding[0].args if not (w.value or "").startswith("-")]
    call.run(replace(cmd, argv=argv).effective(), roots)


def _chown(call) -> None:
    cmd = call.command
    recursive = cmd.has_option("-R", "--recursive")
    found = cmd.operands(takes_value=CHOWN_VALUES)
    mode = next((w for w in cmd.args if w.value and w.value[:1] == "-" and len(w.value) > 1 and
                 all(c in "rwxXst" for c in w.value[1:])), None) if cmd.basename == "chmod" else None
    if mode is not None and not cmd.has_option("--reference"):  # `chmod -x file`: a mode that looks like an option
        found = [mode] + found
    paths = found if cmd.has_option("--reference") else found[1:]
    as_file = cmd.basename == "chmod" and not recursive and bool(found) and _file_mode(call.value(found[0]))
    executable = cmd.basename == "chmod" and not recursive and bool(found) and _adds_execute(call.value(found[0]))
    for word in paths:
        for value in call.values(word):
            path = call.path(value)
            if as_file:
                call.file(path)
            if executable:
                call.executable(path)
            call.operate("rewrite", path, cmd.basename, recursive=recursive, exists=True)
    for root, exact in call.implied:
        if exact is not None:  # files chosen by mode or owner: maybe none of an earlier layer's
            call.operate("rewrite", root, cmd.basename, recursive=True, exact=exact)


def _attributes(call) -> None:
    """setcap, setfattr and chattr change a file's capabilities, extended attributes or flags: like chmod, the whole
    file is copied up into the layer."""
    cmd = call.command
    name = cmd.basename
    if name == "setcap":
        found = cmd.operands(takes_value=("-n",))
        # `setcap CAPS FILE [CAPS FILE ...]`, or `setcap -r FILE ...`
        paths = found if cmd.has_option("-r") else found[1::2]
        recursive = False
    elif name == "setfattr":
        paths = cmd.operands(takes_value=("-n", "--name", "-v", "--value", "-x", "--remove", "--restore"))
        recursive = False
    else:  # chattr: the flags to change come first, as `+i`, `=ai` or `-i` (which reads like an option)
        words = [w for w in cmd.args if w.value is None or w.value not in ("-R", "-V", "-f")]
        words = [w for w in words if w.value not in ("-v", "-p")] if len(words) > 1 else words
        mode = next((i for i, w in enumerate(words) if w.value and w.value[:1] in "+-="), None)
        paths = words[mode + 1:] if mode is not None else []
        recursive = cmd.has_option("-R")
    for word in paths:
        for value in call.values(word):
            call.operate("rewrite", call.path(value), name, recursive=recursive, exists=True)


def _strip(call) -> None:
    cmd = call.command
    output = cmd.option_value("-o", takes_value=STRIP_VALUES)
    if output:
        call.add(call.path(output), "file written")
        return
    for word in cmd.operands(takes_value=STRIP_VALUES):
        for value in call.values(word):
            call.operate("rewrite", call.path(value), "strip", exists=True)
    for root, exact in call.implied:
        if exact is not None:  # files chosen by mode or owner: maybe none of an earlier layer's
            call.operate("rewrite", root, "strip", recursive=True, exact=exact)


def _destination(call, found: list, target_dir: str | None) -> tuple[list, str | None, bool]:
    """(source words, destination path, whether the sources go inside it) of a cp, mv or install: inside
    with `-t`, with several sources, a trailing slash, or a directory known to exist."""
    if target_dir:
        return found, call.path(target_dir), True
    if len(found) < 2:
        return [], None, False
    sources, text = found[:-1], call.value(found[-1])
    if not text:
        return sources, None, False
    path = call.path(text)
    into = len(sources) > 1 or text.endswith(("/", "/.")) or text in (".", "..") or call.is_dir(path)
    return sources, path, into


def _target(source: str, dest: str, into: bool) -> str:
    """Where one source lands: `cp -a dir/. dest` copies the contents of dir into dest."""
    if not into or source.endswith("/."):
        return dest
    return normalize(posixpath.join(dest, posixpath.basename(source.rstrip("/"))))


def _mv(call) -> None:
    cmd = call.command
    found = cmd.operands(takes_value=MV_VALUES)
    sources, dest, into = _destination(call, found, cmd.option_value("-t", "--target-directory",
                                                                      takes_value=MV_VALUES))
    for word in sources:
        for value in call.values(word):
            source = call.path(value)
            call.operate("rewrite", source, "mv", recursive=True)
            if source and dest and not call.move(source, dest, into):
                # Moved from an earlier layer, or from where nothing tells: it is new in this layer.
                target = _target(value, dest, into)
                call.add(target, "extract" if call.extracted(source) else "moved by mv",
                         tree="." not in posixpath.basename(target), owned=target not in SHARED_DIRS)
    for root, exact in call.implied:
        if exact is not None:  # files chosen by mode or owner: maybe none of an earlier layer's
            call.operate("rewrite", root, "mv", recursive=True, exact=exact)


def _cp(call) -> None:
    cmd = call.command
    found = cmd.operands(takes_value=CP_VALUES)
    sources, dest, into = _destination(call, found, cmd.option_value("-t", "--target-directory",
                                                                      takes_value=CP_VALUES))
    recursive = cmd.has_option("-r", "-R", "-a", "--recursive", "--archive", takes_value=CP_VALUES)
    if dest is None:
        return
    for word in sources:
        for value in call.values(word):
            target = _target(value, dest, into)
            added = call.add(target, "copy by cp", tree=recursive, owned=target not in SHARED_DIRS)
            if added is not None and into and has_glob(posixpath.basename(target)):
                # `cp -r root/* /`: files of names not known, merged among others in the destination.
                added.owned = False


def _install(call) -> None:
    cmd = call.command
    found = cmd.operands(takes_value=INSTALL_VALUES)
    if cmd.has_option("-d", "--directory", takes_value=INSTALL_VALUES):
        for word in found:
            for value in call.values(word):
                call.add(call.path(value), "directory", tree=True, empty=True)
        return
    sources, dest, into = _destination(call, found, cmd.option_value("-t", "--target-directory",
                                                                      takes_value=INSTALL_VALUES))
    if dest is None:
        return
    for word in sources:
        for value in call.values(word):
            call.add(_target(value, dest, into), "copy by install")


def _ln(call) -> None:
    cmd = call.command
    found = cmd.operands(takes_value=LN_VALUES)
    target_dir = cmd.option_value("-t", "--target-directory", takes_value=LN_VALUES)
    if target_dir or len(found) == 1:
        directory = call.path(target_dir) if target_dir else call.cwd
        pairs = [(w, None) for w in found]
    else:
        directory, pairs = None, [(w, found[-1]) for w in found[:-1]]
    for word, name in pairs:
        target = call.value(word)
        if not target:
            continue
        if name is None:
            link = call.path(posixpath.basename(target.rstrip("/")), directory) if directory else None
        else:
            link_text = call.value(name)
            link = call.path(link_text) if link_text else None
            if link and (link_text.endswith("/") or call.is_dir(link)):  # `ln -s /opt/x/bin/x /usr/local/bin`
                link = normalize(posixpath.join(link, posixpath.basename(target.rstrip("/"))))
        base = posixpath.dirname(link) if link else call.cwd
        call.link(link, call.path(target, base) if base else None)


def _touch(call) -> None:
    """touch creates a file, or gives an existing one a new time: the whole file is copied up."""
    for word in call.command.operands(takes_value=("-r", "--reference", "-d", "--date", "-t")):
        for value in call.values(word):
            call.write(call.path(value), "touch")


def _tee(call) -> None:
    """tee writes its input to each file named (`-a`: appends to it)."""
    verb = ">>" if call.command.has_option("-a", "--append") else ">"
    for word in call.command.operands():
        for value in call.values(word):
            call.write(call.path(value), verb)


def _reads_file(call) -> None:
    """cat, crontab, `.` and `source`, ...: the operands are files (so a source taken for a directory is not one)."""
    words = call.command.operands(takes_value=("-u",))
    if call.command.basename in (".", "source"):
        words = words[:1]  # the script; the rest are its arguments
    for word in words:
        for value in call.values(word):
            if value != "-":
                call.file(call.path(value))


def _file_mode(mode: str | None) -> bool:
    """A mode no directory can be used with, so that what it is given is a file: `644`, `0600`, `a-x`, `-x`."""
    if not mode:
        return False
    if mode.isdigit():
        return len(mode) >= 3 and all(int(d) % 2 == 0 for d in mode[-3:])
    return all(part[:1] in "ugoa-" and "-" in part and "x" in part.split("-", 1)[1] for part in mode.split(","))


def _adds_execute(mode: str | None) -> bool:
    """A symbolic mode that only adds execute permission (`+x`, `a+x`, `u+rx`): what makes a file a program."""
    if not mode:
        return False
    for part in mode.split(","):
        who, plus, what = part.partition("+")
        if not plus or "x" not in what or not set(who) <= set("ugoa") or not set(what) <= set("rwx"):
            return False
    return True


def _seven_zip(call) -> None:
    """`7z x archive.7z -o/opt/x`: `x` and `e` extract, into -oDIR (glued) or the working directory."""
    cmd = call.command
    words = [w for w in cmd.args if w.value is not None]
    verbs = [w.value for w in words if not w.value.startswith("-")]
    if verbs[:1] == ["a"] and len(verbs) > 1:  # `7z a /tmp/out.7z dir`: creates the archive
        call.add(call.path(verbs[1]), "archive")
        return
    if not verbs or verbs[0] not in ("x", "e"):
        return
    output = next((w.value[2:] for w in words if w.value.startswith("-o") and len(w.value) > 2), None)
    target = call.path(output) if output else call.cwd
    if target:
        call.extract(target, explicit=output is not None, top=archive_top(verbs[1] if len(verbs) > 1 else None))


def _compile(call) -> None:
    """A compiler or linker writes what `-o FILE` (or `-oFILE`) names."""
    args = [w.value for w in call.command.args]
    for i, value in enumerate(args):
        if value == "-o" and i + 1 < len(args) and args[i + 1]:
            call.add(call.path(args[i + 1]), "build output")
        elif value and value.startswith("-o") and len(value) > 2:
            call.add(call.path(value[2:]), "build output")


def _zip(call) -> None:
    """`zip -r out.zip dir`: the first operand is the archive it writes (`.zip` added when it has no extension)."""
    found = call.command.operands(takes_value=ZIP_VALUES)
    name = call.value(found[0]) if found else None
    if name and name != "-":
        call.add(call.path(name if "." in posixpath.basename(name) else name + ".zip"), "archive")


def _output_option(*names: str):
    """A tool that writes the file an option names: `gpg --dearmor -o key.gpg`, `openssl ... -out cert.pem`."""

    def read(call) -> None:
        value = call.command.option_value(*names, takes_value=names)
        if value and value != "-":
            call.add(call.path(value), "file written")

    return read


def _decompress(call) -> None:
    """`gunzip file.gz` (`gzip -d`, `xz -d`, ...) replaces file.gz by file, unless -k or -c."""
    cmd = call.command
    name = cmd.basename
    if name not in ("gunzip", "bunzip2", "unxz", "unzstd", "unlzma") and \
            not cmd.has_option("-d", "--decompress", "--uncompress"):
        return
    if cmd.has_option("-c", "--stdout", "--to-stdout", "-t", "--test", "-l", "--list"):
        return
    keep = cmd.has_option("-k", "--keep")
    for word in cmd.operands(takes_value=("-S", "--suffix", "-T", "--threads")):
        for value in call.values(word):
            path = call.path(value)
            suffix = next((s for s in DECOMPRESSORS[name] if value.lower().endswith(s)), None)
            if path is None or suffix is None:
                continue
            if not keep:
                call.operate("remove", path, name)
            call.add(path[:-len(suffix)] + (".tar" if suffix.startswith(".t") and suffix != ".tar" else ""),
                     "decompressed")


def _sed(call) -> None:
    cmd = call.command
    if not any(opt in ("-i", "--in-place") or opt.startswith(("-i", "--in-place=")) or
               (opt.startswith("-") and not opt.startswith("--") and "i" in opt[1:] and "e" not in opt[1:opt.find("i")])
               for opt, _ in options(cmd, SED_VALUES)):
        return
    found = cmd.operands(takes_value=SED_VALUES)
    if not cmd.has_option("-e", "--expression", "-f", "--file", takes_value=("-e", "--expression", "-f", "--file")):
        found = found[1:]  # the script
    for word in found:
        for value in call.values(word):
            call.file(call.path(value))
            call.operate("rewrite", call.path(value), "sed", recursive=False, exists=True)
            call.add(call.path(value), "file edited")  # the layer holds the whole edited file
    for root, exact in call.implied:
        if exact is not None:  # files chosen by mode or owner: maybe none of an earlier layer's
            call.operate("rewrite", root, "sed", recursive=True, exact=exact)


def _dos2unix(call) -> None:
    """dos2unix and unix2dos convert files in place (`-n in out`: into a new file; `-i`: only report)."""
    cmd = call.command
    if cmd.has_option("-i", "--info", takes_value=DOS2UNIX_VALUES):
        return
    found = [value for word in cmd.operands(takes_value=DOS2UNIX_VALUES) for value in call.values(word)]
    if cmd.has_option("-n", "--newfile", takes_value=DOS2UNIX_VALUES):
        for output in found[1::2]:  # pairs of input and output
            call.add(call.path(output), "file written")
        return
    for value in found:
        call.file(call.path(value))
        call.operate("rewrite", call.path(value), cmd.basename, recursive=False, exists=True)
        call.add(call.path(value), "file edited")  # the layer holds the whole converted file
    for root, exact in call.implied:  # `find /app -name '*.sh' -exec dos2unix {} +`
        if exact is not None:
            call.operate("rewrite", root, cmd.basename, recursive=True, exact=exact)


def _build(call) -> None:
    """make, cmake, ./configure and the like: they write what they build where they run."""
    call.built(call.cwd)
    directory = call.command.option_value("-C", takes_value=("-C", "-f", "-j", "-B", "-S"))
    if directory:
        call.built(call.path(directory))


TOOLS = (
    Tool("cd", ("cd", "pushd"), "shell", read=_cd),
    Tool("make", ("make", "gmake", "cmake", "ninja", "meson", "configure", "autoreconf", "autogen.sh", "bazel",
                  "scons", "ant"), "build", read=_build),
    Tool("mkdir", ("mkdir",), "file", MKDIR_VALUES, read=_mkdir),
    Tool("curl", ("curl",), "download", CURL_VALUES, read=_curl),
    Tool("wget", ("wget",), "download", WGET_VALUES, read=_wget),
    Tool("aria2c", ("aria2c",), "download", ARIA2_VALUES, read=_aria2c),
    Tool("git", ("git",), "vcs", GIT_GLOBAL_VALUES, read=_git),
    Tool("tar", ("tar",), "archive", TAR_VALUES, read=_tar),
    Tool("unzip", ("unzip",), "archive", UNZIP_VALUES, read=_unzip),
    Tool("rm", ("rm",), "file", read=_rm),
    Tool("find", ("find",), "file", read=_find),
    Tool("chown", ("chown", "chgrp", "chmod"), "file", CHOWN_VALUES, read=_chown),
    Tool("mv", ("mv",), "file", MV_VALUES, read=_mv),
    Tool("cp", ("cp",), "file", CP_VALUES, read=_cp),
    Tool("install", ("install",), "file", INSTALL_VALUES, read=_install),
    Tool("ln", ("ln",), "file", LN_VALUES, read=_ln),
    Tool("touch", ("touch",), "file", read=_touch),
    Tool("tee", ("tee",), "file", read=_tee),
    Tool("cat", ("cat", "crontab", ".", "source"), "file",
         read=_reads_file),
    Tool("7z", ("7z", "7za", "7zr"), "archive", read=_seven_zip),
    Tool("decompress", tuple(DECOMPRESSORS), "archive", read=_decompress),
    Tool("sed", ("sed",), "file", SED_VALUES, read=_sed),
    Tool("strip", ("strip",), "file", STRIP_VALUES, read=_strip),
    Tool("dos2unix", ("dos2unix", "unix2dos"), "file", DOS2UNIX_VALUES, read=_dos2unix),
    Tool("attributes", ("setcap", "setfattr", "chattr"), "file", read=_attributes),
    Tool("cc", COMPILERS, "build", read=_compile),
    Tool("zip", ("zip",), "archive", ZIP_VALUES, read=_zip),
    Tool("gpg", ("gpg", "gpg2"), "file", read=_output_option("-o", "--output")),
    Tool("openssl", ("openssl",), "file", read=_output_option("-out")),
    Tool("xargs", ("xargs",), "wrapper", XARGS_VALUES, read=_xargs),
)
