"""DF603: curl pipe shell (rules/df603_curl_pipe_shell.py)."""

from support import findings, raw_findings

from security_rules_support import spans


PIPE_ADVICE = ("the downloaded code runs unverified; download it to a file, check it against a known SHA-256 "
               "(`sha256sum -c`) or signature, then run it; or install the tool from a package")


def test_df603_curl_piped_into_sh():
    src = "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n"
    assert findings("DF603", src) == [
        ("DF603", 2, 5, f"curl pipes `https://example.com/install.sh` into sh: {PIPE_ADVICE}")]
    assert spans(raw_findings("DF603", src)) == [(2, 5, 2, 51)]


def test_df603_wget_to_stdout_through_sudo_with_script_arguments():
    src = (
        "FROM debian:12\n"
        "RUN apt-get update \\\n"
        " && wget -qO- https://get.example.com \\\n"
        "    | sudo -E bash -s -- --yes\n"
    )
    assert findings("DF603", src) == [
        ("DF603", 3, 5, f"wget pipes `https://get.example.com` into sudo bash: {PIPE_ADVICE}")]
    assert spans(raw_findings("DF603", src)) == [(3, 5, 4, 31)]


def test_df603_interpreters_reading_stdin():
    for tail, name in (("python3 -", "python3"), ("php -- --install-dir=/usr/local/bin", "php"),
                       ("bash /dev/stdin -v latest", "bash"), ("perl", "perl"), ("tee x.sh | sh -x", "sh")):
        src = f"FROM debian:12\nRUN curl -sSL https://x.example/get | {tail}\n"
        assert [message.split(": the")[0] for *_, message in findings("DF603", src)] == [
            f"curl pipes `https://x.example/get` into {name}"], tail


def test_df603_downloads_not_run_as_code():
    for run_line in (
        "curl -fsSL https://x.example/a.tgz | tar -xz",
        "curl -s https://api.example/v1 | python3 -c 'import json, sys; print(json.load(sys.stdin))'",
        "curl -fsSLo /tmp/i.sh https://x.example/i.sh && sh /tmp/i.sh",
        "curl -fsSLO https://x.example/i.sh | sh",  # -O writes the file; nothing reaches sh
        "wget https://x.example/i.sh | sh",  # wget writes to a file by default
        "curl -fsSL https://x.example/i.sh | bash -c 'cat > /tmp/i.sh'",
        "cat install.sh | sh",
        "sh -c \"echo $(curl -s https://x.example/v)\"",
    ):
        assert findings("DF603", f"FROM debian:12\nRUN {run_line}\n") == [], run_line


def test_df603_download_substituted_as_the_code():
    src = (
        "FROM debian:12\n"
        'RUN sh -c "$(curl -fsSL https://raw.example.com/install.sh)"\n'
        "RUN bash <(wget -O- https://x.example/setup)\n"
        'RUN eval "$(curl -s https://x.example/env)"\n'
    )
    assert findings("DF603", src) == [
        ("DF603", 2, 5, f"sh runs the output of curl (`https://raw.example.com/install.sh`) as code: {PIPE_ADVICE}"),
        ("DF603", 3, 5, f"bash runs the output of wget (`https://x.example/setup`) as code: {PIPE_ADVICE}"),
        ("DF603", 4, 5, f"eval runs the output of curl (`https://x.example/env`) as code: {PIPE_ADVICE}"),
    ]


def test_df603_heredoc_body_and_exec_form():
    src = (
        "FROM debian:12\n"
        "RUN <<EOF\n"
        "set -eux\n"
        "curl -fsSL https://x.example/install | bash\n"
        "EOF\n"
        'RUN ["/bin/sh", "-c", "curl -s https://y.example/i | sh"]\n'
    )
    assert [(line, column, message.split(": the")[0]) for _, line, column, message in findings("DF603", src)] == [
        (4, 1, "curl pipes `https://x.example/install` into bash"),
        (6, 23, "curl pipes `https://y.example/i` into sh"),
    ]


def test_df603_url_from_a_variable_is_shown_as_written():
    src = "FROM debian:12\nARG V=1\nRUN curl -fsSL \"https://x.example/$V/install.sh\" | sh\n"
    assert [message.split(": the")[0] for *_, message in findings("DF603", src)] == [
        "curl pipes `https://x.example/$V/install.sh` into sh"]


def test_df603_substitution_must_be_the_code_itself():
    src = (
        "FROM debian:12\n"
        "RUN . <(curl -fsSL https://x.example/env.sh)\n"
        "RUN python3 $(curl -s https://x.example/name)\n"  # a file named by the download, not its code
        "RUN bash -c \"$(cat local.sh)\"\n"
    )
    assert [(line, message.split(": the")[0]) for _, line, _, message in findings("DF603", src)] == [
        (2, ". runs the output of curl (`https://x.example/env.sh`) as code")]

