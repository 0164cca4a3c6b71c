"""HCL expressions as Bake evaluates them, as far as a static reading can: literals, string templates (`${...}`),
variables, lists and objects, `!`, `-`, arithmetic, comparisons, `&&`, `||`, `cond ? a : b`, and the functions
whose result does not depend on when or where the build runs (`equal`, `notequal`, `and`, `or`, `upper`,
`trimprefix`, `join`, `format`, ... and the file's own `function` blocks). What is left (`timestamp()`, `uuid()`,
`for` expressions, `%{ if }` directives, references to other targets) raises Unresolved, with what it was.

python-hcl2 parses the file's blocks; each attribute's expression comes back as its source text, which
`parse` turns into a small tree of tuples that `Evaluator.evaluate` reduces.
"""

from __future__ import annotations

import hashlib
import os

MAX_DEPTH = 64  # nesting of expressions and of function calls
MAX_RANGE = 1024  # numbers range() may make


class Unresolved(Exception):
    """An expression whose value a static reading cannot know. `noted`: already reported where it comes from."""

    def __init__(self, reason: str, noted: bool = False):
        super().__init__(reason)
        self.noted = noted


# -- tokens -----------------------------------------------------------------------------------------------------

_OPERATORS = ("...", "==", "!=", "<=", ">=", "&&", "||", "=>", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":",
              "(", ")", "[", "]", "{", "}", ",", ".", "=")


