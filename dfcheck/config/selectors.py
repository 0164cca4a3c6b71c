"""Rule selectors: a code, a code prefix, a rule name, "ALL", or a hadolint code or BuildKit check name that
names the rules answering to it."""

from __future__ import annotations

from ..rule import Rule
from ..suggest import closest
from .settings import ConfigError

def _hint(word: str, candidates) -> str:
    guess = closest(word, candidates)
    return f' (did you mean "{guess}"?)' if guess else ""


# ---------------------------------------------------------------- selectors


def resolve_selector(selector: str, rules, where: str, notes: list | None = None, *,
                     removing: bool = False) -> frozenset[str]:
    """The codes a selector names: a code, a code prefix, a rule name, ALL, or a hadolint code or BuildKit
    check name (the rules that answer to it, with a note appended to `notes`). `removing`: the selector only
    takes rules away (ignore, per-file-ignores), so a hadolint code dfcheck has no rule for is a note, not an
    error."""
    word = selector.strip()
    if word.upper() == "ALL":
        return frozenset(r.code for r in rules)
    upper, lower = word.upper(), word.lower()
    codes = frozenset(r.code for r in rules if r.name == lower or (upper and r.code.startswith(upper)))
    if codes:
        return codes
    return frozenset(r.code for r in _foreign(word, rules, where, notes, removing=removing))


def rule_for(word: str, rules, where: str, notes: list | None = None) -> Rule:
    """The rule a code or a name (not a prefix) names, or the one rule a hadolint code or BuildKit check
    name stands for."""
    found = rules_for(word, rules, where, notes)
    if len(found) > 1:
        raise ConfigError(f"{where}: {word} stands for several rules ({', '.join(r.code for r in found)}): "
                          "name one")
    return found[0]


def rules_for(word: str, rules, where: str, notes: list | None = None) -> list[Rule]:
    """The rule a code or a name names, or the rules a hadolint code or a BuildKit check name stands for."""
    upper, lower = word.upper(), word.lower()
    for r in rules:
        if r.code == upper or r.name == lower:
            return [r]
    return _foreign(word, rules, where, notes)


def join_notes(notes: list[tuple[str, str]]) -> list[str]:
    """Notes as one line per place: `--ignore: hadolint's DL3020 is DF401 (add-instead-of-copy); ...`."""
    lines: dict[str, list[str]] = {}
    for where, text in notes:
        if text not in lines.setdefault(where, []):
            lines[where].append(text)
    return [f"{where}: {'; '.join(texts)}" for where, texts in lines.items()]


def _is_hadolint_code(word: str) -> bool:
    return len(word) == 6 and word[:2].upper() == "DL" and word[2:].isdigit()


def _foreign(word: str, rules, where: str, notes: list | None, *, removing: bool = False) -> list[Rule]:
    """The rules whose metadata name `word` as their hadolint code or BuildKit check; a ConfigError when none
    does and `word` is not a hadolint code being removed."""
    upper, lower = word.upper(), word.lower()
    found = [r for r in rules if upper in r.hadolint]
    tool = "hadolint's"
    if not found:
        found = [r for r in rules if any(b.lower() == lower for b in r.buildkit)]
        tool = "BuildKit's check"
        word = next((b for r in found for b in r.buildkit if b.lower() == lower), word)
    if found:
        if notes is not None:
            notes.append((where, f"{tool} {word} is {', '.join(f'{r.code} ({r.name})' for r in found)}"))
        return found
    if _is_hadolint_code(word) and removing:
        if notes is not None:
            notes.append((where, f"hadolint's {upper} has no dfcheck rule, nothing to remove"))
        return []
    if _is_hadolint_code(word):
        raise ConfigError(f"{where}: hadolint's {upper} has no dfcheck rule (`dfcheck rules` lists the hadolint "
                          "codes dfcheck answers to)")
    if len(word) == 6 and upper.startswith("SC") and word[2:].isdigit():
        raise ConfigError(f"{where}: {upper} is a ShellCheck code; DF702 reports ShellCheck's findings, and "
                          f'[tool.dfcheck.options.DF702] exclude = ["{upper}"] leaves this one out')
    candidates = ([r.code for r in rules] + [r.name for r in rules] + ["ALL"]
                  + [c for r in rules for c in (*r.hadolint, *r.buildkit)])
    raise ConfigError(f'{where}: unknown rule "{word}"{_hint(word, candidates)}')
