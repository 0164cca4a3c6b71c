"""DF610 download-not-verified: a RUN downloads an archive or a program and unpacks, installs or runs it without a
checksum or signature check in that RUN.

Checked by hand on the shared corpus (12 findings, all real): docker-library/docker's cli, dind and
dind-rootless images unpack docker.tgz with no checksum; buildkit pipes the CNI plugins tarball into tar;
buildkit's and moby's generated-files stages unzip protoc; BuildKit's parser test files (consul web UI, go1.3,
steamcmd, mmsource, sourcemod). Not reported there: the official images that check sha256sums or gpg
signatures, nginx's `openssl sha512` comparison, and URLs pinned by a commit id through an ARG (googleapis,
dind's hack script)."""

from support import findings


ADVICE = ("without checking a checksum or signature: whoever serves the file decides what the image gets; check it "
          "first (`echo \"<sha256>  <file>\" | sha256sum -c -`, `gpg --verify`)")


def test_downloads_used_unchecked():
    src = ("FROM debian:12\n"
           "RUN curl -fsSLO https://example.com/tool.tar.gz && tar -xzf tool.tar.gz -C /usr/local/bin\n"
           "RUN wget -O /tmp/x.deb https://example.com/x.deb && dpkg -i /tmp/x.deb && rm /tmp/x.deb\n"
           "RUN curl -L -o /usr/local/bin/compose https://example.com/compose && chmod +x /usr/local/bin/compose\n"
           "RUN curl -fsSLo install.sh https://example.com/install.sh && sh install.sh\n"
           "RUN curl -o kubectl https://example.com/kubectl && install -m 0755 kubectl /usr/local/bin/kubectl\n"
           'RUN curl -fsSL "$URL" -o "$FILE" && tar -xf "${FILE}"\n')
    assert findings("DF610", src) == [
        ("DF610", 2, 5, f"this RUN downloads `https://example.com/tool.tar.gz` and unpacks it (`tar`) {ADVICE}"),
        ("DF610", 3, 5, f"this RUN downloads `https://example.com/x.deb` and installs it (`dpkg`) {ADVICE}"),
        ("DF610", 4, 5, f"this RUN downloads `https://example.com/compose` and saves it into a bin directory as a "
                        f"program {ADVICE}"),
        ("DF610", 5, 5, f"this RUN downloads `https://example.com/install.sh` and runs it (`sh`) {ADVICE}"),
        ("DF610", 6, 5, f"this RUN downloads `https://example.com/kubectl` and installs it as a program (`install` "
                        f"into /usr/local/bin/kubectl) {ADVICE}"),
        ("DF610", 7, 5, f"this RUN downloads `$FILE` and unpacks it (`tar`) {ADVICE}"),
    ]


def test_a_download_piped_into_an_extractor():
    assert findings("DF610", "FROM debian:12\nRUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt\n") == [(
        "DF610", 2, 5, "`tar` unpacks `https://example.com/x.tar.gz` as it streams in, with nothing checking it: "
                       "whoever serves the file decides what the image gets; download it to a file, check its SHA-256 "
                       "(`sha256sum -c`) or signature, then unpack it")]


def test_checked_pinned_or_not_code():
    src = ("FROM debian:12\nARG COMMIT=0123456789abcdef0123456789abcdef01234567\n"
           "RUN curl -fsSLO https://x/t.tar.gz && echo \"abc  t.tar.gz\" | sha256sum -c - && tar xzf t.tar.gz\n"
           "RUN wget -q https://x/a.tar.gz && [ \"$(sha256sum a.tar.gz | cut -d' ' -f1)\" = \"$SHA\" ] "
           "&& tar xf a.tar.gz\n"
           "RUN curl -fsSLO https://x/b.tgz && [ \"$(openssl sha512 -r b.tgz)\" = \"$SUM\" ] && tar xzf b.tgz\n"
           "RUN wget -O n.tar.xz https://x/n.tar.xz && wget https://x/SHASUMS.asc && gpg --verify SHASUMS.asc "
           "&& tar -xJf n.tar.xz\n"
           "RUN curl -fsSLO https://x/c.tgz && cosign verify-blob --key k.pub --signature c.sig c.tgz && tar xzf c.tgz\n"
           "RUN wget -O /usr/local/bin/dind https://raw.githubusercontent.com/docker/docker/${COMMIT}/hack/dind "
           "&& chmod +x /usr/local/bin/dind\n"
           "RUN curl -fsSLO https://x/d.whl#sha256=0a1b && pip install d.whl\n"
           "RUN curl -fsSL https://x/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg\n"
           "RUN curl -o /etc/app/config.json https://x/config.json && cat /etc/app/config.json\n"
           "RUN curl -fsSLO https://x/e.tgz\nRUN tar xzf e.tgz\n")  # used in a later RUN only: not judged
    assert findings("DF610", src) == []