def _tokens(text: str) -> list[tuple]:
    """(kind, value) pairs: "num", "id", "str" (its template parts), "op", then ("end", None)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#" or text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif c.isdigit():
            j = i
            while j < n and text[j].isdigit():
                j += 1
            if j + 1 < n and text[j] == "." and text[j + 1].isdigit():
                j += 1
                while j < n and text[j].isdigit():
                    j += 1
            if j < n and text[j] in "eE":
                k = j + 1 + (j + 1 < n and text[j + 1] in "+-")
                if k < n and text[k].isdigit():
                    j = k
                    while j < n and text[j].isdigit():
                        j += 1
            number = text[i:j]
            out.append(("num", float(number) if any(ch in number for ch in ".eE") else int(number)))
            i = j
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_-"):
                j += 1
            out.append(("id", text[i:j]))
            i = j
        elif c == '"':
            parts, i = _template(text, i + 1)
            out.append(("str", parts))
        elif text.startswith("<<", i) and not text.startswith("<<=", i):
            raise Unresolved("a heredoc inside an expression")
        else:
            for op in _OPERATORS:
                if text.startswith(op, i):
                    out.append(("op", op))
                    i += len(op)
                    break
            else:
                raise Unresolved(f"unexpected {c!r} in {text!r}")
    out.append(("end", None))
    return out


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _template(text: str, i: int) -> tuple[list, int]:
    """A quoted template from just after its `"`: (parts, index after the closing quote); a part is a literal str
    or ("expr", source text)."""
    parts, literal, n = [], [], len(text)
    while i < n:
        c = text[i]
        if c == '"':
            if literal:
                parts.append("".join(literal))
            return parts, i + 1
        if c == "\\" and i + 1 < n:
            e = text[i + 1]
            if e in _ESCAPES:
                literal.append(_ESCAPES[e])
                i += 2
            elif e in "uU":
                width = 4 if e == "u" else 8
                try:
                    literal.append(chr(int(text[i + 2:i + 2 + width], 16)))
                except ValueError:
                    raise Unresolved(f"a bad escape in {text!r}") from None
                i += 2 + width
            else:
                raise Unresolved(f"a bad escape in {text!r}")
        elif text.startswith("$${", i) or text.startswith("%%{", i):
            literal.append(text[i + 1:i + 3])
            i += 3
        elif text.startswith("${", i):
            end = _closing(text, i + 2)
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(("expr", text[i + 2:end].strip().removeprefix("~").removesuffix("~")))
            i = end + 1
        elif text.startswith("%{", i):
            raise Unresolved("a %{ } template directive")
        else:
            literal.append(c)
            i += 1
    raise Unresolved(f"an unterminated string in {text!r}")


def _closing(text: str, i: int) -> int:
    """The index of the `}` closing an interpolation whose expression starts at `i` (strings and braces nested)."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            _, i = _template(text, i + 1)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise Unresolved(f"an unterminated ${{ in {text!r}")


# -- the tree ---------------------------------------------------------------------------------------------------


def parse(text: str):
    """The tree of one expression's source text (python-hcl2 gives some wrapped in `${...}`)."""
    try:
        stripped = text.strip()
        if stripped.startswith("${") and stripped.endswith("}") and _closing(stripped, 2) == len(stripped) - 1:
            stripped = stripped[2:-1]
        parser = _Parser(_tokens(stripped))
        tree = parser.expression(0)
        parser.expect("end")
    except RecursionError:  # strings within interpolations within strings...
        raise Unresolved("an expression nested too deeply") from None
    return tree


class _Parser:
    def __init__(self, tokens: list):
        self.tokens = tokens
        self.i = 0

    def peek(self, value=None):
        kind, v = self.tokens[self.i]
        return (kind == "op" and v == value) if value is not None else (kind, v)

    def take(self):
        token = self.tokens[self.i]
        if token[0] != "end":  # the end stays the next token
            self.i += 1
        return token

    def expect(self, kind, value=None):
        got = self.take()
        if got[0] != kind or (value is not None and got[1] != value):
            raise _unexpected(got)
        return got

    def expression(self, depth):
        if depth > MAX_DEPTH:
            raise Unresolved("an expression nested too deeply")
        condition = self.binary(0, depth)
        if self.peek("?"):
            self.take()
            yes = self.expression(depth + 1)
            self.expect("op", ":")
            no = self.expression(depth + 1)
            return ("cond", condition, yes, no)
        return condition

    _LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))

    def binary(self, level, depth):
        if level == len(self._LEVELS):
            return self.unary(depth)
        left = self.binary(level + 1, depth)
        while self.peek()[0] == "op" and self.peek()[1] in self._LEVELS[level]:
            op = self.take()[1]
            left = ("bin", op, left, self.binary(level + 1, depth))
        return left

    def unary(self, depth):
        if depth > MAX_DEPTH:
            raise Unresolved("an expression nested too deeply")
        if self.peek("!") or self.peek("-"):
            op = self.take()[1]
            return ("unary", op, self.unary(depth + 1))
        return self.postfix(depth)

    def postfix(self, depth):
        node = self.primary(depth)
        while True:
            if self.peek("."):
                self.take()
                kind, name = self.take()
                if kind == "op" and name == "*":
                    raise Unresolved("a splat expression")
                if kind not in ("id", "num"):
                    raise _unexpected((kind, name))
                node = ("attr", node, str(name))
            elif self.peek("["):
                self.take()
                if self.peek("*"):
                    raise Unresolved("a splat expression")
                index = self.expression(depth + 1)
                self.expect("op", "]")
                node = ("index", node, index)
            else:
                return node

    def primary(self, depth):
        kind, value = self.take()
        if kind == "num":
            return ("lit", value)
        if kind == "str":
            return ("tmpl", [p if isinstance(p, str) else parse(p[1]) for p in value])
        if kind == "id":
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "null":
                return ("lit", None)
            if value == "for":
                raise Unresolved("a for expression")
            if self.peek("("):
                self.take()
                args = []
                while not self.peek(")"):
                    args.append(self.expression(depth + 1))
                    if self.peek("..."):
                        raise Unresolved(f"{value}(...) with expanded arguments")
                    if not self.peek(")"):
                        self.expect("op", ",")
                self.take()
                return ("call", value, args)
            return ("var", value)
        if kind == "op" and value == "(":
            inner = self.expression(depth + 1)
            self.expect("op", ")")
            return inner
        if kind == "op" and value == "[":
            items = []
            while not self.peek("]"):
                if self.peek()[0] == "id" and self.peek()[1] == "for":
                    raise Unresolved("a for expression")
                items.append(self.expression(depth + 1))
                if not self.peek("]"):
                    self.expect("op", ",")
            self.take()
            return ("list", items)
        if kind == "op" and value == "{":
            pairs = []
            while not self.peek("}"):
                if self.peek()[0] == "id" and self.peek()[1] == "for":
                    raise Unresolved("a for expression")
                key = self.expression(depth + 1)
                if key[0] == "var":
                    key = ("lit", key[1])  # a bare name is the key itself
                if not (self.peek("=") or self.peek(":")):
                    raise Unresolved("an object without = or :")
                self.take()
                pairs.append((key, self.expression(depth + 1)))
                if self.peek(","):
                    self.take()
            self.take()
            return ("object", pairs)
        raise _unexpected((kind, value))


