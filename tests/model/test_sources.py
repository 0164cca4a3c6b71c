"""The sources model: what each COPY/ADD source is, whether ADD extracts it, and what lands where."""

import gzip
import io
import tarfile

from support import findings, model_of, tree

from dfcheck.model.layers import layers_data


def kinds(src, **options):
    model = model_of(src, **options)
    node = model.instructions[-1]
    return [(s.kind, s.guessed, s.dest, s.extract[0]) for s in model.sources(node)]


def tar_gz(name="hello.txt", data=b"hello\n") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_kinds_without_the_context():
    assert kinds("FROM a\nWORKDIR /app\nCOPY . .\n") == [("context", False, "/app", False)]
    assert kinds("FROM a\nCOPY app /srv/app\n") == [("dir", True, "/srv/app", False)]
    assert kinds("FROM a\nCOPY app.py *.txt lib/ /srv/\n") == [
        ("file", False, "/srv", False), ("glob", False, "/srv", False), ("dir", False, "/srv", False)]
    assert kinds("FROM a\nWORKDIR /app\nCOPY Plume/. .\n") == [("dir", False, "/app", False)]
    assert kinds("FROM a\nCOPY tool /usr/local/bin/tool\n") == [("file", False, "/usr/local/bin/tool", False)]
    assert kinds("FROM a\nCOPY --from=build /out /out\n") == [("stage", False, "/out", False)]
    assert kinds("FROM a\nADD https://e.com/x.tgz https://github.com/o/r.git#v1 /opt/\n") == [
        ("url", False, "/opt", False), ("git", False, "/opt", False)]
    assert kinds("FROM a\nADD $SRC /opt/\n") == [(None, False, "/opt", None)]
    assert kinds("FROM a\nADD app.tar.gz notes.gz /opt/\n") == [("file", False, "/opt", True), ("file", False, "/opt", None)]
    assert kinds("FROM a\nCOPY <<EOF /etc/motd\nhi\nEOF\n") == [("heredoc", False, "/etc/motd", False)]


def test_a_compressed_file_that_is_not_a_tar_is_copied_and_the_views_agree(tmp_path):
    tree(tmp_path, {"notes.txt.gz": gzip.compress(b"just text\n" * 100), "site.tar.gz": tar_gz()})
    src = "FROM alpine\nADD notes.txt.gz /srv/\nRUN rm /srv/notes.txt.gz\n"
    context = str(tmp_path)
    assert findings("DF401", src, context_dir=context) == [(
        "DF401", 2, 1, "notes.txt.gz is not a tar archive (it is gzip-compressed, but not a tar inside), so ADD "
                       "copies it as is, like COPY; use COPY")]
    [row, _] = layers_data(model_of(src, context_dir=context))["stages"][0]["layers"]
    assert row["adds"] == ["/srv/notes.txt.gz"]
    assert [(line, col) for _, line, col, _ in findings("DF201", src, context_dir=context)] == [(3, 5)]
    # A real tarball is extracted: no DF401, the layers view says so, and there is no file to delete.
    src = "FROM alpine\nADD site.tar.gz /srv/\nRUN rm /srv/site.tar.gz\n"
    assert findings("DF401", src, context_dir=context) == []
    assert layers_data(model_of(src, context_dir=context))["stages"][0]["layers"][0]["adds"] == ["extract /srv"]
    assert findings("DF201", src, context_dir=context) == []


def test_without_the_context_a_tarball_is_extracted_by_its_name():
    src = "FROM alpine\nADD app.tar.gz /opt/\nRUN rm -f /opt/app.tar.gz\n"
    assert layers_data(model_of(src))["stages"][0]["layers"][0]["adds"] == ["extract /opt"]
    assert findings("DF201", src) == []


