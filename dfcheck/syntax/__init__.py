"""Dockerfile syntax: a parser faithful to BuildKit, and the tree it builds."""

from .nodes import Arg, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, ParseError, Span
from .parser import parse

__all__ = [
    "Arg", "Comment", "Directive", "Dockerfile", "Flag", "Heredoc", "Instruction", "KeyValue", "ParseError",
    "Span", "parse",
]
