"""Options: from a config file, from `[tool.codegen]` in pyproject.toml, and from flags.

Where options come from, later sources winning key by key:
1. `[tool.codegen]` of the nearest pyproject.toml, in the current directory or its parents,
   that has such a table (project-wide defaults);
2. the file `--config` names, else `codegen.yaml` (or `codegen.yml`) next to the spec;
3. the command line's flags.

Keys may be spelled with `_` or `-`. Unknown keys are errors (with a suggestion for a
misspelling), and so are values of the wrong type, naming the file and the key. Paths in a
file (`output`) are relative to that file's directory.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


from .errors import UsageError

HTTP_LIBRARIES = ("httpx", "httpx2")
CONFIG_NAMES = ("codegen.yaml", "codegen.yml")
NAME_KINDS = ("groups", "methods", "models")
DEFAULT_LINE_LENGTH = 100
_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


@dataclass(frozen=True)
class NameOverrides:
    """New names for what codegen would name otherwise, keyed by that default name:
    groups by attribute (`pets`), methods by `group.method` (`pets.list`), models and enums
    by class name (`Pet`)."""

    groups: Mapping[str, str] = field(default_factory=dict)
    methods: Mapping[str, str] = field(default_factory=dict)
    models: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.groups or self.methods or self.models)


@dataclass(frozen=True)
class Config:
    """What the user asked for: the command line's options over the configuration file's."""

    package_name: str | None = None  # import name; default from info.title
    client_name: str | None = None  # client class; default from info.title
    output: Path | None = None  # default ./<package_name>
    base_url: str | None = None  # the client's default base URL; default the spec's first server
    package_version: str | None = None  # default info.version
    include_tags: tuple[str, ...] = ()  # glob patterns; empty includes every operation
    exclude_tags: tuple[str, ...] = ()
    include_operations: tuple[str, ...] = ()  # operationId or "METHOD /path" glob patterns
    exclude_operations: tuple[str, ...] = ()
    names: NameOverrides = field(default_factory=NameOverrides)
    line_length: int = DEFAULT_LINE_LENGTH
    http_library: str = "httpx"
    strict: bool = False
    sources: tuple[str, ...] = field(default=(), compare=False)  # files read, for messages

    def merged(self, values: Mapping[str, Any], source: str, base: Path | None = None, *, flags: bool = False) -> Config:
        """This config with `values` (raw, as a file or the flags give them) validated and applied."""
        checked = parse_values(values, source, base, flags=flags)
        return replace(self, **checked, sources=(*self.sources, source))

    @property
    def selects(self) -> bool:
        return bool(self.include_tags or self.exclude_tags or self.include_operations or self.exclude_operations)


def load_config(spec_path: str | Path, explicit: str | Path | None = None, cwd: str | Path | None = None) -> Config:
    """The options the config files give (flags are applied on top by the caller)."""
    config = Config()
    project = find_pyproject(Path(cwd) if cwd is not None else Path.cwd())
    if project is not None:
        config = config.merged(_pyproject_table(project), f"{project} [tool.codegen]", project.parent)
    own = Path(explicit) if explicit is not None else _beside(Path(spec_path))
    if own is not None:
        config = config.merged(read_config_file(own), str(own), own.parent)
    return config


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml in `start` or its parents with a [tool.codegen] table."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and "codegen" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def read_config_file(path: Path) -> dict[str, Any]:
    """A YAML config file, or a pyproject.toml's [tool.codegen] table."""
    if not path.is_file():
        raise UsageError(f"config file {path} does not exist")
    if path.suffix == ".toml":
        return _pyproject_table(path)
    import yaml  # type: ignore[import-untyped]  # only for a YAML config file

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"config file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"config file {path} must be a mapping of options, not {_kind(data)}")
    return data


def _beside(spec: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (spec.parent / name).is_file():
            return spec.parent / name
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only for a pyproject.toml: 4 ms of every other run

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}") from None


def _pyproject_table(path: Path) -> dict[str, Any]:
    table = _read_toml(path).get("tool", {}).get("codegen", {})
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.codegen] must be a table")
    return table


# -- validating values ----------------------------------------------------------------


