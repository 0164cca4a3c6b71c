"""The build model: what a Dockerfile's build will do, computed once and shared by every rule."""

from .build import Model, build_model

__all__ = ["Model", "build_model"]
