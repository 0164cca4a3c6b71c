""""Did you mean ...?": the closest of a set of names to a misspelt one."""

from __future__ import annotations


def distance(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance where swapping two neighbouring characters counts as one edit. With `limit`, any
    distance above it comes back as limit + 1, found as soon as a row of the table is all above it."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        if limit is not None and min(row) > limit and min(rows[-1]) > limit:
            return limit + 1  # (a swap reaches back two rows, so both must be past the limit)
        rows.append(row)
    return rows[-1][-1]


# The answers given, by question: the language server asks the same ones again on every keystroke, and each
# compares the word with every option. Cleared when full.
_answers: dict[tuple, str | None] = {}
MAX_ANSWERS = 1024


def closest(word: str, options, *, ignore_case: bool = True) -> str | None:
    """The option nearest to `word`, if it is near enough to be a likely typo (never `word` itself)."""
    question = (word, frozenset(options), ignore_case)
    if question in _answers:
        return _answers[question]
    if len(_answers) >= MAX_ANSWERS:
        _answers.clear()
    answer = _answers[question] = _closest(word, question[1], ignore_case)
    return answer


def _closest(word: str, options, ignore_case: bool) -> str | None:
    key = word.lower() if ignore_case else word
    near = max(1, len(word) // 3)
    best, best_distance = None, None
    for option in sorted(options):
        if abs(len(option) - len(word)) > near:
            continue  # at least that many edits apart: never near enough
        other = option.lower() if ignore_case else option
        if other == key and option == word:
            continue
        d = distance(key, other, near if best_distance is None else min(near, best_distance - 1))
        if best_distance is None or d < best_distance:
            best, best_distance = option, d
    if best is not None and best_distance <= near:
        return best
    return None
