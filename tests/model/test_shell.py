"""Tests for dfcheck.model.shell: the shell inside RUN as commands with argv words."""

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from dfcheck.model.shell import Expansion, parse_shell

DOCKER_LIBRARY_RUN = (
    "set -eux; apt-get update && apt-get install -y --no-install-recommends "
    "ca-certificates curl && rm -rf /var/lib/apt/lists/*"
)


def argv(command):
    return [(w.value, w.start, w.end) for w in command.argv]


def values(command):
    return [w.value for w in command.argv]


def names(script):
    return [c.name for c in script.commands]


# -- a typical RUN line -------------------------------------------------------


def test_docker_library_line_argv_and_offsets():
    script = parse_shell(DOCKER_LIBRARY_RUN)
    assert not script.has_errors
    assert script.errors == []
    set_, update, install, rm = script.commands
    assert argv(set_) == [("set", 0, 3), ("-eux", 4, 8)]
    assert argv(update) == [("apt-get", 10, 17), ("update", 18, 24)]
    assert argv(install) == [
        ("apt-get", 28, 35), ("install", 36, 43), ("-y", 44, 46),
        ("--no-install-recommends", 47, 70), ("ca-certificates", 71, 86), ("curl", 87, 91),
    ]
    assert argv(rm) == [("rm", 95, 97), ("-rf", 98, 101), ("/var/lib/apt/lists/*", 102, 122)]
    assert [(c.start, c.end) for c in script.commands] == [(0, 8), (10, 24), (28, 91), (95, 122)]
    assert script.source(install) == DOCKER_LIBRARY_RUN[28:91]


def test_docker_library_line_connectors_and_conditions():
    script = parse_shell(DOCKER_LIBRARY_RUN)
    assert [c.connector for c in script.commands] == [";", "&&", "&&", None]
    # update and install are on the left of `&&`: set -e does not stop there
    assert [c.in_condition for c in script.commands] == [False, True, True, False]
    rm = script.commands[3]
    assert rm.name == "rm" and rm.has_option("-r") and rm.has_option("-f")
    assert [w.value for w in rm.operands()] == ["/var/lib/apt/lists/*"]
    assert rm.args[1].glob is True


def test_word_text_is_the_source_slice():
    script = parse_shell(DOCKER_LIBRARY_RUN)
    for command in script.commands:
        for word in command.argv:
            assert DOCKER_LIBRARY_RUN[word.start:word.end] == word.text


# -- connectors and pipelines ------------------------------------------------


def test_connectors():
    script = parse_shell("a; b && c || d & e\nf | g |& h")
    assert names(script) == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert [c.connector for c in script.commands] == [";", "&&", "||", "&", ";", "|", "|&", None]
    assert [c.background for c in script.commands] == [False, True, True, True, False, False, False, False]
    assert [c.in_condition for c in script.commands] == [False, True, True, False, False, False, False, False]


def test_trailing_terminator_is_no_connector():
    script = parse_shell("a;\nb;")
    assert [c.connector for c in script.commands] == [";", None]


def test_pipeline():
    script = parse_shell("curl -fsSL https://x | tar -xz -C /opt")
    curl, tar = script.commands
    assert values(curl) == ["curl", "-fsSL", "https://x"]
    assert values(tar) == ["tar", "-xz", "-C", "/opt"]
    assert (curl.in_pipeline, curl.pipeline_index, curl.connector) == (True, 0, "|")
    assert (tar.in_pipeline, tar.pipeline_index, tar.connector) == (True, 1, None)
    assert curl.pipeline == tar.pipeline is not None
    assert script.pipelines() == [[curl, tar]]
    assert tar.option_value("-C") == "/opt"
    assert tar.has_option("-x") and tar.has_option("-z")


def test_pipeline_binds_tighter_than_and():
    script = parse_shell("a | b && c | d")
    a, b, c, d = script.commands
    assert [x.connector for x in script.commands] == ["|", "&&", "|", None]
    assert [x.pipeline_index for x in script.commands] == [0, 1, 0, 1]
    assert a.pipeline == b.pipeline != c.pipeline == d.pipeline
    assert [x.in_condition for x in script.commands] == [True, True, False, False]
    assert len(script.pipelines()) == 2


