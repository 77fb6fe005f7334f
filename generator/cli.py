"""The `codegen` command line."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence, TextIO

from . import __version__, codecache
from .cache import cache_dir
from .config import Config, load_config
from .errors import Diagnostic, SpecError, UsageError, WriteError
from .forked import Forked, stop_all
from .lifetime import ends_with_exit
from .memos import start_validation
from .progress import Progress, Report

if TYPE_CHECKING:
    from .model import Api
    from .render import FormatCache, WriteResult
    from .render.writer import NewTree
    from .stat_record import InPlace, StatRecord

# The pipeline, the model and the renderer are imported where a command needs them: a
# regeneration starts validating its spec first (see memos.start_validation).

EXIT_OK = 0
EXIT_STALE = 1  # check: the committed client differs from what generation would write
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # as a shell reports a process ended by SIGPIPE
MAX_LISTED_WARNINGS = 20
MAX_LISTED_DIFFERENCES = 20
# Commands provided by packages of their own (generator/diff: `codegen diff`), registered when present.
PLUGIN_COMMANDS = ("generator.diff.command",)
_OWN_COMMANDS = frozenset({"generate", "check", "validate"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser(_command_word(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # here, where a closed pipe is handled, rather than at exit
        return code
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
    except BrokenPipeError:
        # The reader of our output went away (`codegen generate ... | head`): the work is done,
        # and what is left to print has nowhere to go. Quiet, like other tools, and no traceback at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug of ours (render.FormatError among them): say so plainly, no traceback unless asked
        if getattr(args, "debug", False):
            import traceback  # here alone: every other run would import it for nothing

            traceback.print_exc()
        print(
            f"codegen: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in codegen, not in your spec; nothing was written. "
            "Run again with --debug for details and report it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The `codegen` command: main, then an exit that does not take the heap apart.

    A run ends holding the document and the API model, millions of objects on a big spec,
    and freeing them one by one at exit took 0.06 s of a 1.1 s regeneration. Every file the
    run wrote is closed by then, and its child processes have answered; the streams are
    flushed here, and a helper that is somehow still running is stopped, as exit would.
    """
    ends_with_exit()
    code = main()
    codecache.save()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    stop_all()
    if "multiprocessing" in sys.modules:  # black's pool ends within its run; this is a safety net
        for child in sys.modules["multiprocessing"].active_children():
            child.terminate()
    os._exit(code)


def _command_word(argv: Sequence[str]) -> str | None:
    """The command `argv` names (its first word that is not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; plugin commands are registered unless `command` names one of ours
    (registering `diff` imports the whole comparison: 17 ms of every `codegen generate`)."""
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
    _options(gen)
    gen.add_argument("--force", action="store_true", help="overwrite files in OUTDIR that codegen did not write")
    gen.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    gen.set_defaults(run=_generate)

    check = commands.add_parser(
        "check",
        help="check that a committed client is what generation would write",
        description="Exit 0 if OUTDIR holds exactly what `codegen generate` would write there, "
        "1 with a list of the files that differ otherwise. Writes nothing.",
    )
    check.add_argument("spec", help="the OpenAPI document")
    _options(check)
    check.add_argument("-q", "--quiet", action="store_true", help="print nothing when the client is current")
    check.set_defaults(run=_check)

    val = commands.add_parser(
        "validate",
        help="check a spec and report problems",
        description="Check an OpenAPI document and report each problem with its file, line and JSON pointer.",
    )
    val.add_argument("spec", help="the OpenAPI document")
    _common(val)
    val.set_defaults(run=_validate)
    if command not in _OWN_COMMANDS:
        _register_plugins(commands)
    return parser


