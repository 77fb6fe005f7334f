"""Strict validation with openapi-spec-validator, reported as located warnings.

Real specs often fail strict validation (a default of the wrong type, `type: file` in 2.0)
and still describe a usable API, so every finding is a warning; the builder decides what is
fatal. The library has two kinds of findings:

- JSON Schema errors from checking the whole document against the OpenAPI meta-schema:
  their `absolute_path` is a path from the document root.
- Errors from its keyword validators (defaults that do not match their schema, invalid
  schemas, duplicate operationIds, unresolved path parameters). These carry no location at
  all (or one relative to the value checked), so we subclass each keyword validator to stamp
  the location of the node it was looking at onto the errors it yields.

Keyword validators follow $refs, so their locations are canonicalised: a $ref on the way is
followed, and the pointer names the place the bad value is actually written.

Both meta-schema checks (the document's, and each schema's against its JSON Schema dialect)
ask a compiled validator first and only run jsonschema when it finds a problem (prefilter.py):
the findings are jsonschema's, the time mostly is not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial
from importlib.resources import files
from typing import Any

from .library_settings import install

install()  # before the libraries below import their settings: see library_settings

from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from jsonschema.validators import validator_for  # type: ignore[import-untyped]
from jsonschema_path.paths import SchemaPath
from openapi_spec_validator import (
    OpenAPIV2SpecValidator,
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)
from openapi_spec_validator.schemas.utils import get_schema_content
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from openapi_spec_validator.validation.keywords import (
    KeywordValidator,
    OpenAPIV32PathValidator,
    PathValidator,
    SchemaValidator,
    ValueValidator,
)
from openapi_spec_validator.validation.registries import KeywordValidatorRegistry
from openapi_spec_validator.validation.validators import SpecValidator

from ..errors import Diagnostic, SpecError, escape_pointer_token, join_pointer
from .checking import located
from .lazy_entries import load_all
from .loader import Document
from .prefilter import Prefiltered, compiled_is_valid
from .refs import PointerError, deref, ref_pointer, resolve_pointer
from .unit_verdicts import KeptChecks, OperationIds, judges_units_alone, with_units_only
from .units import UnitDigest, closure_digests, unit_containers, units

__all__ = ["Finding", "findings", "findings_by_unit", "validate"]

MAX_MESSAGE = 200
_PARTS = "_codegen_parts"  # attribute stamped on errors: path of the node being validated
_IS_DEFAULT = "_codegen_default"  # ... and whether the value checked was that node's `default`


def validate(doc: Document) -> list[Diagnostic]:
    """Strict validation findings as warnings, deduplicated, ordered by pointer then message."""
    return located(doc, findings(doc))


def findings(doc: Document) -> list[tuple[str, str]]:
    """(pointer, message) for each finding, sorted: plain data, cheap to cache or send."""
    return findings_by_unit(doc)[0]


Finding = tuple[str, str]


def findings_by_unit(
    doc: Document,
    known: Mapping[str, list[Finding]] | None = None,
    salt: str = "",
    unit_keys: UnitKeys | None = None,
    kept: KeptChecks | None = None,
) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """All findings, sorted, and each validated unit's findings under its key (units.py).

    Each path item and each named schema is validated on its own, where it is written: a
    $ref to a named schema is not followed into it, since that schema is a unit of its own.
    So their findings are kept per unit, keyed by the digests of the unit and of every unit
    its $refs reach, salted with `salt`, and `known` answers for the units whose key it has.
    What spans the whole document (the meta-schema check, tags, operationId uniqueness) is
    checked on every run, from what `kept` holds of the units that are as they were. Without
    `known` (no cache to fill), units are not keyed at all.
    `unit_keys` gives the units' keys from the root and the digests the loader read
    (closure digests of units.units, by default; or a memo of them). `kept`, what earlier
    checks found of units that are as they were, spares checking them again: the units the
    meta-schema found valid, the path items' operationIds (unit_verdicts.py).
    """
    validator = _validator_for(doc.version)(doc.root)
    schemas = _schema_container(doc)
    registry = partial(_UnitRegistry, validator.keyword_validators, doc.root, _unit_pointers(doc.root, schemas))
    found = _meta_schema_findings(doc, validator, kept)
    found.update(_document_findings(doc, validator, registry(), kept))
    keys = (unit_keys or partial(_closure_keys, salt))(doc.root, doc.unit_digests) if known is not None else {}
    by_key: dict[str, list[Finding]] = {}
    for pointer, check in _unit_checks(doc.root, validator.schema_path, schemas, registry):
        if known is None:
            found.update(_collect(doc.root, check))
            continue
        key = keys[pointer]
        by_key[key] = known[key] if key in known else sorted(_collect(doc.root, check))
        found.update(by_key[key])
    return sorted(found), by_key


# The units' keys from the document's root and the units' digests the loader read.
UnitKeys = Callable[[Any, "dict[str, UnitDigest] | None"], dict[str, str]]


def _closure_keys(salt: str, root: Any, read: dict[str, UnitDigest] | None) -> dict[str, str]:
    return closure_digests(units(root, read), salt)


def _schema_container(doc: Document) -> tuple[str, ...]:
    """Where the named schemas are: Swagger's definitions, OpenAPI's components."""
    return ("definitions",) if doc.version.startswith("2") else ("components", "schemas")


def _unit_pointers(root: Any, container: tuple[str, ...]) -> frozenset[str]:
    return frozenset(join_pointer("", *container, name) for name in _at(root, container) or ())


def _at(root: Any, keys: tuple[str, ...]) -> dict[str, Any] | None:
    node = root
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def _meta_schema_findings(doc: Document, validator: SpecValidator, kept: KeptChecks | None) -> set[Finding]:
    """The findings of the document's check against the OpenAPI meta-schema: none when the
    units not found valid before and the remainder pass the compiled check (unit_verdicts.py),
    else those of the whole document's check."""
    checker, read = validator.schema_validator, doc.unit_digests
    assert isinstance(checker, Prefiltered)
    if kept is not None and read is not None and _unjudged_pass(doc.root, checker, kept, read):
        kept.all_valid(read)
        return set()
    load_all(doc.root)  # the compiled check reads the document's dicts from C
    found = _collect(doc.root, lambda: checker.iter_errors(validator.schema))
    if kept is not None and read is not None and not found:
        kept.all_valid(read)
    return found


