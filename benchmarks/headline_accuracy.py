#!/usr/bin/env python3
"""Recall and precision of dfcheck's headline analyses on a hand-labelled set of Dockerfiles.

    python benchmarks/headline_accuracy.py [--details] [--json] [--corpus DIR --labels DIR]

The labels (by default tests/labels/ over the shared corpus, see its README; `--corpus` and `--labels` name
another set laid out the same way) say, for each chosen file, which instructions an expert flags
for three families: cache-busting order (DF101-DF103), bytes paid for twice across layers (DF201, DF202) and ADD
where COPY does the same (DF401). This script lints those files with the dfcheck that the running Python
imports (the development environment's editable install: the working tree), in-process through the engine,
with exactly those rules selected and no build context (the labels assume none; the corpus folder is not the
files' real context), and compares per family:

- a finding counts for the instruction that contains its line, once per instruction and family, whatever its
  code within the family (the code agreement is shown apart);
- a finding on a `required` label is a true positive; on an `optional` label it is set aside (neither a true
  nor a false positive, and a missed optional label is no miss); anywhere else it is a false alarm;
- recall = true positives / required labels, precision = true positives / counted findings.

Findings silenced by suppression comments in the files count too: the analyses are measured, not the files'
suppressions. `--details` lists every miss (with the label's reason) and every false alarm (with dfcheck's
message); `--json` prints the same as one JSON object. Every label, and every note of not_flagged.tsv when the
set has one, must name the first line of an instruction as dfcheck's parser sees it: a label on a continuation
line could never meet a finding, so the script refuses the set (exit 2) instead of counting a false miss.
Without the default corpus (no ../shared) the script says so and exits 0; a `--corpus` that is not a folder is
an error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dockerfiles"
DEFAULT_LABELS = REPO / "tests" / "labels"

FAMILIES = {"cache": ("DF101", "DF102", "DF103"), "layers": ("DF201", "DF202"), "add": ("DF401",)}
FAMILY_OF = {code: family for family, codes in FAMILIES.items() for code in codes}
STATUSES = ("required", "optional")


# ---------------------------------------------------------------------------------------------------- labels

def read_tsv(path: Path, columns: int) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each data row; `#` lines and blank lines are comments."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != columns or not all(x.strip() for x in fields):
                raise ValueError(f"{path.name}:{number}: expected {columns} non-empty tab-separated fields")
            rows.append((number, fields))
    return rows


def load_labels(folder: Path) -> tuple[list[str], dict[tuple[str, int, str], dict]]:
    """The chosen files, and the labels keyed by (file, instruction line, family). Raises ValueError."""
    files = [fields[0] for _, fields in read_tsv(folder / "files.tsv", 4)]
    if len(set(files)) != len(files):
        raise ValueError("files.tsv: a file is listed twice")
    chosen = set(files)
    labels: dict[tuple[str, int, str], dict] = {}
    for number, (name, line, family, code, status, reason) in read_tsv(folder / "headline.tsv", 6):
        where = f"headline.tsv:{number}"
        if name not in chosen:
            raise ValueError(f"{where}: {name} is not in files.tsv")
        if not line.isdigit() or int(line) < 1:
            raise ValueError(f"{where}: line {line!r} is not a positive number")
        if FAMILY_OF.get(code) != family:
            raise ValueError(f"{where}: {code} is not a code of family {family!r}")
        if status not in STATUSES:
            raise ValueError(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
        key = (name, int(line), family)
        if key in labels:
            raise ValueError(f"{where}: a second label for the same instruction and family")
        labels[key] = {"code": code, "status": status, "reason": reason}
    return files, labels


def load_notes(folder: Path, files: list[str]) -> list[tuple[str, int, str]]:
    """(file, line, family) of each note in not_flagged.tsv; none when the set has no such file. Raises ValueError."""
    path = folder / "not_flagged.tsv"
    if not path.is_file():
        return []
    chosen, notes = set(files), []
    for number, (name, line, family, _note) in read_tsv(path, 4):
        where = f"not_flagged.tsv:{number}"
        if name not in chosen:
            raise ValueError(f"{where}: {name} is not in files.tsv")
        if not line.isdigit() or int(line) < 1:
            raise ValueError(f"{where}: line {line!r} is not a positive number")
        if family not in FAMILIES:
            raise ValueError(f"{where}: {family!r} is not a family ({', '.join(FAMILIES)})")
        notes.append((name, int(line), family))
    return notes


# ---------------------------------------------------------------------------------------------------- dfcheck

def instruction_spans(text: str) -> list[tuple[int, int]]:
    """(first line, last line) of each instruction, as dfcheck's parser (BuildKit's rules) sees them."""
    from dfcheck.syntax import parse

    return [(i.span.line, i.span.end_line) for i in parse(text).instructions]


def start_of(spans: list[tuple[int, int]], line: int) -> int:
    """The first line of the instruction containing `line` (the line itself when none does)."""
    for first, last in spans:
        if first <= line <= last:
            return first
    return line


def misplaced(corpus: Path, places: dict[str, list[tuple[int, str]]]) -> list[str]:
    """A message for each (line, what) of a file that is not the first line of an instruction of that file."""
    from dfcheck import engine

    out = []
    for name in sorted(places):
        text, problem = engine.read_source(str(corpus / name))
        if problem is not None:
            out.append(f"{name}: cannot read it: {problem}")
            continue
        spans = instruction_spans(text)
        starts = {first for first, _ in spans}
        for line, what in sorted(places[name]):
            if line not in starts:
                inside = start_of(spans, line)
                where = f"inside the instruction at line {inside}" if inside != line else "no instruction there"
                out.append(f"{name}:{line} ({what}) is not the first line of an instruction ({where})")
    return out


def lint(corpus: Path, files: list[str]) -> tuple[list[dict], list[str]]:
    """Each file's findings of the family codes, as dicts; and the errors dfcheck reported."""
    from dfcheck import engine
    from dfcheck.config import Settings

    known = sorted(engine.load_rules(), key=lambda r: r.code)
    missing = sorted(set(FAMILY_OF) - {r.code for r in known})
    if missing:
        raise SystemExit(f"dfcheck has no rule {', '.join(missing)}")
    settings = Settings((r for r in known if r.code in FAMILY_OF), known, context_dir=None)

    findings, errors = [], []
    for name in files:
        path = corpus / name
        text, problem = engine.read_source(str(path))
        if problem is not None:
            errors.append(f"{name}: {problem}")
            continue
        result = engine.lint_text(text, str(path), settings, keep_suppressed=True)
        errors.extend(e.message for e in result.errors)
        spans = instruction_spans(text)
        for f in result.findings:
            findings.append({"file": name, "line": start_of(spans, f.span.line), "finding_line": f.span.line,
                             "family": FAMILY_OF[f.code], "code": f.code, "message": f.message})
    return findings, errors