def _register_plugins(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands that live in packages of their own, each with `register(subparsers)`."""
    for module in PLUGIN_COMMANDS:
        package = module.rpartition(".")[0]
        if importlib.util.find_spec(package) is not None and importlib.util.find_spec(module) is not None:
            importlib.import_module(module).register(commands)


def _common(parser: argparse.ArgumentParser) -> None:
    # default None: a flag that is not given leaves the config file's value alone
    parser.add_argument("--strict", action="store_true", default=None, help="treat spec validation findings as errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def _options(parser: argparse.ArgumentParser) -> None:
    """The options of generate and check: every one may also come from a config file."""
    add = parser.add_argument
    add("-o", "--output", metavar="OUTDIR", help="where the package goes (default: ./PACKAGE)")
    add("--config", metavar="FILE", help="a codegen.yaml or pyproject.toml (default: codegen.yaml beside the spec)")
    add("--package-name", metavar="NAME", help="import name of the package (default: from info.title)")
    add("--client-name", metavar="NAME", help="class name of the client (default: from info.title)")
    add("--package-version", metavar="VERSION", help="the package's version (default: info.version)")
    add("--base-url", metavar="URL", help="the client's default base URL (default: the spec's first server)")
    add("--http-library", metavar="NAME", help="httpx (default) or httpx2")
    add("--line-length", metavar="N", type=int, help="black's line length for the generated code (default: 100)")
    for flag, dest, what in (
        ("--include-tag", "include_tags", "operations with a tag matching PATTERN"),
        ("--exclude-tag", "exclude_tags", "leave out operations with a tag matching PATTERN"),
        ("--include-operation", "include_operations", "operations whose operationId or 'METHOD /path' matches"),
        ("--exclude-operation", "exclude_operations", "leave out operations whose operationId or 'METHOD /path' matches"),
    ):
        add(flag, dest=dest, action="append", metavar="PATTERN", help=f"{what} (a glob; repeatable)")
    add(
        "--no-cache",
        action="store_true",
        help="format and validate everything afresh instead of reusing earlier results ($CODEGEN_CACHE_DIR, else ~/.cache/codegen)",
    )
    _common(parser)


FLAG_OPTIONS = (
    "output", "package_name", "client_name", "package_version", "base_url", "http_library", "line_length",
    "include_tags", "exclude_tags", "include_operations", "exclude_operations", "strict",
)  # fmt: skip


def load_options(args: argparse.Namespace, cwd: Path | None = None) -> Config:
    """The config files' options, with the flags given on top (flags win)."""
    config = load_config(args.spec, args.config, cwd)
    given = {key: getattr(args, key) for key in FLAG_OPTIONS if getattr(args, key, None) is not None}
    return config.merged(given, "command line", flags=True) if given else config


def _generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = load_options(args)
    records = None if args.no_cache else cache_dir("write")
    validation = start_validation(args.spec, config, cached=not args.no_cache, first=_in_place(config, records))
    progress = Progress.on(sys.stderr, quiet=args.quiet)
    try:
        from .pipeline import generate

        if args.verbose and config.sources:
            print(f"Options from {', '.join(config.sources)}", file=sys.stderr)
        writer = _Writer(config, args.force, progress, records, validation)
        generated = generate(
            args.spec, config, cache=_cache(args), progress=progress, deliver=writer, started=validation
        )
    except BaseException:
        _cancel(validation)  # failed before generate took it over (generate cancels it otherwise)
        raise
    finally:
        progress.clear()
    outdir, result = writer.written[0]
    if not args.quiet:
        _print_diagnostics(generated.warnings, sys.stderr, verbose=args.verbose)
        print(summary(generated.api, outdir, result, time.perf_counter() - started))
        for line in domain_report(generated.api, verbose=args.verbose):
            print(line)
    return EXIT_OK


def _cancel(child: Forked[Any] | None) -> None:
    """Stop a child whose run failed: nobody will read its answer."""
    if child is not None:
        child.cancel()


def _in_place(config: Config, records: Path | None) -> Callable[[], InPlace] | None:
    """The job that finds which files of the output directory are as its stat record says
    (StatRecord.in_place), for the validation child to do first: the run then takes its
    answer instead of making thousands of stat calls itself. None without a record to check
    (or an output directory known only once the spec is read)."""
    if records is None or config.output is None:
        return None
    from .stat_record import in_place_of, record_path

    if not record_path(records, config.output).is_file():
        return None
    return partial(in_place_of, records, config.output)


class _Writer:
    """The output directory as a pipeline Delivery: a new directory is written while the
    files are rendered (render.NewTree), an existing one file by file at the end, where the
    files its stat record vouches for are left as they are, unread (see holds)."""

    def __init__(
        self,
        config: Config,
        force: bool,
        progress: Report,
        records: Path | None = None,
        checker: Forked[Any] | None = None,
    ) -> None:
        """`checker`: a child whose first job checks the stat record of the configured
        output directory (see _in_place)."""
        self._config, self._force, self._progress = config, force, progress
        self._records = records  # where the output directories' StatRecords are kept
        self._checker = checker
        self._outdir_now = Path()  # the output directory, from `begin` on
        self._prefix = ""  # its path and a separator: holds is asked thousands of times a run
        self._record: StatRecord | None = None  # its stat record, from `begin` on
        self._held: dict[str, str] = {}  # files found in place, and their digests (see holds)
        self._held_texts: list[tuple[set[str], Callable[[str], str]]] = []  # what gives their texts
        self._tree: NewTree | None = None
        self.written: list[tuple[Path, WriteResult]] = []

    def _outdir(self, api: Api) -> Path:
        return self._config.output or Path(api.package)

    def begin(self, api: Api) -> Callable[[str, str], None] | None:
        from .render.writer import NewTree, is_new
        from .stat_record import StatRecord

        self._outdir_now = self._outdir(api)
        self._prefix = os.path.join(self._outdir_now, "")
        self._record = StatRecord.in_directory(self._records, self._outdir_now)
        if self._checker is not None and self._outdir_now == self._config.output:
            self._record.take(self._checker.first())
        if not is_new(self._outdir_now):
            return None
        self._tree = NewTree(self._outdir_now, force=self._force, record=self._record)
        return self._tree.add

    def holds(self, files: list[tuple[str, str]], text: Callable[[str], str]) -> set[str]:
        """Those of the files (path, digest) in place with that content, as the stat record
        says (a new directory holds nothing yet); they are then written no more than read."""
        if self._tree is not None or self._record is None:
            return set()
        found = self._record.holds(files, self._prefix)
        self._held.update(files if len(found) == len(files) else [file for file in files if file[0] in found])
        self._held_texts.append((found, text))
        return found

    def _held_text(self, path: str) -> str:
        return next(text for found, text in self._held_texts if path in found)(path)

    def finish(self, api: Api, files: dict[str, str]) -> None:
        from .render.writer import write_tree

        outdir = self._outdir(api)
        self._progress(f"writing {outdir}")
        if self._tree is not None:
            result = self._tree.commit()  # the tree holds every file; `files` is empty
            self._tree = None
        else:
            result = write_tree(
                outdir, files, force=self._force, record=self._record, held=self._held, held_text=self._held_text
            )
        self.written.append((outdir, result))

    def discard(self) -> None:
        if self._tree is not None:
            self._tree.discard()
            self._tree = None


def summary(api: Api, outdir: Path, result: WriteResult, seconds: float) -> str:
    """The one line that says what generate did."""
    operations = sum(len(g.summary.methods) for g in api.groups)
    return (
        f"Generated {api.package} ({api.client_class}) in {outdir}: {operations} operations, "
        f"{len(api.models)} models, {len(api.enums)} enums; files {len(result.written)} written, "
        f"{len(result.unchanged)} unchanged, {len(result.removed)} removed; {seconds:.1f}s"
    )


def _check(args: argparse.Namespace) -> int:
    config = load_options(args)
    validation = start_validation(args.spec, config, cached=not args.no_cache)
    try:
        from .pipeline import generate
        from .render import compare_tree

        generated = generate(args.spec, config, cache=_cache(args), started=validation)
    except BaseException:
        _cancel(validation)
        raise
    outdir = config.output or Path(generated.api.package)
    differences = compare_tree(outdir, generated.files)
    if not differences:
        if not args.quiet:
            print(f"{outdir} is current with {args.spec}")
        return EXIT_OK
    print(f"{outdir} is not what codegen would generate from {args.spec} ({len(differences)} files differ):")
    for difference in differences[:MAX_LISTED_DIFFERENCES]:
        print(f"  {difference.kind:<8} {difference.path}")
    if len(differences) > MAX_LISTED_DIFFERENCES:
        print(f"  ... and {len(differences) - MAX_LISTED_DIFFERENCES} more")
    print(f"Run `codegen generate {args.spec} -o {outdir}` (with the same options) to update it.")
    return EXIT_STALE


def _cache(args: argparse.Namespace) -> FormatCache | None:
    from .render import FormatCache

    return None if args.no_cache else FormatCache.default()


def domain_report(api: Api, *, verbose: bool = False) -> list[str]:
    """What the generator took the API's domain knowledge to be, for the user to check: which
    operations page and how (with --verbose, why), and which credentials the client takes."""
    lines: list[str] = []
    paginated = [(f"{g.name}.{method}", *paging) for g in api.groups for method, *paging in g.summary.paginated]
    if paginated:
        lines.append(f"Paginated operations ({len(paginated)}):")
        width = min(max(len(name) for name, *_ in paginated), 48)
        for name, how, source, reason in paginated:
            declared = "" if source == "inferred" else f" [{source}]"
            lines.append(f"  {name:<{width}}  {how}{declared}")
            if verbose:
                lines.append(f"  {'':<{width}}  because: {reason}")
    else:
        lines.append("Paginated operations: none")
    if api.security_schemes:
        configured = [f"{c.argument} (${c.env})" for s in api.security_schemes for c in s.credentials]
        count = len(api.security_schemes)
        lines.append(f"Credentials ({count} security scheme{'s' if count != 1 else ''}): " + (", ".join(configured) or "none to give"))
    return lines


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import check_spec

    _, findings = check_spec(args.spec, strict=bool(args.strict))
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
    run()