def _unjudged_pass(root: Any, checker: Prefiltered, kept: KeptChecks, read: dict[str, UnitDigest]) -> bool:
    """Whether the remainder and the units not found valid before pass the compiled check,
    where the meta-schema judges each unit alone."""
    if not all(judges_units_alone(checker.schema, keys) for keys, _ in unit_containers(root)):
        return False
    return checker.passes(with_units_only(root, kept.unjudged(read)))


def _document_findings(
    doc: Document, validator: SpecValidator, registry: KeywordValidatorRegistry, kept: KeptChecks | None
) -> Iterator[Finding]:
    """What spans the document besides the meta-schema: tags, operationIds."""
    root = doc.root
    if "tags" in root and "tags" in validator.keyword_validators:
        tags: Any = registry["tags"]
        yield from _collect(root, lambda: tags(validator.schema_path / "tags"))
    path_validator = registry["path"]
    assert isinstance(path_validator, PathValidator)
    additional = isinstance(path_validator, OpenAPIV32PathValidator)
    ids = partial(_operation_ids, root, path_validator.OPERATIONS, additional, doc.unit_digests or {}, kept)
    yield from _duplicate_operation_ids(root, ids)


def _unit_checks(
    root: Any, spec: SchemaPath, schemas: tuple[str, ...], registry: Callable[[], KeywordValidatorRegistry]
) -> Iterator[tuple[str, Callable[[], Iterator[Any]]]]:
    """The library's root validator as one check per path item and per named schema, each
    with keyword validators of its own (their dedupe lists are then per unit), made when the
    check runs: most units are answered from the cache."""
    if _at(root, ("paths",)) is not None:
        paths = spec / "paths"
        for url in paths.keys():  # noqa: SIM118 - a SchemaPath: iterating it is not its keys
            yield join_pointer("", "paths", url), partial(_check_path, registry, str(url), paths, url)
    if _at(root, schemas) is not None:
        container = spec
        for key in schemas:
            container = container / key
        for name in container.keys():  # noqa: SIM118 - as above
            yield join_pointer("", *schemas, name), partial(_check_schema, registry, container, name)


