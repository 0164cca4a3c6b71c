"""A build stage (`Stage`: its FROM, name, instructions, runtime settings at its end) and a reference from one
instruction to a stage or an image (`Reference`: `COPY --from`, `FROM`, `RUN --mount=from=`)."""

from __future__ import annotations

from ..records import fields_repr
from ..syntax.nodes import Instruction
from .runtime import Runtime

# Instructions that add a filesystem layer (WORKDIR creates its directory when missing).
LAYER_INSTRUCTIONS = ("RUN", "COPY", "ADD", "WORKDIR")


# Plain classes with __slots__ rather than dataclasses, for start-up time (see dfcheck.records).

class Reference:
    """A COPY --from or RUN --mount from= naming a stage, a named build context or an image."""

    __slots__ = ("node", "name", "stage", "context")

    def __init__(self, node: Instruction, name: str, stage: Stage | None, context: str | None = None):
        self.node = node
        self.name = name  # as written after expansion
        self.stage = stage  # None: a named context or an external image
        self.context = context  # the named build context it names (its location), which wins over a stage

    __repr__ = fields_repr


class Stage:
    __slots__ = ("index", "node", "name", "base", "base_stage", "platform", "instructions", "references", "runtime",
                 "env", "base_context", "candidates")

    def __init__(
        self,
        index: int,
        node: Instruction,
        name: str | None,
        base: str,
        base_stage: Stage | None,
        platform: str | None,
        instructions: list[Instruction] | None = None,
        references: list[Reference] | None = None,
        runtime: Runtime | None = None,
        env: dict | None = None,
        base_context: str | None = None,
    ):
        self.index = index
        self.node = node  # the FROM
        self.name = name  # the `AS name`, lower-case
        self.base = base  # the base image or stage name, variables expanded
        self.base_stage = base_stage  # set when FROM names an earlier stage
        self.platform = platform
        # after FROM, valid ones only
        self.instructions: list[Instruction] = [] if instructions is None else instructions
        self.references: list[Reference] = [] if references is None else references
        self.runtime = Runtime() if runtime is None else runtime  # the settings at the end of the stage
        self.env = {} if env is None else env  # name -> Variable: the ENV at the end of the stage
        # the named build context FROM names (its location: a directory, docker-image://..., ...), which BuildKit
        # uses instead of a stage or an image of that name
        self.base_context = base_context
        # The earlier stages a FROM may build on when a variable unknown at lint time names it (`FROM build-$TARGETOS`)
        self.candidates: tuple[Stage, ...] = ()

    __repr__ = fields_repr

    @property
    def label(self) -> str:
        """How messages name the stage."""
        return f'stage "{self.name}"' if self.name else f"stage {self.index}"

    @property
    def layers(self) -> list[Instruction]:
        return [n for n in self.instructions if n.keyword in LAYER_INSTRUCTIONS]

    @property
    def is_scratch(self) -> bool:
        return self.base_stage is None and self.base_context is None and self.base.lower() == "scratch"

    def find(self, *keywords: str) -> list[Instruction]:
        return [n for n in self.instructions if n.keyword in keywords]
