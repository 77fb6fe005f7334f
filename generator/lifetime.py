"""Objects left for the process's exit to free.

The `codegen` command ends with os._exit (cli.run), so a big run's document and API model,
millions of objects, are not taken apart one by one at the end. Those whose last reference
goes earlier, when the function holding them returns, would still be freed then: 0.03 s of a
GitHub regeneration. A process that will end that way says so (ends_with_exit), and the run
hands such objects here (outlive) to be held until it does. Anyone else, a test or a program
calling the pipeline, keeps the usual lifetimes.
"""

from __future__ import annotations

__all__ = ["ends_with_exit", "outlive"]

_held: list[object] = []
_ending_with_exit = False


def ends_with_exit() -> None:
    """Declare that this process ends with os._exit: what `outlive` is given is kept till then."""
    global _ending_with_exit
    _ending_with_exit = True


def outlive(*objects: object) -> None:
    """Keep `objects` until the process exits, if it ends with os._exit; otherwise nothing."""
    if _ending_with_exit:
        _held.extend(objects)
