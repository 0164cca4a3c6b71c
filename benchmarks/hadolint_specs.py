"""How far dfcheck agrees with hadolint's own rule specs.

    python benchmarks/hadolint_specs.py CASES_DIR [--details]

CASES_DIR holds the expectations of hadolint's test/Hadolint/Rule/*Spec.hs, extracted (they are not shipped
here: hadolint is GPL-3.0), one Dockerfile fragment a file and a manifest:

    CASES_DIR/manifest.tsv   FILE<TAB>CODE<TAB>fires|silent[<TAB>CONFIG[<TAB>ORIGIN]], one expectation a line
                             (lines starting with # and blank lines are skipped)
    CASES_DIR/FILE           the fragment exactly as the spec hands it to hadolint's parser

`fires`: hadolint must report CODE on the fragment (ruleCatches, onBuildRuleCatches, failsWith N > 0);
`silent`: it must not (ruleCatchesNot, onBuildRuleCatchesNot, failsWith 0). CONFIG is empty or a JSON object
of the hadolint configuration fields the spec sets; `allowedRegistries` becomes DF606's `allowed-registries`,
the others (the label schema) concern codes no dfcheck rule maps and are ignored. ORIGIN says where in the
spec the expectation comes from.

Most fragments have no FROM. A fragment without a FROM instruction is linted with `FROM debian:12` put
before its first line that is not a parser directive (`# syntax=`, `# escape=`, `# check=` must stay first):
so every instruction of the fragment, an ARG on its first line too, belongs to one stage, as hadolint reads
a fragment. Had the ARG stayed before the FROM, BuildKit would make it a global ARG that the stage's
instructions do not see, and the fragment would mean something else. Comments stay right above the
instruction they annotate. A tagged image keeps DF604 (DL3006, DL3007) quiet. A fragment that has a FROM
instruction (those whose point is an instruction before FROM have one) is linted as it is.

Each case is linted in-process as `dfcheck --select ALL` would lint it (every rule, default options, no
build context, ONBUILD triggers linted). A finding counts for every hadolint code its rule lists in its
`hadolint=` metadata (the codes whose `# hadolint ignore=` silences it). Per spec'd code the table shows the
rules mapped to it, the expectations (fires + silent), the agreements, the misses (should fire, does not)
and the false fires (should stay silent, fires); then the totals over the codes dfcheck maps and how many
of the spec'd codes are mapped. `--details` prints every disagreement (origin, fragment as linted,
expected, the codes dfcheck reported) and, for each unmapped code, the dfcheck rules that fire on its
positive and its negative fragments.

Some disagreements are deliberate: dfcheck is right where hadolint's spec is not, or means something else,
and the rule's page says so. `--differences FILE` (by default benchmarks/hadolint_differences.tsv, lines
CODE<TAB>SPEC-FILE:LINE<TAB>RULE<TAB>WHY) lists them; they are still counted as disagreements in the table
and the main figure, and a second, labelled figure counts them as agreements ("agreement counting
documented differences"). --details marks each listed one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter

BASE_IMAGE = "debian:12"
DIFFERENCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hadolint_differences.tsv")
# hadolint configuration fields the specs set, and the dfcheck rule option that says the same thing
CONFIG_OPTIONS = {"allowedRegistries": ("DF606", "allowed-registries")}


def read_manifest(cases_dir: str) -> list[dict]:
    cases = []
    with open(os.path.join(cases_dir, "manifest.tsv"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3 or fields[2] not in ("fires", "silent"):
                raise SystemExit(f"manifest.tsv:{number}: expected FILE<TAB>CODE<TAB>fires|silent")
            config = fields[3] if len(fields) > 3 else ""
            cases.append({"file": fields[0], "code": fields[1].upper(), "fires": fields[2] == "fires",
                          "config": json.loads(config) if config else {},
                          "origin": fields[4] if len(fields) > 4 else fields[0]})
    return cases


def read_differences(path: str | None) -> dict[tuple[str, str], str]:
    """(code, "SpecFile.hs:LINE") -> the dfcheck rule whose page states the difference; {} without a file."""
    found = {}
    if not path or not os.path.isfile(path):
        return found
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3:
                raise SystemExit(f"{path}:{number}: expected CODE<TAB>SPEC-FILE:LINE<TAB>RULE[<TAB>WHY]")
            found[(fields[0].upper(), fields[1])] = fields[2]
    return found


def with_from(text: str) -> str:
    """The fragment as it is linted: unchanged when it has a FROM instruction, else with `FROM BASE_IMAGE` before
    its first line that is not a parser directive."""
    from dfcheck.syntax import parse

    dockerfile = parse(text)
    if any(node.keyword == "FROM" for node in dockerfile.instructions):
        return text
    after = max((d.span.end_line for d in dockerfile.directives), default=0)
    lines = text.splitlines(keepends=True)
    return "".join(lines[:after]) + f"FROM {BASE_IMAGE}\n" + "".join(lines[after:])


def lint(text: str, rules, config: dict):
    """(the hadolint codes dfcheck's findings stand for, the dfcheck codes found, internal errors)."""
    from dfcheck.config import Settings
    from dfcheck.engine import lint_text

    options = {r.code: dict(r.options) for r in rules}
    for field, value in config.items():
        if field in CONFIG_OPTIONS:
            code, option = CONFIG_OPTIONS[field]
            options[code][option] = value
    result = lint_text(text, "Dockerfile", Settings(rules, rules, options=options))
    by_code = {r.code: r for r in rules}
    found = sorted({f.code for f in result.findings})
    codes = {h.upper() for code in found for h in by_code[code].hadolint}
    return codes, found, [str(e) for e in result.errors]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", help="directory with manifest.tsv and the fragments")
    parser.add_argument("--details", action="store_true", help="print every disagreement")
    parser.add_argument("--differences", default=DIFFERENCES,
                        help="the deliberate differences, stated on the rules' pages (default: %(default)s)")
    options = parser.parse_args(argv)
    differences = read_differences(options.differences)

    from dfcheck.engine import load_rules

    rules = tuple(sorted(load_rules(), key=lambda r: r.code))
    mapped: dict[str, list[str]] = {}
    for r in rules:
        for code in r.hadolint:
            mapped.setdefault(code.upper(), []).append(r.code)
    cases = read_manifest(options.cases)
    fires, silent, agree, miss, false = Counter(), Counter(), Counter(), Counter(), Counter()
    documented = Counter()  # disagreements listed as deliberate, per code
    hits_pos: dict[str, Counter] = {}
    hits_neg: dict[str, Counter] = {}
    errors = 0
    for case in cases:
        with open(os.path.join(options.cases, case["file"]), encoding="utf-8") as f:
            text = with_from(f.read())
        codes, found, problems = lint(text, rules, case["config"])
        for problem in problems:
            errors += 1
            print(f"error: {case['file']}: {problem}", file=sys.stderr)
        code = case["code"]
        (fires if case["fires"] else silent)[code] += 1
        hit = code in codes
        if code not in mapped:
            (hits_pos if case["fires"] else hits_neg).setdefault(code, Counter()).update(found)
        if hit == case["fires"]:
            agree[code] += 1
            continue
        (miss if case["fires"] else false)[code] += 1
        stated = differences.get((code, case["origin"].split(": ", 1)[0]))
        if stated is not None and code in mapped:
            documented[code] += 1
        if options.details and code in mapped:
            kind = "miss" if case["fires"] else "false fire"
            note = f" [deliberate, stated on {stated}'s page]" if stated else ""
            print(f"{code} {kind}: {case['origin']}{note}")
            print(f"  expected {'fires' if case['fires'] else 'silent'}; dfcheck reported: "
                  f"{', '.join(found) or 'nothing'}")
            for line in text.splitlines():
                print(f"  | {line}")
    if options.details:
        print()
    print_table(fires, silent, agree, miss, false, mapped, documented)
    if options.details:
        print("\nunmapped codes: the dfcheck rules that fire on the positive and on the negative fragments")
        for code in sorted(set(fires) | set(silent)):
            if code in mapped:
                continue
            pos = ", ".join(f"{c} {n}" for c, n in sorted(hits_pos.get(code, Counter()).items())) or "-"
            neg = ", ".join(f"{c} {n}" for c, n in sorted(hits_neg.get(code, Counter()).items())) or "-"
            print(f"  {code} ({fires[code]} positive, {silent[code]} negative): positives {pos}; negatives {neg}")
    if errors:
        print(f"\n{errors} internal errors (see stderr)")
    return 0


def print_table(fires, silent, agree, miss, false, mapped, documented=None) -> None:
    codes = sorted(set(fires) | set(silent))
    print(f"{'code':<7} {'dfcheck rules':<13} {'cases':>5} {'fires':>5} {'silent':>6} {'agree':>5} {'miss':>4} "
          f"{'false':>5}")
    for code in codes:
        rules = ",".join(mapped.get(code, ["-"]))
        print(f"{code:<7} {rules:<13} {fires[code] + silent[code]:>5} {fires[code]:>5} {silent[code]:>6} "
              f"{agree[code]:>5} {miss[code]:>4} {false[code]:>5}")
    on = [c for c in codes if c in mapped]
    total = sum(fires[c] + silent[c] for c in on)
    agreed = sum(agree[c] for c in on)
    share = f"{100 * agreed / total:.1f} %" if total else "-"
    print(f"\nmapped codes: {len(on)} of {len(codes)} spec'd; on them {agreed} of {total} expectations agree "
          f"({share}): {sum(miss[c] for c in on)} misses, {sum(false[c] for c in on)} false fires")
    stated = sum((documented or {}).get(c, 0) for c in on)
    if stated:
        share = f"{100 * (agreed + stated) / total:.1f} %"
        print(f"agreement counting documented differences: {agreed + stated} of {total} ({share}); {stated} of the "
              f"{total - agreed} disagreements are deliberate and stated on the rules' pages")
    unmapped = [c for c in codes if c not in mapped]
    if unmapped:
        print(f"spec'd codes no dfcheck rule maps: {' '.join(unmapped)}")


if __name__ == "__main__":
    sys.exit(main())
