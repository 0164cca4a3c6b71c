""""Did you mean ...?": the closest of a set of names to a misspelt one."""

from __future__ import annotations


def distance(a: str, b: str) -> int:
    """Edit distance where swapping two neighbouring characters counts as one edit."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def closest(word: str, options, *, ignore_case: bool = True) -> str | None:
    """The option nearest to `word`, if it is near enough to be a likely typo (never `word` itself)."""
    key = word.lower() if ignore_case else word
    best, best_distance = None, None
    for option in sorted(options):
        other = option.lower() if ignore_case else option
        if other == key and option == word:
            continue
        d = distance(key, other)
        if best_distance is None or d < best_distance:
            best, best_distance = option, d
    if best is not None and best_distance <= max(1, len(word) // 3):
        return best
    return None
