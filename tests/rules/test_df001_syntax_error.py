"""DF001: syntax error (rules/df001_syntax_error.py)."""

from support import findings


def test_df001_reports_parser_and_structural_errors():
    src = "RUN echo early\nFROM alpine\nCOPY onlyone\nRUN echo still linted\n"
    assert findings("DF001", src) == [
        ("DF001", 3, 1, "COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("DF001", 1, 1, "no build stage in current context"),
    ]