def test_a_source_missing_from_the_context_is_guessed_from_its_name(tmp_path):
    tree(tmp_path, {"other.txt": "x"})
    model = model_of("FROM a\nCOPY entrypoint.sh /usr/local/bin/\n", context_dir=str(tmp_path))
    [source] = model.sources(model.instructions[-1])
    assert (source.kind, source.unknown) == ("file", "'entrypoint.sh' is not in the build context")
    assert [(a.path, a.tree) for a in model.filesystem.effects(model.instructions[-1]).added] == [
        ("/usr/local/bin/entrypoint.sh", False)]


def test_brings_maps_image_paths_to_context_paths():
    model = model_of("FROM a\nWORKDIR /app\nCOPY . .\nCOPY src/ ./src/\nCOPY package*.json ./\nCOPY api /srv/api\n")
    copies = [s for n in model.instructions if n.keyword == "COPY" for s in model.sources(n)]
    assert [s.brings("/app/src/package.json") for s in copies] == ["src/package.json", "src/package.json", None, None]
    assert copies[2].brings("/app/package.json") == "package.json"
    assert copies[3].brings("/srv/api/requirements.txt") == "api/requirements.txt"


def test_a_file_copied_onto_the_working_directory_goes_into_it():
    from support import model_of

    model = model_of("FROM x\nWORKDIR /opt/app\nCOPY pom.xml /opt/app\nCOPY LICENSE /opt\nCOPY app.jar /srv/app.jar\n")
    copies = [n for n in model.instructions if n.keyword == "COPY"]
    assert [(s.dest, s.dest_dir, s.brings(path)) for node, path in zip(
        copies, ("/opt/app/pom.xml", "/opt/LICENSE", "/srv/app.jar")) for s in model.sources(node)] == [
        ("/opt/app", True, "pom.xml"), ("/opt", True, "LICENSE"), ("/srv/app.jar", False, "app.jar")]


def landings(src):
    model = model_of(src)
    node = model.instructions[-1]
    found = model.sources(node)
    return [(lambda l: (l.path, l.tree, l.guessed) if l else None)(s.landing(single=len(found) == 1)) for s in found]


def test_where_a_pattern_a_stage_path_and_an_image_tree_land_without_the_context():
    # A pattern to a name like the files it matches is that one file; to anything else, a directory of matches.
    assert landings("FROM a\nCOPY target/*.jar app.jar\n") == [("/app.jar", False, False)]
    assert landings("FROM a\nCOPY conf/java.security* /j/java.security\n") == [("/j/java.security", False, False)]
    assert landings("FROM a\nCOPY *.conf /etc/nginx/conf.d\n") == [("/etc/nginx/conf.d/*.conf", False, False)]
    # A stage's source named through unknown variables lands at the destination that names it, not into a directory.
    assert landings("FROM a AS b\nFROM c\nCOPY --from=b /bin-$ARCH /usr/local/bin/tool\n") == [
        ("/usr/local/bin/tool", False, False)]
    assert landings("FROM a AS b\nFROM c\nCOPY --from=b /bin-$ARCH /usr/local/bin/\n") == [None]
    # A name without an extension is only guessed to be a directory (DF202 asks the stage when it matters).
    assert landings("FROM golang AS b\nRUN make\nFROM c\nCOPY --from=b /out/server /srv/\n") == [("/srv", True, True)]
    # Python's library directory is one whatever its dot says; the interpreter of the same name is a file.
    assert landings("FROM a AS b\nFROM c\nCOPY --from=b /usr/local/lib/python3.11 /usr/local/lib/python3.11\n") == [
        ("/usr/local/lib/python3.11", True, False)]
    assert landings("FROM a AS b\nFROM c\nCOPY --from=b /usr/local/bin/python3.11 /usr/bin/python3.11\n") == [
        ("/usr/bin/python3.11", False, False)]
    # A JDK from eclipse-temurin's image is a directory for sure.
    assert landings("FROM c\nCOPY --from=eclipse-temurin:21 /opt/java/openjdk /opt/java/openjdk\n") == [
        ("/opt/java/openjdk", True, False)]
