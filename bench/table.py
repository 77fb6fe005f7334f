"""Result rows: the ratio of codegen's figure to its reference, the verdict, the table.

Pure standard library, so the unit tests can check it without the benchmark environment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Row:
    """One figure of codegen against its reference; PASS when ours / ref <= target."""

    name: str
    unit: str  # "s", "ms", "us" or "MB"
    ours: float | None  # None: codegen did not produce a figure
    ref: float | None
    ref_name: str
    target: float | None  # None: reported for information only
    ours_failed: bool = False
    ref_failed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.ref:
            return None
        return self.ours / self.ref

    @property
    def verdict(self) -> str:
        if self.ours is None or self.ours_failed:
            return "FAIL"
        if self.target is None:
            return "info"
        ratio = self.ratio
        if ratio is None:
            return "n/a"
        return "PASS" if ratio <= self.target else "FAIL"

    def to_json(self) -> dict:
        data = asdict(self)
        data.update(ratio=self.ratio, verdict=self.verdict)
        return data


def format_value(value: float | None, unit: str, failed: bool = False) -> str:
    if value is None:
        return "-"
    digits = 0 if unit == "MB" or value >= 100 else 1 if value >= 10 else 2
    text = f"{value:.{digits}f} {unit}"
    return f"{text} (failed)" if failed else text


def format_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def format_target(target: float | None) -> str:
    return "-" if target is None else f"<= {target:.2f}x"


HEADER = ("benchmark", "codegen", "reference", "ref value", "ratio", "target", "result")


def cells(row: Row) -> tuple[str, ...]:
    return (
        row.name,
        format_value(row.ours, row.unit, row.ours_failed),
        row.ref_name,
        format_value(row.ref, row.unit, row.ref_failed),
        format_ratio(row.ratio),
        format_target(row.target),
        row.verdict,
    )


def render(rows: list[Row], markdown: bool = False) -> str:
    table = [HEADER] + [cells(row) for row in rows]
    if markdown:
        lines = ["| " + " | ".join(line) + " |" for line in table]
        lines.insert(1, "|" + "|".join(" --- " for _ in HEADER) + "|")
        return "\n".join(lines)
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in table]
    text.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {row.name}: {note}" for row in rows for note in row.notes]
    return "\n".join(text + (["", "notes:"] + notes if notes else []))