# ---------------------------------------------------------------------------------------------------- scoring

def score(labels: dict[tuple[str, int, str], dict], findings: list[dict]) -> dict:
    """Per family: counts, recall, precision, code agreement, misses and false alarms."""
    found: dict[tuple[str, int, str], list[dict]] = {}
    for f in findings:
        found.setdefault((f["file"], f["line"], f["family"]), []).append(f)

    out = {}
    for family in [*FAMILIES, "all"]:
        def mine(key, family=family):
            return family == "all" or key[2] == family

        required = {k for k, v in labels.items() if v["status"] == "required" and mine(k)}
        optional = {k for k, v in labels.items() if v["status"] == "optional" and mine(k)}
        flagged = {k for k in found if mine(k)}
        counted = flagged - optional
        hits = counted & required
        same_code = sum(1 for k in hits if any(f["code"] == labels[k]["code"] for f in found[k]))
        out[family] = {
            "labels": len(required),
            "optional_labels": len(optional),
            "findings": len(counted),
            "on_optional": len(flagged & optional),
            "true_positives": len(hits),
            "same_code": same_code,
            "recall": len(hits) / len(required) if required else None,
            "precision": len(hits) / len(counted) if counted else None,
            "misses": [{"file": k[0], "line": k[1], "family": k[2], **labels[k]} for k in sorted(required - hits)],
            "false_alarms": [f for k in sorted(counted - required) for f in found[k]],
        }
    return out


def ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def print_table(result: dict, files: int) -> None:
    import dfcheck

    print(f"dfcheck {dfcheck.__version__} from {Path(dfcheck.__file__).parent}")
    print(f"{files} labelled files; a finding counts once per instruction and family\n")
    print(f"{'family':<8} {'labels':>6} {'findings':>8} {'TP':>4} {'recall':>6} {'precision':>9} "
          f"{'same code':>9} {'optional (found)':>16}")
    for family, r in result.items():
        print(f"{family:<8} {r['labels']:>6} {r['findings']:>8} {r['true_positives']:>4} {ratio(r['recall']):>6} "
              f"{ratio(r['precision']):>9} {r['same_code']:>9} "
              f"{str(r['optional_labels']) + ' (' + str(r['on_optional']) + ')':>16}")


def print_details(result: dict) -> None:
    for family in FAMILIES:
        r = result[family]
        print(f"\n{family}: {len(r['misses'])} missed, {len(r['false_alarms'])} false alarm findings")
        for m in r["misses"]:
            print(f"  miss   {m['file']}:{m['line']} {m['code']}: {m['reason']}")
        for f in r["false_alarms"]:
            print(f"  false  {f['file']}:{f['line']} {f['code']} (line {f['finding_line']}): {f['message']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, help="the labelled files' folder (default: the shared corpus)")
    p.add_argument("--labels", type=Path, default=DEFAULT_LABELS,
                   help="the folder of files.tsv, headline.tsv and (optional) not_flagged.tsv (default: tests/labels)")
    p.add_argument("--details", action="store_true", help="list every miss and false alarm")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    args = p.parse_args(argv)

    corpus = args.corpus or DEFAULT_CORPUS
    if not corpus.is_dir():
        if args.corpus is not None:
            print(f"{corpus}: not a folder", file=sys.stderr)
            return 2
        print(f"{corpus}: no corpus here (../shared is missing); nothing to measure")
        return 0
    try:
        files, labels = load_labels(args.labels)
        notes = load_notes(args.labels, files)
    except (OSError, ValueError) as e:
        print(f"labels: {e}", file=sys.stderr)
        return 2
    absent = [f for f in files if not (corpus / f).is_file()]
    if absent:
        print(f"{corpus}: {len(absent)} labelled files missing, e.g. {absent[0]}", file=sys.stderr)
        return 2
    places: dict[str, list[tuple[int, str]]] = {}
    for (name, line, family), label in labels.items():
        places.setdefault(name, []).append((line, f"headline.tsv, {family} {label['code']}"))
    for name, line, family in notes:
        places.setdefault(name, []).append((line, f"not_flagged.tsv, {family}"))
    wrong = misplaced(corpus, places)
    if wrong:
        print(f"labels: {len(wrong)} labels or notes do not point at an instruction:", file=sys.stderr)
        for message in wrong:
            print(f"  {message}", file=sys.stderr)
        return 2

    findings, errors = lint(corpus, files)
    result = score(labels, findings)
    if args.json:
        print(json.dumps({"files": len(files), "corpus": str(corpus), "labels": str(args.labels),
                          "families": result, "errors": errors}, indent=1))
        return 0
    print(f"files {corpus}, labels {args.labels}")
    print_table(result, len(files))
    if args.details:
        print_details(result)
    for e in errors:
        print(f"dfcheck error: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
