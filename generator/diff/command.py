"""`codegen diff OLD NEW`: what changed for a caller of the generated client, and the bump it calls for."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ..config import load_config
from ..errors import SpecError, UsageError
from .compare import compare
from .load import load_surface
from .report import json_report, text_report

EXIT_OK = 0
EXIT_BREAKING = 1
EXIT_BAD_INPUT = 2
_DESCRIPTION = (
    "Compare the clients codegen generates from two versions of a spec: operations, arguments, "
    "models, fields and enum values added, removed or changed, each marked breaking or not for a "
    "caller of the client, and the semantic version bump that calls for."
)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `diff` command to the `codegen` command line's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "diff", help="what changed for callers between two versions of a spec", description=_DESCRIPTION
    )
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", help="the earlier version of the spec")
    parser.add_argument("new", help="the later version of the spec")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for CI")
    parser.add_argument(
        "--fail-on-breaking", action="store_true", help="exit with status 1 when a change breaks callers"
    )
    # What `generate` is configured with shapes the surface (names, selection), so diff reads
    # the same configuration: the one found for NEW, applied to both versions.
    parser.add_argument("--config", metavar="FILE", help="a codegen.yaml (default: beside NEW, or [tool.codegen])")
    parser.add_argument("--package-name", metavar="NAME", help="import name of the package (default: from info.title)")
    parser.add_argument("--client-name", metavar="NAME", help="class name of the client (default: from info.title)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the report; SpecError propagates for the caller to turn into exit status 2."""
    config = load_config(args.new, args.config)
    flags = {"package_name": args.package_name, "client_name": args.client_name}
    given = {key: value for key, value in flags.items() if value is not None}
    if given:
        config = config.merged(given, "command line", flags=True)
    old, new = load_surface(args.old, config), load_surface(args.new, config)
    changes = compare(old, new)
    render = json_report if args.format == "json" else text_report
    sys.stdout.write(render(old, new, changes))
    return EXIT_BREAKING if args.fail_on_breaking and any(c.breaking for c in changes) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m generator.diff OLD NEW`: the command on its own, without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="python -m generator.diff", description=_DESCRIPTION)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except SpecError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as error:
        print(f"codegen diff: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
