"""dfcheck: a Dockerfile linter and static analyzer that understands layers and the build cache."""

__version__ = "0.1.0"