def _child(path: SchemaPath, key: Any) -> SchemaPath:
    """The path one key below `path`, as its `items()` makes it: `/` would split a key at
    the separator, which path items' URLs hold."""
    return path._make_child_relpath(key)


class _UnitRegistry(KeywordValidatorRegistry):  # type: ignore[misc]
    """The keyword validators of one unit, which know the named schemas: a schema that is a
    $ref to one of those is validated as its own unit, not again wherever it is used."""

    def __init__(self, keyword_validators: Any, root: Any, named: frozenset[str]) -> None:
        super().__init__(keyword_validators)
        self.root = root
        self.named = named

    def is_named_elsewhere(self, parts: tuple[Any, ...]) -> bool:
        node = _written(self.root, parts)
        ref = node.get("$ref") if isinstance(node, dict) else None
        return isinstance(ref, str) and ref_pointer(ref) in self.named


def _written(root: Any, parts: tuple[Any, ...]) -> Any:
    """The node as written at a path the validator walked (through $refs on the way)."""
    node = root
    for part in parts:
        if not (isinstance(node, dict) and part in node):
            node = _followed(root, node)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _check_path(registry: Callable[[], KeywordValidatorRegistry], url: str, paths: SchemaPath, key: Any) -> Iterator[Any]:
    check: Any = registry()["path"]
    return check(url, _child(paths, key))


def _check_schema(registry: Callable[[], KeywordValidatorRegistry], container: SchemaPath, key: Any) -> Iterator[Any]:
    check: Any = registry()["schema"]
    return check(_child(container, key))


def _collect(root: Any, errors: Callable[[], Iterator[ValidationError]]) -> set[Finding]:
    found: set[Finding] = set()
    try:
        for error in errors():
            error = _most_specific(error)
            found.add((_pointer(root, error), _message(error)))
    except Exception as exc:  # noqa: BLE001 - a library crash must not become our crash
        # Very broken input (a $ref to nowhere, a cycle) can make the library raise instead
        # of reporting. What it found before that is still worth showing.
        cause, parts = (exc.cause, exc.parts) if isinstance(exc, _Crash) else (exc, None)
        at = _canonical(root, [str(p) for p in parts]) if parts is not None else ""
        found.add((at, f"strict validation stopped early: {_crash_detail(cause)}"))
    return found


def _duplicate_operation_ids(root: Any, ids: Callable[[Any, str], OperationIds]) -> Iterator[Finding]:
    """The library's operationId uniqueness check, which spans path items: the second and
    later uses of an operationId, in document order, with its wording. `ids` gives those of
    a path item (in the paths, at its URL)."""
    # The library keeps a list (an operationId need not be hashable); searching it made this
    # check quadratic (GitHub's 1,200 operations: 6 ms). JSON's hashable values compare
    # alike in a set, so only the others go to a list.
    seen: set[Any] = set()
    unhashable: list[Any] = []
    paths = root.get("paths")
    for url in paths if isinstance(paths, dict) else ():
        for tokens, operation_id in ids(paths, url):
            hashable = not isinstance(operation_id, (dict, list))
            if operation_id is not None and (operation_id in seen if hashable else operation_id in unhashable):
                message = f"Operation ID '{operation_id}' for '{tokens[-1]}' in '{url}' is not unique"
                yield _canonical(root, tokens), _shorten(message)
            if hashable:
                seen.add(operation_id)
            else:
                unhashable.append(operation_id)


