"""DF403: add remote archive not extracted (rules/df403_add_remote_archive_not_extracted.py)."""

from support import builtin_rules, findings, raw_findings


def test_df403_remote_archive_left_packed():
    src = "FROM debian\nADD https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz /opt/\nRUN ls /opt\n"
    [finding] = raw_findings("DF403", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        2, 5,
        "ADD does not extract remote archives: https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz is "
        "saved as /opt/node-v20.11.0-linux-x64.tar.xz, and nothing later in the stage extracts it",
    )


def test_df403_destination_resolution_in_messages():
    src = "FROM debian\nWORKDIR /src\nADD https://example.com/get?file=pkg.zip&v=1 https://example.com/a.zip ./\n"
    assert [f[3] for f in findings("DF403", src)] == [
        "ADD does not extract remote archives: https://example.com/a.zip is saved as /src/a.zip, and nothing later "
        "in the stage extracts it"]
    src = "FROM debian\nADD https://example.com/a.tar.gz /opt/app.tar.gz\n"
    assert "is saved as /opt/app.tar.gz," in findings("DF403", src)[0][3]
    src = "FROM debian\nARG V\nADD https://example.com/app-$V.tgz /opt/\n"
    assert "app-$V.tgz is saved in /opt, and" in findings("DF403", src)[0][3]


def test_df403_silent_when_something_later_extracts_it():
    add = "FROM debian\nADD https://example.com/dl/tool.tar.gz /tmp/\n"
    for run in (
        "RUN tar -xzf /tmp/tool.tar.gz -C /opt && rm /tmp/tool.tar.gz\n",
        "RUN cd /tmp && tar xzf tool.tar.gz\n",
        "RUN for f in /tmp/*.tar.gz; do tar -xzf \"$f\" -C /opt; done\n",  # an extractor with a dynamic word
        "RUN tar -xzf /tmp/*.tar.gz -C /opt\n",  # an extractor working in the directory
        "RUN pip install /tmp/tool.tar.gz\n",  # used as it is, on purpose
        "RUN mv /tmp/tool.tar.gz /srv/ && cd /srv && tar xf tool.tar.gz\n",
        "RUN <<EOF\nset -e\ntar -C /opt -xzf /tmp/tool.tar.gz\nEOF\n",
        "FROM scratch\nCOPY --from=0 /tmp/tool.tar.gz /\n",
    ):
        assert findings("DF403", add + run) == [], run
    # ... saved under another name, used by that name
    src = ("FROM debian\nADD http://dl.example.net/nagios-3.5.1.tar.gz?r=http%3A%2F%2Fx&ts=1 /tmp/nagios.tar.gz\n"
           "RUN cd /tmp && tar -zxvf nagios.tar.gz\n")
    assert findings("DF403", src) == []
    assert [f[1] for f in findings("DF403", src.replace("RUN cd /tmp && tar -zxvf nagios.tar.gz", "RUN true"))] == [2]
    # ... or in a stage built on this one
    assert findings("DF403", "FROM debian AS dl\nADD https://x.org/a.zip /tmp/\nFROM dl\nRUN unzip /tmp/a.zip\n") == []
    # ... but not when later commands only name it without using it
    assert [f[1] for f in findings("DF403", add + "RUN ls -l /tmp/tool.tar.gz && rm /tmp/tool.tar.gz\n")] == [2]
    # ... nor in an unrelated stage
    assert [f[1] for f in findings("DF403", add + "FROM debian\nRUN tar xzf /tmp/tool.tar.gz\n")] == [2]


def test_df403_variables_spelled_differently_still_match():
    src = "FROM debian\nARG V=1.2\nADD https://x.org/app-${V}.tgz /tmp/\nRUN tar xzf /tmp/app-$V.tgz\n"
    assert findings("DF403", src) == []
    src = "FROM debian\nARG V\nADD https://x.org/app-${V}.tgz /tmp/\nRUN tar xzf /tmp/app-$V.tgz\n"
    assert findings("DF403", src) == []


def test_df403_silent_on_non_archives_unpack_and_local_files():
    assert findings("DF403", "FROM debian\nADD https://x.org/app.jar /app/\n") == []
    assert findings("DF403", "FROM debian\nADD https://x.org/install.sh /tmp/\n") == []
    assert findings("DF403", "FROM debian\nADD --unpack=true https://x.org/app.tar.gz /opt/\n") == []
    assert findings("DF403", "FROM debian\nADD app.tar.gz /opt/\n") == []
    assert findings("DF403", "FROM debian\nADD https://github.com/a/b.git#main /src\n") == []
    # --unpack extracts tar streams only: a zip stays a zip
    assert [f[1] for f in findings("DF403", "FROM debian\nADD --unpack=true https://x.org/a.zip /opt/\n")] == [2]


def test_df403_docs():
    doc = builtin_rules()["DF403"].doc
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in doc

