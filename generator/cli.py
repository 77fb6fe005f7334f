"""The `codegen` command line."""

from __future__ import annotations

import argparse
import keyword
import sys
import time
import traceback
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__
from .errors import Diagnostic, SpecError, UsageError
from .model import Api
from .render import FormatError, WriteError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
MAX_LISTED_WARNINGS = 20


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, sys.stderr, verbose=True)
        print("codegen: the spec has errors; nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (UsageError, WriteError) as exc:
        print(f"codegen: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("codegen: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except (FormatError, Exception) as exc:  # a bug of ours: say so plainly, no traceback unless asked
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(
            f"codegen: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in codegen, not in your spec; nothing was written. "
            "Run again with --debug for details and report it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codegen",
        description="Generate a typed Python client package from an OpenAPI document.",
    )
    parser.add_argument("--version", action="version", version=f"codegen {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    gen = commands.add_parser(
        "generate",
        help="generate a client package from a spec",
        description="Generate a client package from an OpenAPI 3.x or Swagger 2.0 document (YAML or JSON).",
    )
    gen.add_argument("spec", help="the OpenAPI document")
    gen.add_argument("-o", "--output", metavar="OUTDIR", help="where to write the package (default: ./PACKAGE)")
    gen.add_argument("--package-name", metavar="NAME", help="import name of the package (default: from info.title)")
    gen.add_argument("--client-name", metavar="NAME", help="class name of the client (default: from info.title)")
    _common(gen)
    gen.add_argument("--force", action="store_true", help="overwrite files in OUTDIR that codegen did not write")
    gen.add_argument(
        "--no-cache",
        action="store_true",
        help="format everything afresh instead of reusing earlier results ($CODEGEN_CACHE_DIR, else ~/.cache/codegen)",
    )
    gen.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    gen.set_defaults(run=_generate)

    val = commands.add_parser(
        "validate",
        help="check a spec and report problems",
        description="Check an OpenAPI document and report each problem with its file, line and JSON pointer.",
    )
    val.add_argument("spec", help="the OpenAPI document")
    _common(val)
    val.set_defaults(run=_validate)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat spec validation findings as errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def _generate(args: argparse.Namespace) -> int:
    from .pipeline import generate, generate_into

    for option, value in (("--package-name", args.package_name), ("--client-name", args.client_name)):
        if value is not None and (not value.isidentifier() or keyword.iskeyword(value)):
            raise UsageError(f"{option} {value!r} is not a valid Python identifier")
    started = time.perf_counter()
    from .render import FormatCache

    cache = None if args.no_cache else FormatCache.default()
    generated = generate(
        args.spec, package=args.package_name, client_class=args.client_name, strict=args.strict, cache=cache
    )
    if not args.quiet:
        _print_diagnostics(generated.warnings, sys.stderr, verbose=args.verbose)
    outdir = Path(args.output) if args.output else Path(generated.api.package)
    result = generate_into(outdir, generated, force=args.force)
    if not args.quiet:
        api = generated.api
        operations = sum(len(g.operations) for g in api.groups)
        print(
            f"Generated {api.package} ({api.client_class}) in {outdir}: {operations} operations, "
            f"{len(api.models)} models, {len(api.enums)} enums; files {len(result.written)} written, "
            f"{len(result.unchanged)} unchanged, {len(result.removed)} removed; "
            f"{time.perf_counter() - started:.1f}s",
        )
        for line in domain_report(api, verbose=args.verbose):
            print(line)
    return EXIT_OK


def domain_report(api: Api, *, verbose: bool = False) -> list[str]:
    """What the generator took the API's domain knowledge to be, for the user to check: which
    operations page and how (with --verbose, why), and which credentials the client takes."""
    lines: list[str] = []
    paginated = [(g, op) for g in api.groups for op in g.operations if op.pagination is not None]
    if paginated:
        lines.append(f"Paginated operations ({len(paginated)}):")
        names = [f"{g.name}.{op.name}" for g, op in paginated]
        width = min(max(len(n) for n in names), 48)
        for name, (_, op) in zip(names, paginated):
            assert op.pagination is not None
            declared = "" if op.pagination.source == "inferred" else f" [{op.pagination.source}]"
            lines.append(f"  {name:<{width}}  {op.pagination.summary()}{declared}")
            if verbose:
                lines.append(f"  {'':<{width}}  because: {op.pagination.reason}")
    else:
        lines.append("Paginated operations: none")
    if api.security_schemes:
        configured = [f"{c.argument} (${c.env})" for s in api.security_schemes for c in s.credentials]
        count = len(api.security_schemes)
        lines.append(f"Credentials ({count} security scheme{'s' if count != 1 else ''}): " + (", ".join(configured) or "none to give"))
    return lines


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import check_spec

    _, findings = check_spec(args.spec, strict=args.strict)
    _print_diagnostics(findings, sys.stdout, verbose=True)
    if findings:
        print(f"{args.spec}: {len(findings)} warnings (use --strict to make them errors)")
    else:
        print(f"{args.spec}: valid")
    return EXIT_OK


def _print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO, *, verbose: bool) -> None:
    shown = diagnostics if verbose else diagnostics[:MAX_LISTED_WARNINGS]
    for diagnostic in shown:
        print(diagnostic.format(), file=stream)
    hidden = len(diagnostics) - len(shown)
    if hidden:
        print(f"... and {hidden} more warnings (use --verbose to list them all)", file=stream)


if __name__ == "__main__":
    sys.exit(main())