def test_not_piped_commands():
    command = parse_shell("echo hi").commands[0]
    assert (command.in_pipeline, command.pipeline_index, command.pipeline) == (False, 0, None)


def test_negated():
    script = parse_shell("! grep -q x f || echo missing")
    grep, echo = script.commands
    assert grep.negated and not echo.negated
    assert grep.connector == "||"


# -- nesting -----------------------------------------------------------------


def test_subshell_and_group():
    script = parse_shell("(cd /src && make) && { echo a; echo b; } > log")
    cd, make, echo_a, echo_b = script.commands
    assert cd.in_subshell and make.in_subshell and not echo_a.in_subshell
    assert [c.connector for c in script.commands] == ["&&", "&&", ";", None]
    # the last command of a group takes the connector after the group
    assert make.connector == "&&"
    assert [(r.op, r.target.value) for r in echo_a.group_redirects] == [(">", "log")]
    assert [(r.op, r.target.value) for r in echo_b.group_redirects] == [(">", "log")]
    assert echo_b.redirects == []


def test_command_substitution():
    text = 'export X="$(dpkg --print-architecture)"'
    script = parse_shell(text)
    export, dpkg = script.commands
    assert export.name == "export"
    assert [w.text for w in export.args] == ['X="$(dpkg --print-architecture)"']
    word = export.args[0]
    assert word.value is None and word.has_expansion
    assert word.parts[0] == "X="
    assert word.parts[1].kind == "command" and word.parts[1].quoted
    assert argv(dpkg) == [("dpkg", 12, 16), ("--print-architecture", 17, 37)]
    assert dpkg.in_substitution and not export.in_substitution


def test_backticks_and_process_substitution_and_expansion_defaults():
    script = parse_shell("echo `uname -m` <(ls /) ${X:-$(pwd)}")
    assert names(script) == ["echo", "uname", "ls", "pwd"]
    assert all(c.in_substitution for c in script.commands[1:])
    kinds = [w.parts[0].kind for w in script.commands[0].args]
    assert kinds == ["command", "process", "variable"]


def test_assignment_statement_and_prefix_assignments():
    script = parse_shell("DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata; X=1 Y=$(id -u)")
    install, assign, id_ = script.commands
    assert [(n, w.value) for n, w in install.assignments] == [("DEBIAN_FRONTEND", "noninteractive")]
    assert install.name == "apt-get"
    assert assign.argv == [] and assign.name is None
    assert [(n, w.value) for n, w in assign.assignments] == [("X", "1"), ("Y", None)]
    assert id_.name == "id" and id_.in_substitution


def test_if_bodies_and_conditions():
    text = "if [ -f /x ]; then a; elif command -v b >/dev/null; then c; else d; fi; e"
    script = parse_shell(text)
    assert [c.name for c in script.commands] == ["[", "a", "command", "c", "d", "e"]
    test = script.commands[0]
    assert test.kind == "test" and values(test) == ["[", "-f", "/x", "]"]
    assert [c.in_condition for c in script.commands] == [True, False, True, False, False, False]
    # the last command of a then/else body joins nothing
    assert script.commands[4].connector is None


def test_double_bracket_and_arithmetic():
    script = parse_shell('[[ "$a" == y* ]] && (( n += 1 )); echo $(( 1 + 2 ))')
    test, arith, echo = script.commands
    assert test.kind == "test" and values(test)[0] == "[[" and values(test)[-1] == "]]"
    assert arith.kind == "arithmetic"
    assert echo.args[0].parts[0].kind == "arithmetic"
    assert not script.has_errors