def _operation_ids(
    root: Any, methods: list[str], additional: bool, read: dict[str, UnitDigest], kept: KeptChecks | None, paths: Any, url: str
) -> OperationIds:
    """The operationIds of the path item at `url`, each with where it is: from `kept` while
    the path item's digest is as it was, else read (and kept, when the path item holds its
    operations itself: one reached through a $ref may change with another unit)."""
    pointer = join_pointer("", "paths", url)
    digest = read[pointer][0] if pointer in read else None
    found = kept.operation_ids_of(pointer, digest) if kept is not None and digest is not None else None
    if found is not None:
        return found
    item = paths[url]
    found = [
        (tokens, operation["operationId"])
        for tokens, operation in _operations(root, url, item, methods, additional)
        if isinstance(operation, dict) and "operationId" in operation
    ]
    if kept is not None and digest is not None and _holds_its_operations(item, methods):
        kept.keep_operation_ids(pointer, digest, found)
    return found


def _holds_its_operations(item: Any, methods: list[str]) -> bool:
    """Whether a path item holds its operations itself, not through a $ref."""
    if not isinstance(item, dict) or "$ref" in item or "additionalOperations" in item:
        return False
    return not any(isinstance(item.get(method), dict) and "$ref" in item[method] for method in methods)


def _operations(
    root: Any, url: str, item: Any, methods: list[str], additional: bool
) -> Iterator[tuple[list[str], Any]]:
    item = _followed(root, item)
    for name, operation in item.items() if isinstance(item, dict) else ():
        if name in methods:
            yield ["paths", url, name], _followed(root, operation)
        elif name == "additionalOperations" and additional:  # OpenAPI 3.2's
            extras = _followed(root, operation)
            for extra, value in extras.items() if isinstance(extras, dict) else ():
                yield ["paths", url, name, extra], _followed(root, value)


def _followed(root: Any, node: Any) -> Any:
    """The node a chain of $refs ends at; None where it ends nowhere (the library reports that)."""
    if not (isinstance(node, dict) and "$ref" in node):
        return node
    try:
        return deref(root, node, "")[0]
    except SpecError:
        return None


