"""DF415: shell form in scratch (rules/df415_shell_form_in_scratch.py)."""

from support import findings, raw_findings


def test_df415_and_df305_no_shell_in_scratch():
    src = "FROM scratch\nCOPY app /app\nRUN /app --init\nRUN [\"/app\"]\nCMD /app --serve\n"
    assert findings("DF415", src) == [
        ("DF415", 3, 1, 'shell-form RUN runs /bin/sh -c, but this stage is built FROM scratch and nothing puts a '
                        'shell at /bin/sh: the build fails ("/bin/sh": no such file or directory)')]
    [cmd] = raw_findings("DF305", src)
    assert (cmd.span.line, cmd.severity, cmd.message) == (
        5, "error", "shell-form CMD runs /bin/sh -c, but this stage is built FROM scratch and nothing puts a shell "
                    "at /bin/sh: the container fails to start; use the exec form")
    shell_copied = "FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nRUN echo ok\n"
    assert findings("DF415", shell_copied) == []
    assert findings("DF415", "FROM scratch\nADD rootfs.tar.gz /\nRUN echo ok\n") == []
    assert findings("DF415", "FROM scratch\nRUN --mount=from=busybox:1.36,target=/bin echo ok\n") == []
    assert findings("DF415", "FROM alpine\nRUN echo ok\n") == []



def test_df415_the_shell_a_shell_instruction_names():
    # SHELL changes the program, not whether it exists: scratch has no /bin/sh with options either
    src = 'FROM scratch\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN wget -O - https://x | wc -l > /n\n'
    assert findings("DF415", src) == [
        ("DF415", 3, 1, 'shell-form RUN runs /bin/sh -c, but this stage is built FROM scratch and nothing puts a '
                        'shell at /bin/sh: the build fails ("/bin/sh": no such file or directory)')]
    # another program is the author's choice: not judged (BuildKit's JSONArgsRecommended is silent then too)
    assert findings("DF415", 'FROM scratch\nSHELL ["/busybox/sh", "-c"]\nRUN echo ok\n') == []
    # ...until a SHELL goes back to /bin/sh
    back = 'FROM scratch\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a\nSHELL ["/bin/sh", "-c"]\nRUN b\n'
    assert [line for _, line, _, _ in findings("DF415", back)] == [5]
    # /bin/sh may come with a COPY to /usr on a merged-usr layout; a program named without a path is not judged
    assert findings("DF415", "FROM scratch\nCOPY --from=debian:12 /usr /usr\nRUN echo ok\n") == []
    assert findings("DF415", 'FROM scratch\nSHELL ["sh", "-c"]\nRUN echo ok\n') == []
    # a child stage inherits its parent's SHELL
    child = 'FROM scratch AS base\nSHELL ["/bin/sh", "-eu", "-c"]\nFROM base\nRUN echo ok\n'
    assert [line for _, line, _, _ in findings("DF415", child)] == [4]
