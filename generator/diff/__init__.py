"""What changed in a generated client's public surface between two versions of a spec.

surface: the Api model flattened into what a caller names and which way its values travel;
compare (with operations, models, slots, types): the rules, one Change each; report: text,
JSON and the semver bump; command: `codegen diff`.
"""

from .change import Change
from .command import register
from .compare import compare
from .load import load_surface
from .report import json_report, semver, text_report
from .surface import Surface, surface

__all__ = ["Change", "Surface", "compare", "json_report", "load_surface", "register", "semver", "surface", "text_report"]
