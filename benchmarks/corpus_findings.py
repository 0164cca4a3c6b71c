"""How many findings each rule has on a folder of Dockerfiles (by default the shared corpus).

    python benchmarks/corpus_findings.py [FOLDER] [--select ALL] [--samples N]

Runs `python -m dfcheck --no-config --format json` on the folder and prints, per rule, the number of
findings and of files with findings, and, with --samples, the first N findings of each rule (path, line,
message) to read by hand for false alarms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus", "dockerfiles")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=CORPUS)
    parser.add_argument("--select", default="ALL", help="rules to run (default: ALL)")
    parser.add_argument("--samples", type=int, default=0, help="findings to show per rule")
    options = parser.parse_args(argv)
    run = subprocess.run([sys.executable, "-m", "dfcheck", "--no-config", "--select", options.select, "--format",
                          "json", os.path.abspath(options.folder)], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.stderr.write(run.stderr)
        return 2
    report = json.loads(run.stdout)
    findings, files, samples = Counter(), defaultdict(set), defaultdict(list)
    for f in report["findings"]:
        findings[f["code"]] += 1
        files[f["code"]].add(f["path"])
        samples[f["code"]].append(f)
    print(f"{report['files']} files, {len(report['findings'])} findings, {len(report.get('errors', []))} errors")
    print("rule    findings  files  name")
    for code in sorted(findings):
        name = samples[code][0]["name"]
        print(f"{code:<7} {findings[code]:>8}  {len(files[code]):>5}  {name}")
        for f in samples[code][:options.samples]:
            print(f"          {os.path.basename(f['path'])}:{f['line']}: {f['message'][:120]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