def test_loops():
    script = parse_shell("for f in *.deb $(ls); do dpkg -i $f; done; while read l; do echo $l; done < list")
    assert names(script) == ["ls", "dpkg", "read", "echo"]
    ls, dpkg, read, echo = script.commands
    assert not ls.in_loop and ls.in_substitution
    assert dpkg.in_loop and read.in_loop and echo.in_loop
    assert read.in_condition and not echo.in_condition
    assert [(r.op, r.target.value) for r in read.group_redirects] == [("<", "list")]
    assert parse_shell("for ((i=0; i<3; i++)); do x; done").commands[0].in_loop


def test_case_bodies():
    text = 'case "$(uname -m)" in\n  x86_64|amd64) arch=amd64 ;;\n  *) echo "unknown" >&2; exit 1 ;;\nesac'
    script = parse_shell(text)
    assert [c.name for c in script.commands] == ["uname", None, "echo", "exit"]
    assignment = script.commands[1]
    assert [(n, w.value) for n, w in assignment.assignments] == [("arch", "amd64")]
    echo = script.commands[2]
    assert [(r.op, r.fd, r.target.value) for r in echo.redirects] == [(">&", None, "2")]
    assert echo.connector == ";"
    assert not script.has_errors


def test_functions():
    script = parse_shell("f() { rm -rf /tmp/x; }; function g { echo hi; }; f")
    rm, echo, call = script.commands
    assert rm.in_function and echo.in_function and not call.in_function
    assert call.name == "f"


# -- wrappers ----------------------------------------------------------------


def test_sudo_apt_get_install():
    script = parse_shell("sudo -E apt-get install -y curl")
    (command,) = script.commands
    assert command.name == "sudo"
    found = script.find("apt-get")
    assert len(found) == 1
    inner = found[0]
    assert inner.wrappers == ("sudo",)
    assert values(inner) == ["apt-get", "install", "-y", "curl"]
    assert (inner.start, inner.end) == (command.start, command.end)
    assert inner.has_option("-y")
    assert script.find("sudo") == []


def test_env_assignments_and_nested_wrappers():
    script = parse_shell("sudo -u app env A=1 B='x y' nice -n 5 /usr/bin/npm ci")
    inner = script.commands[0].effective()
    assert inner.wrappers == ("sudo", "env", "nice")
    assert inner.name == "/usr/bin/npm" and inner.basename == "npm"
    assert [(n, w.value) for n, w in inner.assignments] == [("A", "1"), ("B", "x y")]
    assert script.find("npm")[0].args[0].value == "ci"


def test_wrappers_that_are_not_stripped():
    script = parse_shell("command -v curl; env; exec > /log 2>&1; xargs rm")
    assert [c.effective().wrappers for c in script.commands] == [(), (), (), ()]
    exec_ = parse_shell('exec "$@"').commands[0].effective()
    assert exec_.wrappers == ("exec",) and exec_.name is None
    gosu = parse_shell("gosu nobody true; timeout 10 sh -c x").commands
    assert [c.effective().name for c in gosu] == ["true", "sh"]


# -- options -----------------------------------------------------------------


def test_combined_short_options_and_long_options():
    command = parse_shell("rm -rf --one-file-system --preserve=all -- -x y").commands[0]
    assert command.has_option("-r") and command.has_option("-f")
    assert command.has_option("--recursive", "-r")
    assert command.has_option("--one-file-system")
    assert command.has_option("--preserve")
    assert not command.has_option("-x")  # after `--`
    assert not command.has_option("-v")
    assert [w.value for w in command.operands()] == ["-x", "y"]
    assert command.option_value("--preserve") == "all"


def test_option_values():
    commands = parse_shell(
        "curl -o /a u; curl -o/b u; curl --output /c u; curl --output=/d u; curl -fsSLo /e u; curl u"
    ).commands
    got = [c.option_value("-o", "--output") for c in commands]
    assert got == ["/a", "/b", "/c", "/d", "/e", None]
    assert [w.value for w in commands[4].operands(takes_value=["-o"])] == ["u"]
    # a glued value is a word of its own, with offsets inside the original word
    glued = commands[1].option_word("-o")
    assert (glued.value, glued.start, glued.end) == ("/b", 21, 23)


