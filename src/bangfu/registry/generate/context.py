"""What flows through the generator pipeline: settings, random numbers and the generated frames."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

# Ages, school and worker status are computed on this day, not on "today", so that one seed
# gives the same people whatever day the generator runs.
AS_OF = dt.date(2024, 12, 31)

SCENARIOS: dict[str, dict[str, Any]] = {
    # Chongqing's programme: about 1.9 million poverty-alleviated people (DESIGN.md).
    "chongqing-2024": {"people": 1_900_000, "as_of": AS_OF},
}

# Apps whose ``bangfu.<app>.generate.generate_step(ctx)`` runs after the registry, in this order
# (posts right after monitoring: it relabels the employment months of the people it places; its
# pay once policies has opened the payee accounts). ``app:module`` runs ``bangfu.<app>.<module>``.
STEP_APPS = ("monitoring", "posts", "policies", "posts:generate_pay", "jobs", "arrears", "training", "insurance")

Frame = dict[str, np.ndarray]


def _say(message: str) -> None:  # default reporter: quiet
    pass


def _progress(stage: str, done: int, total: int) -> None:  # default: no progress bar
    pass


@dataclass
class GenerateContext:
    """One generator run. Steps read ``persons``/``households`` and add their own counts."""

    seed: int
    people: int
    out_dir: Path | None = None
    load: bool = False
    scenario: str = ""
    file_format: str = "csv"
    as_of: dt.date = AS_OF
    rng: np.random.Generator = field(init=False, repr=False)
    households: Frame = field(default_factory=dict, repr=False)
    persons: Frame = field(default_factory=dict, repr=False)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # Free room for steps to hand data to later steps (e.g. employers for the jobs step).
    shared: dict[str, Any] = field(default_factory=dict, repr=False)
    say: Callable[[str], None] = field(default=_say, repr=False)
    progress: Callable[[str, int, int], None] = field(default=_progress, repr=False)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        if self.out_dir is not None:
            self.out_dir = Path(self.out_dir)

    def rng_for(self, step: str) -> np.random.Generator:
        """A generator of its own for ``step``: its numbers do not depend on the other steps."""
        return np.random.default_rng([self.seed, zlib.crc32(step.encode())])

    @property
    def person_count(self) -> int:
        return len(self.persons.get("household_index", ()))

    @property
    def household_count(self) -> int:
        return len(self.households.get("number", ()))
