"""How many of BuildKit's own build-check expectations dfcheck reproduces.

    python benchmarks/buildkit_checks.py CASES_DIR [--verbose]

CASES_DIR holds one directory per case, extracted from BuildKit's frontend/dockerfile/dockerfile_lint_test.go
(each case is a Dockerfile and the warnings `docker build --check` gives for it; they are not shipped here):

    CASE/Dockerfile       the Dockerfile
    CASE/.dockerignore    when the case has one (the case directory is the build context)
    CASE/build-args       KEY=VALUE lines, the case's build arguments (BUILDKIT_DOCKERFILE_CHECK among them)
    CASE/expected         one warning a line: CHECK<TAB>LINE<TAB>BuildKit's message

dfcheck runs every rule mapped to a BuildKit check that is on by default (and, as in BuildKit, the ones a
`# check=experimental=` directive asks for), with the case's build arguments and context. A finding counts
for the BuildKit check its rule is mapped to (DF004 for UndefinedArgInFrom on a FROM line, else UndefinedVar);
it is "found" when an expected warning of that check is on its line, "false" otherwise. Prints, per check:
expected, found, false; then the totals.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter


def read_case(directory: str):
    def text(name):
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    args = dict(line.split("=", 1) for line in text("build-args").splitlines() if "=" in line)
    expected = []
    for line in text("expected").splitlines():
        if line.strip():
            check, number, message = line.split("\t", 2)
            expected.append((check, int(number), message))
    return args, expected


def check_name(rule, finding, dockerfile) -> str:
    """The BuildKit check a finding stands for."""
    if len(rule.buildkit) == 1:
        return rule.buildkit[0]
    if rule.code == "DF004":
        for node in dockerfile.instructions:
            if node.span.line <= finding.span.line <= node.span.end_line:
                return "UndefinedArgInFrom" if node.keyword == "FROM" else "UndefinedVar"
    return rule.buildkit[0]


def run_case(directory: str, rules) -> tuple[list, list]:
    """(expected warnings, dfcheck's findings as (check, line, message))."""
    from dfcheck.config import Settings
    from dfcheck.engine import lint_file
    from dfcheck.syntax import parse

    args, expected = read_case(directory)
    mapped = tuple(r for r in rules if r.buildkit)
    settings = Settings((r for r in mapped if r.enabled), rules, options={r.code: dict(r.options) for r in rules},
                        context_dir=directory, build_args=args)
    path = os.path.join(directory, "Dockerfile")
    result = lint_file(path, settings)
    with open(path, encoding="utf-8") as f:
        dockerfile = parse(f.read())
    by_code = {r.code: r for r in rules}
    found = [(check_name(by_code[f.code], f, dockerfile), f.span.line, f.message) for f in result.findings
             if by_code[f.code].buildkit]
    for error in result.errors:
        print(f"  error: {error}", file=sys.stderr)
    return expected, found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", help="directory of extracted cases")
    parser.add_argument("--verbose", action="store_true", help="list every miss and false finding")
    options = parser.parse_args(argv)

    from dfcheck.engine import load_rules

    rules = load_rules()
    expected_n, found_n, false_n = Counter(), Counter(), Counter()
    for name in sorted(os.listdir(options.cases)):
        directory = os.path.join(options.cases, name)
        if not os.path.isfile(os.path.join(directory, "Dockerfile")):
            continue
        expected, found = run_case(directory, rules)
        open_expected = list(expected)
        for check, line, message in found:
            match = next((e for e in open_expected if e[0] == check and e[1] == line), None)
            if match:
                open_expected.remove(match)
                found_n[check] += 1
            else:
                false_n[check] += 1
                if options.verbose:
                    print(f"{name}: false {check} line {line}: {message}")
        for check, line, message in expected:
            expected_n[check] += 1
        if options.verbose:
            for check, line, message in open_expected:
                print(f"{name}: missed {check} line {line}: {message}")
    checks = sorted(set(expected_n) | set(false_n))
    width = max((len(c) for c in checks), default=10)
    print(f"{'check':<{width}}  expected  found  false")
    for check in checks:
        print(f"{check:<{width}}  {expected_n[check]:>8}  {found_n[check]:>5}  {false_n[check]:>5}")
    total_e, total_f, total_x = sum(expected_n.values()), sum(found_n.values()), sum(false_n.values())
    print(f"{'total':<{width}}  {total_e:>8}  {total_f:>5}  {total_x:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