def test_takes_value_protects_glued_values():
    command = parse_shell("curl -oFILE u").commands[0]
    assert command.has_option("-F")  # without knowing -o takes a value
    assert not command.has_option("-F", takes_value=["-o"])
    assert command.has_option("-o", takes_value=["-o"])


def test_single_dash_long_options():
    command = parse_shell("find / -name '*.pyc' -delete").commands[0]
    assert command.has_option("-delete") and command.has_option("-name")
    assert command.option_value("-name") == "*.pyc"


# -- words -------------------------------------------------------------------


def test_quoted_and_escaped_words():
    command = parse_shell("echo \"a b\" 'x'y a\\ b $'a\\tb' \"\" \"a$\"").commands[0]
    assert values(command) == ["echo", "a b", "xy", "a b", "a\tb", "", "a$"]
    assert [w.quoted for w in command.argv] == [False, True, True, True, True, True, True]
    assert [w.has_expansion for w in command.argv] == [False] * 7


def test_words_with_expansions():
    command = parse_shell('cp "$HOME/x" ${DIR}/y ${V:-1.0}').commands[0]
    home, dir_, v = command.args
    assert home.value is None and home.has_expansion
    assert home.variables == ["HOME"]
    assert home.parts == (Expansion("variable", "$HOME", 4, 9, name="HOME", quoted=True), "/x")
    assert home.resolve({"HOME": "/root"}) == "/root/x"
    assert home.resolve({}) is None
    assert dir_.resolve({"DIR": "/d"}) == "/d/y"
    assert v.parts[0].op == ":-" and v.parts[0].arg.value == "1.0"
    assert v.resolve({}) == "1.0" and v.resolve({"V": "2"}) == "2"


def test_glob_and_brace():
    command = parse_shell("rm -rf /a/* '/b/*' /c/\\* /d/{x,y}/* \"/e/{x,y}\" {1..3} ~/f").commands[0]
    words = command.args[1:]
    assert [w.glob for w in words] == [True, False, False, True, False, False, False]
    assert [w.brace for w in words] == [False, False, False, True, False, True, False]
    assert words[3].values() == ["/d/x/*", "/d/y/*"]
    assert words[4].values() == ["/e/{x,y}"]
    assert words[5].values() == ["1", "2", "3"]
    assert words[6].value == "~/f"


# -- redirects and heredocs --------------------------------------------------


def test_redirects():
    command = parse_shell("make 2>&1 >>/log &>/all <in 3<&0 arg").commands[0]
    # tree-sitter-bash reads `<in 3<&0 arg` as a redirect with two targets; arg is an argument
    assert values(command) == ["make", "arg"]
    ops = [(r.op, r.fd, r.target.value, r.start, r.end) for r in command.redirects]
    assert ops == [(">&", 2, "1", 5, 9), (">>", None, "/log", 10, 16), ("&>", None, "/all", 17, 23),
                   ("<", None, "in", 24, 27), ("<&", 3, "0", 28, 32)]
    assert [r.writes for r in command.redirects] == [False, True, True, False, False]
    assert [r.reads for r in command.redirects] == [False, False, False, True, False]
    assert [r.path for r in command.redirects] == [None, "/log", "/all", "in", None]


def test_here_string():
    command = parse_shell("cat <<<'some text' arg").commands[0]
    assert values(command) == ["cat", "arg"]
    (redirect,) = command.redirects
    assert (redirect.op, redirect.target.value, redirect.path) == ("<<<", "some text", None)


def test_heredoc_inside_script():
    text = "cat <<EOF > /etc/x\nhello\nEOF\necho done"
    script = parse_shell(text)
    cat, echo = script.commands
    assert values(cat) == ["cat"]
    assert (cat.start, cat.end) == (0, 18)
    heredoc, output = cat.redirects
    assert (heredoc.op, heredoc.target.value, heredoc.body) == ("<<", "EOF", "hello\n")
    assert (heredoc.start, heredoc.end) == (4, 9)
    assert (heredoc.body_start, heredoc.body_end) == (19, 25)
    assert heredoc.expands
    assert (output.op, output.path, output.writes) == (">", "/etc/x", True)
    assert cat.connector == ";" and echo.name == "echo"
    assert not script.has_errors


