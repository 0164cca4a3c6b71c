"""`--statistics`: how many findings each rule has, most first, instead of the findings themselves.

    12  DF401  [*] add-instead-of-copy
     3  DF604      image-latest-or-untagged

`[*]`: some of them have a safe fix. With `--format json`, the same as a list of
{"code", "name", "count", "fixable"}.
"""

from __future__ import annotations


def counts(report) -> list[dict]:
    by_code: dict[str, dict] = {}
    for f in report.findings:
        if f.suppressed is not None:
            continue
        entry = by_code.setdefault(f.code, {"code": f.code, "name": f.name, "count": 0, "fixable": False})
        entry["count"] += 1
        entry["fixable"] = entry["fixable"] or (f.fix is not None and f.fix.applicability == "safe")
    return sorted(by_code.values(), key=lambda e: (-e["count"], e["code"]))


def render(report, fmt: str = "text") -> str:
    rows = counts(report)
    if fmt == "json":
        import json

        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    width = len(str(rows[0]["count"]))
    code_width = max(len(r["code"]) for r in rows)
    fixable = any(r["fixable"] for r in rows)
    return "".join(f"{r['count']:>{width}}  {r['code']:<{code_width}}  "
                   f"{('[*] ' if r['fixable'] else '    ') if fixable else ''}{r['name']}\n" for r in rows)