def parse_values(values: Mapping[str, Any], source: str, base: Path | None, *, flags: bool = False) -> dict[str, Any]:
    """Raw option values checked and converted to the Config's types; errors name source and
    key (with `flags`, the key as the flag it came from)."""
    out: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = str(raw_key).replace("-", "_")
        parser = _PARSERS.get(key)
        if parser is None:
            raise UsageError(f"{source}: unknown key {raw_key!r}{suggest(key, _PARSERS)}")
        shown = "--" + key.replace("_", "-") if flags else key
        out[key] = parser(value, _Where(source, shown))
        if key == "output" and base is not None:
            out[key] = base / out[key]
    return out


@dataclass(frozen=True)
class _Where:
    """Where a configuration value came from, to name it in an error."""

    source: str
    key: str

    def error(self, expected: str, value: Any) -> UsageError:
        return UsageError(f"{self.source}: {self.key} must be {expected}, not {_kind(value)} ({value!r})")


def suggest(word: str, choices: Any) -> str:
    """' (did you mean ...?)' for the closest of `choices`, or ''."""
    import difflib  # here alone: only a mistake needs it

    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


def _string(value: Any, where: _Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error("a non-empty string", value)
    return value.strip()


def _identifier(value: Any, where: _Where) -> str:
    name = _string(value, where)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"{where.source}: {where.key} {name!r} is not a valid Python identifier")
    return name


def _path(value: Any, where: _Where) -> Path:
    return Path(_string(value, where))


def _url(value: Any, where: _Where) -> str:
    url = _string(value, where)
    if not re.match(r"^https?://[^/\s]+", url):
        raise UsageError(f"{where.source}: {where.key} {url!r} is not an http:// or https:// URL")
    return url


def _version(value: Any, where: _Where) -> str:
    if isinstance(value, float):  # YAML reads 1.10 as the number 1.1: only a string keeps what was meant
        raise UsageError(f"{where.source}: {where.key} must be a string: write it in quotes ({value!r} is a number)")
    version = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if version is None:
        raise where.error("a version string", value)
    if not _PEP440.match(version):
        raise UsageError(f"{where.source}: {where.key} {version!r} is not a PEP 440 version (like 1.2.0 or 2.0rc1)")
    return version


def _patterns(value: Any, where: _Where) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise where.error("a list of strings", value)
    return tuple(v.strip() for v in value)


def _line_length(value: Any, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error("an integer", value)
    if not 40 <= value <= 400:
        raise UsageError(f"{where.source}: {where.key} must be between 40 and 400, not {value}")
    return value


def _http_library(value: Any, where: _Where) -> str:
    name = _string(value, where)
    if name not in HTTP_LIBRARIES:
        raise UsageError(
            f"{where.source}: {where.key} must be one of {', '.join(HTTP_LIBRARIES)}, not {name!r}{suggest(name, HTTP_LIBRARIES)}"
        )
    return name


def _bool(value: Any, where: _Where) -> bool:
    if not isinstance(value, bool):
        raise where.error("true or false", value)
    return value


def _names(value: Any, where: _Where) -> NameOverrides:
    if isinstance(value, NameOverrides):
        return value
    if not isinstance(value, dict):
        raise where.error(f"a mapping with keys {', '.join(NAME_KINDS)}", value)
    kinds: dict[str, dict[str, str]] = {}
    for kind, mapping in value.items():
        if kind not in NAME_KINDS:
            raise UsageError(f"{where.source}: unknown key {where.key}.{kind}{suggest(str(kind), NAME_KINDS)}")
        inner = _Where(where.source, f"{where.key}.{kind}")
        if not isinstance(mapping, dict):
            raise inner.error("a mapping of old name to new name", mapping)
        kinds[kind] = {str(old): _identifier(new, _Where(where.source, f"{inner.key}.{old}")) for old, new in mapping.items()}
    return NameOverrides(**kinds)


_PARSERS: dict[str, Callable[[Any, _Where], Any]] = {
    "package_name": _identifier,
    "client_name": _identifier,
    "output": _path,
    "base_url": _url,
    "package_version": _version,
    "include_tags": _patterns,
    "exclude_tags": _patterns,
    "include_operations": _patterns,
    "exclude_operations": _patterns,
    "names": _names,
    "line_length": _line_length,
    "http_library": _http_library,
    "strict": _bool,
}