def test_heredoc_piped_quoted_and_dashed():
    text = 'cat <<-"EOF" | sh -s -- a && echo ok\n\t$(not run)\n\tEOF\n'
    script = parse_shell(text)
    assert names(script) == ["cat", "sh", "echo"]
    cat, sh, echo = script.commands
    assert [c.connector for c in script.commands] == ["|", "&&", None]
    assert cat.pipeline == sh.pipeline is not None and sh.pipeline_index == 1
    assert cat.in_condition and sh.in_condition and not echo.in_condition
    heredoc = cat.redirects[0]
    assert (heredoc.op, heredoc.target.value, heredoc.target.text) == ("<<-", "EOF", '"EOF"')
    assert heredoc.body == "$(not run)\n" and not heredoc.expands


def test_heredoc_body_substitutions_run():
    script = parse_shell("cat <<EOF\n$(whoami)\nEOF")
    assert names(script) == ["cat", "whoami"]
    assert script.commands[1].in_substitution


# -- positions, robustness ---------------------------------------------------


def test_non_ascii_offsets_are_characters():
    text = 'echo "日本語 é" && rm -rf /tmp/ü'
    script = parse_shell(text)
    echo, rm = script.commands
    assert argv(echo) == [("echo", 0, 4), ("日本語 é", 5, 12)]
    assert argv(rm) == [("rm", 16, 18), ("-rf", 19, 22), ("/tmp/ü", 23, 29)]
    assert rm.end == len(text)
    for command in script.commands:
        for word in command.argv:
            assert text[word.start:word.end] == word.text


def test_unterminated_quote_keeps_commands_before():
    # tree-sitter recovers either with an ERROR node over the rest...
    text = 'apt-get update && echo "unterminated'
    script = parse_shell(text)
    assert script.has_errors
    assert script.errors == [(23, 36)]
    assert [values(c) for c in script.commands] == [["apt-get", "update"], ["echo"]]
    assert [c.connector for c in script.commands] == ["&&", None]


def test_unterminated_quote_as_missing_quote():
    # ...or by closing the string at the end (a MISSING node), as the shell would read it
    text = 'apt-get update && apt-get install -y curl && echo "unterminated && rm -rf /x'
    script = parse_shell(text)
    assert script.errors == [(76, 76)]
    assert [values(c) for c in script.commands] == [
        ["apt-get", "update"], ["apt-get", "install", "-y", "curl"],
        ["echo", "unterminated && rm -rf /x"]]
    assert script.find("rm") == []


def test_missing_command_after_and():
    script = parse_shell("a &&")
    assert names(script) == ["a"]
    assert script.has_errors


def test_other_constructs_parse_cleanly():
    text = (
        "arr=(a 'b c'); echo ${#arr[@]} ${X%%.*} # comment\n"
        "apt-get install \\\n  curl \\\n  wget\n"
        "exec 3>&1; printf '%s\\n' \"$@\""
    )
    script = parse_shell(text)
    assert not script.has_errors
    assert names(script) == [None, "echo", "apt-get", "exec", "printf"]
    assert values(script.commands[2]) == ["apt-get", "install", "curl", "wget"]
    assert script.commands[0].assignments[0][1].value is None  # an array