class _Crash(Exception):
    """An exception from inside the library, with the node it was validating when it came."""

    def __init__(self, cause: Exception, parts: tuple[Any, ...] | None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.parts = parts


def _crash_detail(exc: Exception) -> str:
    ref = getattr(exc, "ref", None)  # referencing.exceptions.Unresolvable and its kin
    if isinstance(ref, str):
        return f"cannot resolve $ref {'#' + ref if ref.startswith('/') else ref!r}"
    text = str(exc).strip()
    return _shorten(text.splitlines()[0] if text else type(exc).__name__)


# --- choosing and instrumenting the library's validator ---------------------------------------


class _NoRetrieval(Mapping[str, Any]):
    """Resolver handlers that refuse every URI scheme.

    The loader bundled every external file, so anything left to retrieve is a ref in example
    data or a mistake; the library would otherwise fetch it over the network or disk.
    """

    def __getitem__(self, scheme: str) -> Any:
        return _refuse

    def __contains__(self, scheme: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _refuse(uri: str) -> Any:
    raise ValueError(f"$ref {uri!r} is outside the document and is not fetched")


_META_SCHEMA_VERSIONS: dict[type[SpecValidator], str] = {
    OpenAPIV2SpecValidator: "2.0",
    OpenAPIV30SpecValidator: "3.0",
    OpenAPIV31SpecValidator: "3.1",
    OpenAPIV32SpecValidator: "3.2",
}


def _validator_for(version: str) -> type[SpecValidator]:
    if version.startswith("2"):
        return _instrumented(OpenAPIV2SpecValidator)
    if version.startswith("3.0"):
        return _instrumented(OpenAPIV30SpecValidator)
    if version.startswith("3.1"):
        return _instrumented(OpenAPIV31SpecValidator)
    return _instrumented(OpenAPIV32SpecValidator)


@cache
def _instrumented(base: type[SpecValidator]) -> type[SpecValidator]:
    keyword_validators = {name: _locating(cls) for name, cls in base.keyword_validators.items()}
    attrs = {
        "keyword_validators": keyword_validators,
        "resolver_handlers": _NoRetrieval(),
        "schema_validator": _document_checker(_META_SCHEMA_VERSIONS[base]),
    }
    return type(f"Located{base.__name__}", (base,), attrs)


def _document_checker(version: str) -> Prefiltered:
    """The library's whole-document check (jsonschema, formats not asserted), prefiltered."""
    meta_schema = _meta_schema(version)
    python_validator = validator_for(meta_schema)(meta_schema)
    return Prefiltered(python_validator, compiled_is_valid(meta_schema, None))


def _meta_schema(version: str) -> Any:
    """The library's OpenAPI meta-schema: the JSON file get_schema_content reads, read as JSON.

    The library reads it with a pure-Python YAML parser, a twentieth of a second of every
    validation (more than checking GitHub's document against it takes).
    """
    try:
        text = (files("openapi_spec_validator") / f"resources/schemas/v{version}/schema.json").read_text("utf-8")
        return json.loads(text)
    except (OSError, ValueError):  # moved or changed in another version of the library: ask it
        return get_schema_content(version)


_LOCATING: dict[type[KeywordValidator], type[KeywordValidator]] = {}


def _locating(base: type[KeywordValidator]) -> type[KeywordValidator]:
    """A subclass of a keyword validator that stamps its errors with where it was looking."""
    if base in _LOCATING:
        return _LOCATING[base]
    checks_default = issubclass(base, ValueValidator)  # it is always handed the owner of `default`
    is_schema = issubclass(base, SchemaValidator)

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        # The first SchemaPath argument is the node under validation (the others are names,
        # or, for operations, the path item's shared parameters).
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        if is_schema and where is not None and _named_elsewhere(self.registry, where):
            return
        try:
            yield from _stamped(base.__call__(self, *args, **kwargs), where, checks_default)
        except _Crash:
            raise
        except Exception as exc:
            # A crash deep inside: remember the innermost node, to say where it happened.
            raise _Crash(exc, tuple(where.parts) if where is not None else None) from exc

    attrs: dict[str, Any] = {"__call__": __call__}
    if issubclass(base, SchemaValidator):
        attrs["__init__"] = _with_id_sets(base)
        attrs["_get_schema_checker"] = _prefiltered_schema_checker(base)
    subclass = type(f"Located{base.__name__}", (base,), attrs)
    _LOCATING[base] = subclass
    return subclass


def _named_elsewhere(registry: Any, where: SchemaPath) -> bool:
    check = getattr(registry, "is_named_elsewhere", None)  # only a _UnitRegistry knows
    return check is not None and bool(check(where.parts))


class _IdList(list):  # type: ignore[type-arg]
    """The library's dedupe lists, with set-speed membership.

    SchemaValidator remembers every schema it has visited in plain lists and asks `id in list`
    for each schema it meets: quadratic, about 10 s on GitHub's spec. Appends and membership
    are the only operations it uses.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _with_id_sets(base: type[KeywordValidator]) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        self.visited_schema_ids = _IdList()
        self.meta_checked_schema_ids = _IdList()

    return __init__


def _prefiltered_schema_checker(base: type[KeywordValidator]) -> Any:
    """The library's check of each schema against its dialect, behind the compiled verdict."""

    def _get_schema_checker(self: Any, schema: SchemaPath, schema_value: Any) -> Callable[[Any], None]:
        check = base._get_schema_checker(self, schema, schema_value)  # type: ignore[attr-defined]
        is_valid = _schema_check_verdict(check)
        if is_valid is None:
            return check  # type: ignore[no-any-return]
        return partial(_check_unless_valid, is_valid, check)

    return _get_schema_checker


def _check_unless_valid(is_valid: Callable[[Any], bool], check: Callable[[Any], None], value: Any) -> None:
    if not is_valid(value):
        check(value)


_DEFAULT: Any = object()  # check_schema's own default format checker
_VERDICTS: dict[tuple[type, int], Callable[[Any], bool] | None] = {}


def _schema_check_verdict(check: Any) -> Callable[[Any], bool] | None:
    """A compiled verdict for `Validator.check_schema`, bound or partially applied.

    check_schema validates against the class's META_SCHEMA with the given format checker,
    or by default with the meta-schema's own validator's FORMAT_CHECKER.
    """
    func, format_checker = check, _DEFAULT
    if isinstance(check, partial):
        func, format_checker = check.func, check.keywords.get("format_checker", _DEFAULT)
    validator_class = getattr(func, "__self__", None)
    if not isinstance(validator_class, type) or not hasattr(validator_class, "META_SCHEMA"):
        return None
    meta_schema = validator_class.META_SCHEMA
    if format_checker is _DEFAULT:
        format_checker = validator_for(meta_schema, default=validator_class).FORMAT_CHECKER
    key = (validator_class, id(format_checker))
    if key not in _VERDICTS:
        _VERDICTS[key] = compiled_is_valid(meta_schema, format_checker)
    return _VERDICTS[key]


def _stamped(
    errors: Iterator[ValidationError], where: SchemaPath | None, checks_default: bool
) -> Iterator[ValidationError]:
    for error in errors:
        if not isinstance(error, OpenAPIValidationError):
            # The library converts other errors to its own class on the way out, which
            # would drop our stamp; convert here so the stamped object is the one we get.
            error = OpenAPIValidationError.create_from(error)
        # Validators call each other; the innermost one knows the most precise place.
        if where is not None and not hasattr(error, _PARTS):
            setattr(error, _PARTS, tuple(where.parts))
            setattr(error, _IS_DEFAULT, checks_default)
        yield error


# --- turning an error into (pointer, message) --------------------------------------------------


def _most_specific(error: ValidationError) -> ValidationError:
    """For "not valid under any of the given schemas", the branch error that explains it.

    The OpenAPI meta-schema says "a Reference or a Schema" (or a Response, ...) everywhere, so
    a bad schema fails both branches; the Reference branch's "'$ref' is a required property"
    is never the interesting one. Of the rest, the deepest error names the actual mistake.
    """
    while error.validator in ("oneOf", "anyOf") and error.context:
        options = [e for e in error.context if not (e.validator == "required" and "'$ref'" in e.message)]
        if not options:
            break
        best = max(options, key=lambda e: (len(e.absolute_path), e.validator not in ("oneOf", "anyOf")))
        for stamp in (_PARTS, _IS_DEFAULT):  # the branch error is relative to the same node
            if hasattr(error, stamp):
                setattr(best, stamp, getattr(error, stamp))
        error = best
    return error


def _pointer(root: Any, error: ValidationError) -> str:
    relative = [str(p) for p in error.absolute_path]
    parts = getattr(error, _PARTS, None)
    if parts is None:  # a meta-schema error: its path is already from the root, refs unfollowed
        return "".join("/" + escape_pointer_token(p) for p in relative)
    tokens = [str(p) for p in parts]
    if getattr(error, _IS_DEFAULT, False):
        tokens.append("default")
    return _canonical(root, tokens + relative)


def _canonical(root: Any, tokens: list[str]) -> str:
    """The pointer for a path the validator walked, following $refs as it did."""
    pointer = ""
    node = root
    steps: list[str | None] = [*tokens, None]  # None: the end, after the last token
    for index, token in enumerate(steps):
        # Step through a $ref when the key is not written beside it (and at the end, since
        # the validator judged the target, not the reference).
        hops = 0
        while (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and (token is None or token not in node)
        ):
            target = ref_pointer(node["$ref"])
            hops += 1
            if target is None or hops > 50:
                break
            try:
                node = resolve_pointer(root, target)
            except PointerError:
                break
            pointer = target
        if token is None:
            break
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:  # somewhere we cannot follow: keep the rest of the path as the validator gave it
            return pointer + "".join("/" + escape_pointer_token(t) for t in tokens[index:])
        pointer += "/" + escape_pointer_token(token)
    return pointer


def _message(error: ValidationError) -> str:
    message = error.message
    # Messages open with the offending value; for a schema-sized value that is a wall of text.
    shown = repr(error.instance)
    if len(shown) > 60 and message.startswith(shown):
        message = _summary(error.instance) + message[len(shown) :]
    if getattr(error, _IS_DEFAULT, False):
        message = f"invalid default value: {message}"
    return _shorten(message)


def _summary(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:3])
        return f"{{{keys}{', ...' if len(value) > 3 else ''}}}"
    if isinstance(value, list):
        return f"[... {len(value)} items]"
    return repr(value)[:57] + "..."


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."
