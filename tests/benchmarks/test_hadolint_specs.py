"""benchmarks/hadolint_specs.py on a hand-written manifest in the format of the extracted hadolint specs.

The expectations here are made up to exercise the counting (an agreement each way, a miss, a false fire, a
hadolint configuration, a code no rule maps); they are not hadolint's.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "hadolint_specs.py"

CASES = {
    "add.Dockerfile": ("ADD file /usr/src/app/\n", "DL3020", "fires", ""),
    "add-tar.Dockerfile": ("ADD file.tar /usr/src/app/\n", "DL3020", "silent", ""),
    "copy.Dockerfile": ("COPY file /usr/src/app/\n", "DL3020", "fires", ""),  # a miss
    "add-zip.Dockerfile": ("ADD file.zip /usr/src/app/\n", "DL3020", "silent", ""),  # a false fire
    "registry.Dockerfile": ("FROM random.com/debian\n", "DL3026", "fires", '{"allowedRegistries": ["docker.io"]}'),
    "unmapped.Dockerfile": ("RUN true\n", "DL9999", "fires", ""),
}


def _load_script():
    spec = importlib.util.spec_from_file_location("hadolint_specs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_counts_agreements_misses_and_false_fires_per_code(tmp_path):
    rows = ["# file\tcode\texpect\tconfig\torigin", ""]
    for name, (text, code, expect, config) in CASES.items():
        (tmp_path / name).write_text(text)
        rows.append(f"{name}\t{code}\t{expect}\t{config}\tmade up: {name}")
    (tmp_path / "manifest.tsv").write_text("\n".join(rows) + "\n")
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--details"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    table = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("DL") and
             len(line.split()) == 8}
    #                   rules     cases fires silent agree miss false
    assert table["DL3020"] == ["DF401", "4", "2", "2", "2", "1", "1"]
    assert table["DL3026"] == ["DF606", "1", "1", "0", "1", "0", "0"]
    assert table["DL9999"] == ["-", "1", "1", "0", "0", "1", "0"]
    assert ("mapped codes: 2 of 3 spec'd; on them 3 of 5 expectations agree (60.0 %): 1 misses, 1 false fires"
            in out)
    assert "spec'd codes no dfcheck rule maps: DL9999" in out
    # --details: each disagreement with its origin, what dfcheck reported and the fragment as linted
    assert "DL3020 miss: made up: copy.Dockerfile\n  expected fires; dfcheck reported: " in out
    assert "  | FROM debian:12\n  | COPY file /usr/src/app/\n" in out
    assert "DL3020 false fire: made up: add-zip.Dockerfile\n  expected silent; dfcheck reported: DF401" in out
    assert "  DL9999 (1 positive, 0 negative): positives" in out


def test_a_fragment_gets_a_from_line_after_its_parser_directives():
    with_from = _load_script().with_from
    # an ARG on the first line stays in the stage; a comment stays above the instruction it annotates
    assert with_from("ARG BLA\nENV BLA=${BLA}\n") == "FROM debian:12\nARG BLA\nENV BLA=${BLA}\n"
    assert with_from("# hadolint ignore=DL3003\nRUN cd /x\n") == "FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /x\n"
    assert with_from("# escape=`\nRUN dir\n") == "# escape=`\nFROM debian:12\nRUN dir\n"
    # a fragment with a FROM is linted as it is, even when an instruction comes before it
    assert with_from("LABEL a=b\nFROM foo\n") == "LABEL a=b\nFROM foo\n"
    assert with_from("") == "FROM debian:12\n"


def test_documented_differences_make_a_second_labelled_figure(tmp_path):
    rows = []
    for number, (name, (text, code, expect, config)) in enumerate(CASES.items(), 1):
        (tmp_path / name).write_text(text)
        rows.append(f"{name}\t{code}\t{expect}\t{config}\tMade.hs:{number}: {name}")
    (tmp_path / "manifest.tsv").write_text("\n".join(rows) + "\n")
    # the miss (copy.Dockerfile, the third case) is stated as deliberate; the false fire is not
    (tmp_path / "differences.tsv").write_text("# code\tspec\trule\twhy\nDL3020\tMade.hs:3\tDF401\tmade up\n")
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--details", "--differences",
                           str(tmp_path / "differences.tsv")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # the main figure counts it as a disagreement still; the second one, labelled, as an agreement
    assert "on them 3 of 5 expectations agree (60.0 %): 1 misses, 1 false fires" in out
    assert ("agreement counting documented differences: 4 of 5 (80.0 %); 1 of the 2 disagreements are deliberate "
            "and stated on the rules' pages") in out
    assert "DL3020 miss: Made.hs:3: copy.Dockerfile [deliberate, stated on DF401's page]" in out