def _unexpected(token) -> Unresolved:
    if token[0] == "end":
        return Unresolved("an incomplete expression")
    return Unresolved(f"unexpected {token[1]!r} in an expression")


# -- evaluation ------------------------------------------------------------------------------------------------


class Evaluator:
    """Evaluates trees with `lookup(name)` for variables and the file's own functions (name -> (params, tree))."""

    def __init__(self, lookup, functions: dict | None = None):
        self.lookup = lookup
        self.functions = functions if functions is not None else {}

    def evaluate(self, tree, scope: dict | None = None, depth: int = 0):
        if depth > MAX_DEPTH:
            raise Unresolved("an expression nested too deeply")
        kind = tree[0]
        if kind == "lit":
            return tree[1]
        if kind == "var":
            name = tree[1]
            if scope is not None and name in scope:
                return scope[name]
            return self.lookup(name)
        if kind == "tmpl":
            return "".join(p if isinstance(p, str) else _text(self.evaluate(p, scope, depth + 1)) for p in tree[1])
        if kind == "list":
            return [self.evaluate(item, scope, depth + 1) for item in tree[1]]
        if kind == "object":
            return {_text(self.evaluate(k, scope, depth + 1)): self.evaluate(v, scope, depth + 1) for k, v in tree[1]}
        if kind == "cond":
            condition = self.evaluate(tree[1], scope, depth + 1)
            if not isinstance(condition, bool):
                raise Unresolved("a condition that is not true or false")
            return self.evaluate(tree[2] if condition else tree[3], scope, depth + 1)
        if kind == "unary":
            value = self.evaluate(tree[2], scope, depth + 1)
            if tree[1] == "!":
                return not _bool(value)
            return -_number(value)
        if kind == "bin":
            return self._binary(tree, scope, depth)
        if kind == "attr":
            if tree[1] == ("var", "target"):
                raise Unresolved("a reference to another target")
            value = self.evaluate(tree[1], scope, depth + 1)
            if isinstance(value, dict) and tree[2] in value:
                return value[tree[2]]
            raise Unresolved(f"no attribute {tree[2]}")
        if kind == "index":
            value = self.evaluate(tree[1], scope, depth + 1)
            index = self.evaluate(tree[2], scope, depth + 1)
            try:
                return value[int(index)] if isinstance(value, list) else value[index]
            except (KeyError, IndexError, TypeError, ValueError):
                raise Unresolved("an index out of range") from None
        if kind == "call":
            return self._call(tree[1], tree[2], scope, depth)
        raise Unresolved(f"a {kind} expression")

    def _binary(self, tree, scope, depth):
        op, left_tree, right_tree = tree[1], tree[2], tree[3]
        left = self.evaluate(left_tree, scope, depth + 1)
        if op in ("&&", "||"):
            if _bool(left) == (op == "||"):
                return op == "||"
            return _bool(self.evaluate(right_tree, scope, depth + 1))
        right = self.evaluate(right_tree, scope, depth + 1)
        if op == "==":
            return _same(left, right)
        if op == "!=":
            return not _same(left, right)
        a, b = _number(left), _number(right)
        if op in ("/", "%") and b == 0:
            raise Unresolved("a division by zero")
        result = {"<": lambda: a < b, ">": lambda: a > b, "<=": lambda: a <= b, ">=": lambda: a >= b,
                  "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                  "%": lambda: a % b}[op]()
        return result

    def _call(self, name, arg_trees, scope, depth):
        if name in self.functions:
            params, body = self.functions[name]
            if len(params) != len(arg_trees):
                raise Unresolved(f"{name}() called with {len(arg_trees)} arguments for {len(params)}")
            values = [self.evaluate(a, scope, depth + 1) for a in arg_trees]
            return self.evaluate(body, dict(zip(params, values, strict=True)), depth + 1)
        function = FUNCTIONS.get(name)
        if function is None:
            raise Unresolved(f"{name}() cannot be read statically")
        args = [self.evaluate(a, scope, depth + 1) for a in arg_trees]
        try:
            return function(*args)
        except Unresolved:
            raise
        except (TypeError, ValueError, AttributeError, IndexError):
            raise Unresolved(f"{name}() with arguments it does not take") from None


def _text(value) -> str:
    """A value in a template: strings as they are, numbers and booleans as HCL prints them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    raise Unresolved("a list, object or null inside a string")


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Unresolved("arithmetic on a value that is not a number")
    try:
        return value if not isinstance(value, str) else (float(value) if "." in value else int(value))
    except ValueError:
        raise Unresolved(f"arithmetic on {value!r}") from None


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise Unresolved("a logical operator on a value that is not true or false")


def _same(a, b) -> bool:
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def _format(spec: str, *args) -> str:
    out, i, values = [], 0, list(args)
    while i < len(spec):
        c = spec[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        verb = spec[i + 1:i + 2]
        if verb == "%":
            out.append("%")
        elif verb in ("s", "d", "v") and values:
            value = values.pop(0)
            out.append(str(int(_number(value))) if verb == "d" else _text(value))
        else:
            raise Unresolved(f"format() with %{verb}")
        i += 2
    return "".join(out)


def _replace(text: str, old: str, new: str) -> str:
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        raise Unresolved("replace() with a regular expression")
    return text.replace(old, new)


def _coalesce(*values):
    for value in values:
        if value is not None and value != "":
            return value
    raise Unresolved("coalesce() of nothing but null and empty strings")


def _range(*bounds) -> list:
    numbers = [int(_number(b)) for b in bounds]
    values = range(*numbers) if len(numbers) > 1 else range(numbers[0])
    if len(values) > MAX_RANGE:
        raise Unresolved(f"range() of more than {MAX_RANGE} numbers")
    return list(values)


def _sanitize(text: str) -> str:
    return "".join(c if c.isalnum() or c == "_" else "_" for c in text)


FUNCTIONS = {
    "and": lambda *a: all(_bool(x) for x in a),
    "or": lambda *a: any(_bool(x) for x in a),
    "not": lambda a: not _bool(a),
    "equal": lambda a, b: _same(a, b),
    "notequal": lambda a, b: not _same(a, b),
    "upper": lambda s: s.upper(),
    "lower": lambda s: s.lower(),
    "title": lambda s: " ".join(w[:1].upper() + w[1:] for w in s.split(" ")),
    "trimprefix": lambda s, p: s[len(p):] if s.startswith(p) else s,
    "trimsuffix": lambda s, p: s[: len(s) - len(p)] if p and s.endswith(p) else s,
    "trimspace": lambda s: s.strip(),
    "trim": lambda s, chars: s.strip(chars),
    "chomp": lambda s: s.rstrip("\r\n"),
    "strlen": lambda s: len(s),
    "substr": lambda s, start, length: s[int(start):] if int(length) < 0 else s[int(start):int(start) + int(length)],
    "join": lambda sep, *lists: sep.join(_text(x) for lst in lists for x in lst),
    "split": lambda sep, s: s.split(sep),
    "replace": _replace,
    "format": _format,
    "coalesce": _coalesce,
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "contains": lambda lst, value: any(_same(x, value) for x in lst),
    "element": lambda lst, i: lst[int(i) % len(lst)],
    "length": lambda x: len(x),
    "lookup": lambda mapping, key, *default: mapping[key] if key in mapping or not default else default[0],
    "add": lambda a, b: _number(a) + _number(b),
    "subtract": lambda a, b: _number(a) - _number(b),
    "multiply": lambda a, b: _number(a) * _number(b),
    "max": lambda *a: max(_number(x) for x in a),
    "range": _range,
    "min": lambda *a: min(_number(x) for x in a),
    "basename": lambda p: os.path.basename(p),
    "dirname": lambda p: os.path.dirname(p),
    "sanitize": _sanitize,
    "md5": lambda s: hashlib.md5(s.encode()).hexdigest(),  # noqa: S324 -- a name, as Bake makes it
    "sha1": lambda s: hashlib.sha1(s.encode()).hexdigest(),  # noqa: S324
    "sha256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
    "tostring": _text,
}
