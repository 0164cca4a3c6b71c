"""Assemble the model of a parsed Dockerfile (being filled out: stages, variables, shell, layers, runtime)."""

from __future__ import annotations

from ..syntax.nodes import Dockerfile


class Model:
    def __init__(self, dockerfile: Dockerfile, path: str | None = None, context_dir: str | None = None,
                 target: str | None = None, build_args: dict | None = None):
        self.dockerfile = dockerfile
        self.path = path
        self.context_dir = context_dir
        self.target_name = target
        self.build_args = dict(build_args or {})


def build_model(dockerfile: Dockerfile, *, path: str | None = None, context_dir: str | None = None,
                target: str | None = None, build_args: dict | None = None) -> Model:
    return Model(dockerfile, path, context_dir, target, build_args)