def test_import_does_not_load_tree_sitter():
    code = "import sys, dfcheck.model.shell; print('tree_sitter' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_large_code_point_after_brace_does_not_crash_the_scanner():
    # tree-sitter-bash 0.25.1 calls isdigit() on it (tree-sitter-bash#337): a segfault,
    # so the check runs in a child process to keep the test run alive if it regresses.
    code = (
        "from dfcheck.model.shell import parse_shell\n"
        "for text in ['{\\U000cdc46', 'echo {12\\U000cdc46', 'echo {1..\\U000cdc46}', 'a {\\U000647b1 b']:\n"
        "    script = parse_shell(text)\n"
        "    assert all(text[w.start:w.end] == w.text for c in script.commands for w in c.argv)\n"
        "print(parse_shell('echo {1..\\U000cdc46}').commands[0].args[0].text == '{1..\\U000cdc46}')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


SHELLISH = st.text(alphabet=st.sampled_from(list("ab -$(){}[]|&;<>'\"\\`\n\t#=*?!~:/%éñ日\U0001F600")), max_size=60)


def _check_offsets(text, script):
    def ok(item):
        assert 0 <= item.start <= item.end <= len(text)

    for start, end in script.errors:
        assert 0 <= start <= end <= len(text)
    assert script.has_errors == bool(script.errors)
    starts = [c.start for c in script.commands]
    assert starts == sorted(starts)
    for command in script.commands:
        ok(command)
        words = list(command.argv) + [w for _, w in command.assignments]
        for redirect in command.redirects + command.group_redirects:
            ok(redirect)
            if redirect.target is not None:
                words.append(redirect.target)
            if redirect.body_start is not None:
                assert 0 <= redirect.body_start <= redirect.body_end <= len(text)
        for word in words:
            ok(word)
            for part in word.expansions:
                ok(part)
        for word in command.argv:
            assert text[word.start:word.end] == word.text
        effective = command.effective()
        effective.has_option("-x")
        effective.option_value("-o")
        effective.operands()
        for word in effective.argv:
            word.values()


@settings(max_examples=400, deadline=None)
@given(st.one_of(SHELLISH, st.text(max_size=40)))
def test_never_raises_and_offsets_are_in_range(text):
    _check_offsets(text, parse_shell(text))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400))
def test_every_prefix_of_a_real_script_parses(cut):
    text = (
        'set -eux; savedAptMark="$(apt-mark showmanual)"; apt-get update; '
        "apt-get install -y --no-install-recommends gnupg dirmngr wget; "
        'dpkgArch="$(dpkg --print-architecture | awk -F- \'{ print $NF }\')"; '
        'case "$dpkgArch" in amd64|arm64) ok=1 ;; *) echo >&2 "no"; exit 1 ;; esac; '
        'export GNUPGHOME="$(mktemp -d)"; for key in $KEYS; do gpg --recv-keys "$key"; done; '
        "cat <<EOF > /etc/x\nline $((1+2))\nEOF\n"
        'rm -rf "$GNUPGHOME" /var/lib/apt/lists/*; [[ -n "${X:-}" ]] && echo `date`'
    )
    prefix = text[:cut]
    _check_offsets(prefix, parse_shell(prefix))


def test_a_pipeline_inside_a_substitution_keeps_its_own_id():
    script = parse_shell("echo $(a | b) | c")
    ids = {c.name: (c.pipeline, c.pipeline_index, c.in_substitution) for c in script.commands}
    assert ids["echo"][0] == ids["c"][0] != ids["a"][0] == ids["b"][0]
    assert (ids["echo"][1], ids["c"][1], ids["a"][1], ids["b"][1]) == (0, 1, 0, 1)
    assert [[c.name for c in p] for p in script.pipelines()] == [["echo", "c"], ["a", "b"]]


def test_nodes_that_touch_are_one_word():
    # tree-sitter-bash ends a node at `+$` here; to the shell it is one word
    [pip, inner] = parse_shell("pip install a$(b)+$C.html x").commands
    assert [(w.text, w.start, w.end) for w in pip.argv] == [
        ("pip", 0, 3), ("install", 4, 11), ("a$(b)+$C.html", 12, 25), ("x", 26, 27),
    ]
    assert inner.name == "b" and inner.in_substitution


def test_a_for_loop_over_one_word_gives_its_variable_that_value():
    from dfcheck.model.shell import parse_shell

    script = parse_shell('for r in ext/*/req.txt; do pip install -r "$r"; done; for a in x y; do echo "$a"; done')
    assert [(c.name, c.in_loop, c.loop) for c in script.commands] == [
        ("pip", True, (("r", "ext/*/req.txt"),)), ("echo", True, ())]
