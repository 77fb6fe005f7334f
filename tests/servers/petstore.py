"""A strict, in-memory implementation of specs/petstore.yaml.

The server reads the spec itself: its routes (base path from `servers[0].url`, "/v1"), the
parameters each operation accepts and the schemas its bodies must match all come from the
document, so a client test that passes against it proves the request arrived exactly as the
spec says. What it checks, in this order:

1. `Accept`, when sent, must admit application/json            -> 406 Error
2. path parameters parse as their schema (petId an int64,
   orderId a canonical UUID)                                    -> 400 Error "invalid_path_parameter"
3. no query parameter the operation does not declare            -> 400 Error "unknown_query_parameter"
4. a body only where the operation takes one                    -> 400 Error "unexpected_body"
   a body where it is required                                  -> 400 Error "missing_body"
   Content-Type application/json (charset, if any, utf-8)       -> 415 Error "unsupported_media_type"
   valid UTF-8 JSON, no NaN/Infinity, no duplicate keys         -> 400 Error "invalid_json"
5. query values and the body against their schemas: types (bool is not an integer, 1.0 is
   not an integer), required fields, null only where nullable, enums, minimum/maximum,
   int32/int64 ranges, formats date (YYYY-MM-DD), date-time (RFC 3339 with an offset),
   uuid, email; a non-array query parameter given twice      -> 422 ValidationError
   Fields the schema does not declare are accepted and recorded in
   `request.unknown_fields` (JSON paths such as "owner.nickname").

Credentials (when the server is given an `api_key`): every operation the spec secures needs
the X-API-Key header with exactly that key                       -> 401 Error "unauthorized"
and operations with `security: []` must come without one         -> 400 Error "unexpected_credentials"
(checked first of all). Without `api_key` the server does not look at credentials.

Then the operation runs against the in-memory store. Not found -> 404 Error "not_found";
ordering a pet that is not available -> 409 Error "pet_not_available"; ordering a pet that
does not exist -> 422 (placeOrder declares no 404). X-Request-Id is echoed on every response.
Every 2xx response (and every declared error response) is itself checked against the spec;
a mismatch is recorded in `server.errors`.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .base import Abort, LiveServer, Reply, Request

__all__ = [
    "PetstoreServer",
    "SPEC_PATH",
    "petstore_server",
    "load_spec",
    "SchemaChecker",
]

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml"

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
_INT_RE = re.compile(r"^-?(0|[1-9][0-9]*)$")
_NUMBER_RE = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")


@lru_cache(maxsize=None)
def _parse_spec(path: str, mtime: float) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def load_spec(path: Path | str = SPEC_PATH) -> dict[str, Any]:
    """The spec as plain data (a fresh copy each call; parsed once per file version)."""
    return copy.deepcopy(_parse_spec(str(path), Path(path).stat().st_mtime))


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(moment: datetime) -> str:
    """The RFC 3339 UTC form used for createdAt, e.g. 2024-01-02T03:04:05Z (whole seconds)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- schema checks


class SchemaChecker:
    """Checks values against the OpenAPI 3.0 schema subset the spec uses.

    `check(schema, value, path, mode)` returns (errors, unknown): errors as (field, problem)
    pairs, unknown as the JSON paths of object members the schema does not declare. `mode`
    is "request" (readOnly members count as unknown) or "response" (writeOnly ones do).
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local $refs are supported: {ref}")
            target: Any = self.spec
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 50:
                raise ValueError(f"$ref cycle at {ref}")
        return node

    def check(
        self, schema: Any, value: Any, path: str = "", mode: str = "request"
    ) -> tuple[list[tuple[str, str]], list[str]]:
        errors: list[tuple[str, str]] = []
        unknown: list[str] = []
        self._check(schema, value, path, mode, errors, unknown)
        return errors, unknown

    def _check(
        self, schema: Any, value: Any, path: str, mode: str, errors: list, unknown: list
    ) -> None:
        schema = self.resolve(schema)
        field = path or "(body)"
        if value is None:
            if not schema.get("nullable", False):
                errors.append((field, "must not be null"))
            return
        kind = schema.get("type") or ("object" if "properties" in schema else None)
        if kind == "string":
            if not isinstance(value, str):
                errors.append((field, "must be a string"))
                return
            problem = self._string_format(schema.get("format"), value)
            if problem:
                errors.append((field, problem))
                return
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                errors.append((field, "must be an integer"))
                return
            bounds = _INT_RANGES.get(schema.get("format", ""))
            if bounds is not None and not bounds[0] <= value <= bounds[1]:
                errors.append((field, f"must fit in {schema['format']}"))
                return
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append((field, "must be a number"))
                return
        elif kind == "boolean":
            if not isinstance(value, bool):
                errors.append((field, "must be a boolean"))
                return
        elif kind == "array":
            if not isinstance(value, list):
                errors.append((field, "must be an array"))
                return
            for i, item in enumerate(value):
                self._check(
                    schema.get("items", {}), item, f"{path}[{i}]", mode, errors, unknown
                )
            return
        elif kind == "object":
            if not isinstance(value, dict):
                errors.append((field, "must be an object"))
                return
            self._check_object(schema, value, path, mode, errors, unknown)
            return
        if "enum" in schema and value not in schema["enum"]:
            errors.append(
                (field, "must be one of: " + ", ".join(map(str, schema["enum"])))
            )
            return
        if "minimum" in schema and value < schema["minimum"]:
            errors.append((field, f"must be >= {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append((field, f"must be <= {schema['maximum']}"))

    def _check_object(
        self,
        schema: dict,
        value: dict,
        path: str,
        mode: str,
        errors: list,
        unknown: list,
    ) -> None:
        props = schema.get("properties", {})
        prefix = f"{path}." if path else ""
        for name in schema.get("required", []):
            if name not in value:
                errors.append((prefix + name, "is required"))
        extra = schema.get("additionalProperties", True)
        for name, member in value.items():
            if name in props:
                prop = self.resolve(props[name])
                if (mode == "request" and prop.get("readOnly")) or (
                    mode == "response" and prop.get("writeOnly")
                ):
                    unknown.append(prefix + name)
                    continue
                self._check(prop, member, prefix + name, mode, errors, unknown)
            elif isinstance(extra, dict):
                self._check(extra, member, prefix + name, mode, errors, unknown)
            elif extra is False:
                errors.append((prefix + name, "is not allowed"))
            else:
                unknown.append(prefix + name)

    def prune(self, schema: Any, value: Any) -> Any:
        """A deep copy of a valid `value` without the object members `schema` does not declare."""
        schema = self.resolve(schema)
        if isinstance(value, list):
            return [self.prune(schema.get("items", {}), v) for v in value]
        if isinstance(value, dict):
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            out = {}
            for k, v in value.items():
                if k in props:
                    out[k] = self.prune(props[k], v)
                elif isinstance(extra, dict):
                    out[k] = self.prune(extra, v)
            return out
        return value

    @staticmethod
    def _string_format(fmt: str | None, value: str) -> str | None:
        if fmt == "date":
            if not _DATE_RE.match(value):
                return "must be a date (YYYY-MM-DD)"
            try:
                date.fromisoformat(value)
            except ValueError:
                return "must be a valid calendar date"
        elif fmt == "date-time":
            if not _DATETIME_RE.match(value):
                return "must be an RFC 3339 date-time with a UTC offset (YYYY-MM-DDTHH:MM:SSZ)"
            try:
                datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            except ValueError:
                return "must be a valid date-time"
        elif fmt == "uuid":
            if not _UUID_RE.match(value):
                return "must be a UUID (8-4-4-4-12 hex digits)"
        elif fmt == "email":
            if not _EMAIL_RE.match(value):
                return "must be an email address"
        return None

    def coerce_text(self, schema: Any, text: str) -> tuple[Any, str | None]:
        """A parameter's string value converted per its (scalar) schema: (value, problem)."""
        schema = self.resolve(schema)
        kind = schema.get("type")
        if kind == "integer":
            if not _INT_RE.match(text):
                return None, "must be an integer"
            return int(text), None
        if kind == "number":
            if not _NUMBER_RE.match(text):
                return None, "must be a number"
            return float(text), None
        if kind == "boolean":
            if text not in ("true", "false"):
                return None, "must be true or false"
            return text == "true", None
        return text, None


# --------------------------------------------------------------------------- the server


class PetstoreServer(LiveServer):
    """specs/petstore.yaml, strictly, with an in-memory store.

    `server.base_url` is f"{server.url}/v1". Seed with `add_pet`, `add_vaccination`,
    `add_order` (or `seed_sample()`); `reset()` empties the store, restarts ids at 1 and
    clears the request log, faults and errors. `clock` gives "now" (UTC) for createdAt.
    """

    def __init__(
        self,
        spec_path: Path | str = SPEC_PATH,
        *,
        sample: bool = False,
        api_key: str | None = None,
    ) -> None:
        super().__init__()
        # The key the secured operations need; None: credentials are not checked.
        self.api_key = api_key
        self.spec = load_spec(spec_path)
        self.schemas = SchemaChecker(self.spec)
        self.base_path = urlsplit(self.spec["servers"][0]["url"]).path.rstrip("/")
        self.clock: Callable[[], datetime] = _utcnow
        self._store_lock = threading.RLock()
        self._operations: dict[str, dict[str, Any]] = {}
        for raw_path, item in self.spec["paths"].items():
            item = self.schemas.resolve(item)
            for method in _METHODS:
                if method not in item:
                    continue
                op = item[method]
                op_id = op["operationId"]
                self._operations[op_id] = {
                    "op": op,
                    "item": item,
                    "method": method.upper(),
                    "path": raw_path,
                }
                self.route(
                    method.upper(),
                    self.base_path + raw_path,
                    self._make_handler(op_id),
                    name=op_id,
                )
        self._sample = sample
        self.reset()

    @property
    def base_url(self) -> str:
        return f"{self.url}{self.base_path}"

    # -- the store

    def reset(self) -> None:
        """Empty the store (ids restart at 1), restore the real clock, clear requests, faults
        and errors; with `sample=True` the sample data is seeded again."""
        self.clock = _utcnow
        with self._store_lock:
            self.pets: dict[int, dict[str, Any]] = {}
            self.orders: dict[str, dict[str, Any]] = {}
            self.vaccinations: dict[int, list[dict[str, str]]] = {}
            self._next_pet_id = 1
        super().reset()
        if self._sample:
            self.seed_sample()

    def add_pet(
        self,
        name: str,
        *,
        status: str = "available",
        tags: list[str | dict[str, Any]] | None = None,
        created_at: datetime | str | None = None,
        id: int | None = None,  # noqa: A002
        **fields: Any,
    ) -> dict[str, Any]:
        """Store a pet directly (no validation) and return a copy of it as served.

        `tags` may be names or Tag dicts; other keyword arguments (owner, birthday, notes)
        are stored as given.
        """
        with self._store_lock:
            if id is None:
                id = self._next_pet_id  # noqa: A001
            self._next_pet_id = max(self._next_pet_id, id + 1)
            if isinstance(created_at, datetime):
                created_at = rfc3339(created_at)
            pet: dict[str, Any] = {"id": id, "name": name, "status": status}
            if tags is not None:
                pet["tags"] = [
                    {"name": t} if isinstance(t, str) else dict(t) for t in tags
                ]
            pet.update(fields)
            pet["createdAt"] = created_at or rfc3339(self.clock())
            self.pets[id] = pet
            return copy.deepcopy(pet)

    def add_vaccination(self, pet_id: int, name: str, on: str | date) -> None:
        with self._store_lock:
            self.vaccinations.setdefault(pet_id, []).append(
                {"name": name, "date": on if isinstance(on, str) else on.isoformat()}
            )

    def add_order(
        self,
        pet_id: int,
        quantity: int = 1,
        *,
        status: str = "placed",
        id: str | None = None,
        **fields: Any,  # noqa: A002
    ) -> dict[str, Any]:
        with self._store_lock:
            order_id = id or str(uuid.uuid4())
            order: dict[str, Any] = {
                "id": order_id,
                "petId": pet_id,
                "quantity": quantity,
                "status": status,
            }
            order["complete"] = False
            order.update(fields)
            self.orders[order_id.lower()] = order
            return copy.deepcopy(order)

    def seed_sample(self) -> None:
        """A small fixed data set: pets 1-4 with distinct statuses, tags and createdAt."""
        self.add_pet(
            "Rex",
            tags=["dog", "good"],
            created_at="2024-01-01T10:00:00Z",
            owner={"name": "Ann", "email": "ann@example.com"},
            birthday="2020-05-17",
        )
        self.add_pet(
            "Tom", tags=["cat"], created_at="2024-01-02T10:00:00Z", notes="shy"
        )
        self.add_pet(
            "Polly", status="pending", tags=["bird"], created_at="2024-01-03T10:00:00Z"
        )
        self.add_pet(
            "Bo", status="sold", tags=["dog"], created_at="2024-01-04T10:00:00Z"
        )
        self.add_vaccination(1, "rabies", "2021-03-01")
        self.add_vaccination(1, "distemper", "2022-03-01")

    # -- hooks

    def before_request(self, request: Request) -> Reply | None:
        if self.api_key is not None:
            entry = self._operations.get(request.route_name or "")
            security = (
                entry["op"].get("security", self.spec.get("security") or [])
                if entry
                else []
            )
            secured = bool(security)
            given = request.headers.get_all("X-API-Key")
            if secured and given != [self.api_key]:
                return Reply.error(
                    401, "unauthorized", "a valid X-API-Key header is required"
                )
            if not secured and given:
                return Reply.error(
                    400, "unexpected_credentials", "this operation takes no API key"
                )
        accept = request.headers.get("Accept")
        if accept is not None and not _accepts_json(accept):
            return Reply.error(
                406,
                "not_acceptable",
                f"this API only produces application/json, not {accept!r}",
            )
        return None

    def on_reply(self, request: Request, reply: Reply) -> Reply:
        request_id = request.headers.get("X-Request-Id")
        if request_id is not None and not reply.has_header("X-Request-Id"):
            reply.add_header("X-Request-Id", request_id)
        return reply

    # -- validation driven by the spec

    def _make_handler(self, op_id: str) -> Callable[[Request], Reply]:
        def handle(request: Request) -> Reply:
            entry = self._operations[op_id]
            params, body = self._validate(request, entry["op"], entry["item"])
            impl = getattr(self, f"_op_{op_id}", None)
            if impl is None:
                return Reply.error(
                    501,
                    "not_implemented",
                    f"{op_id} is not implemented by the test server",
                )
            try:
                reply = impl(params, body)
            except Abort as abort:
                reply = abort.reply
            self._check_response(op_id, entry["op"], reply)
            return reply

        return handle

    def _parameters(self, op: dict, item: dict) -> list[dict[str, Any]]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for p in [*item.get("parameters", []), *op.get("parameters", [])]:
            p = self.schemas.resolve(p)
            merged[
                (p["in"], p["name"] if p["in"] != "header" else p["name"].lower())
            ] = p
        return list(merged.values())

    def _validate(
        self, request: Request, op: dict, item: dict
    ) -> tuple[dict[str, Any], Any]:
        checker = self.schemas
        params: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        declared = self._parameters(op, item)

        # path parameters: a value that does not parse is a malformed URL -> 400
        for p in declared:
            if p["in"] != "path":
                continue
            raw = request.path_params.get(p["name"], "")
            value, problem = checker.coerce_text(p["schema"], raw)
            if problem is None:
                errs, _ = checker.check(p["schema"], value, p["name"])
                problem = errs[0][1] if errs else None
            if problem is not None:
                raise Abort(
                    Reply.error(
                        400,
                        "invalid_path_parameter",
                        f"path parameter {p['name']} {problem}: {raw!r}",
                    )
                )
            params[p["name"]] = value

        # query parameters: undeclared names -> 400, bad values -> 422
        query_decl = {p["name"]: p for p in declared if p["in"] == "query"}
        given = request.query_params
        unknown = [name for name in given if name not in query_decl]
        if unknown:
            raise Abort(
                Reply.error(
                    400,
                    "unknown_query_parameter",
                    f"unknown query parameter(s): {', '.join(unknown)}; "
                    f"allowed: {', '.join(query_decl) or 'none'}",
                )
            )
        for name, p in query_decl.items():
            schema = checker.resolve(p.get("schema", {}))
            values = given.get(name)
            if values is None:
                if p.get("required"):
                    errors.append((name, "is required"))
                elif "default" in schema:
                    params[name] = schema["default"]
                continue
            if schema.get("type") == "array":
                explode = p.get("explode", p.get("style", "form") == "form")
                if not explode:
                    if len(values) > 1:
                        errors.append(
                            (
                                name,
                                "must be given once, comma-separated (explode: false)",
                            )
                        )
                        continue
                    values = values[0].split(",")
                items = []
                for i, text in enumerate(values):
                    value, problem = checker.coerce_text(schema.get("items", {}), text)
                    if problem is None:
                        errs, _ = checker.check(
                            schema.get("items", {}), value, f"{name}[{i}]"
                        )
                        errors.extend(errs)
                    else:
                        errors.append((f"{name}[{i}]", problem))
                    items.append(value)
                params[name] = items
                continue
            if len(values) > 1:
                errors.append((name, "must be given at most once"))
                continue
            value, problem = checker.coerce_text(schema, values[0])
            if problem is not None:
                errors.append((name, problem))
                continue
            errs, _ = checker.check(schema, value, name)
            errors.extend(errs)
            params[name] = value

        # header parameters
        for p in declared:
            if p["in"] != "header":
                continue
            values = request.headers.get_all(p["name"])
            if not values:
                if p.get("required"):
                    errors.append((p["name"], "header is required"))
                continue
            value, problem = checker.coerce_text(p.get("schema", {}), values[0])
            if problem is not None:
                errors.append((p["name"], problem))
                continue
            params[p["name"]] = value

        # the body
        body: Any = None
        request_body = (
            checker.resolve(op.get("requestBody")) if "requestBody" in op else None
        )
        has_body = bool(request.body) or "Transfer-Encoding" in request.headers
        if request_body is None:
            if request.body:
                raise Abort(
                    Reply.error(
                        400,
                        "unexpected_body",
                        f"{request.method} {request.route} takes no request body",
                    )
                )
        elif not has_body:
            if request_body.get("required"):
                raise Abort(
                    Reply.error(400, "missing_body", "a JSON request body is required")
                )
        else:
            content = request_body.get("content", {})
            ctype = request.headers.get("Content-Type")
            media, charset = _media_type(ctype)
            if media not in content:
                raise Abort(
                    Reply.error(
                        415,
                        "unsupported_media_type",
                        f"Content-Type must be one of {', '.join(content)}, not {ctype!r}",
                    )
                )
            if charset not in (None, "utf-8"):
                raise Abort(
                    Reply.error(
                        415,
                        "unsupported_media_type",
                        f"charset must be utf-8, not {charset!r}",
                    )
                )
            body = _parse_json(request.body)
            errs, unknown_fields = checker.check(
                content[media].get("schema", {}), body, "", "request"
            )
            errors.extend(errs)
            request.unknown_fields.extend(unknown_fields)

        if errors:
            raise Abort(_validation_failed(errors))
        return params, body

    def _check_response(self, op_id: str, op: dict, reply: Reply) -> None:
        """Record (in server.errors) any response the spec does not allow."""
        responses = op.get("responses", {})
        declared = responses.get(str(reply.status)) or responses.get(
            f"{reply.status // 100}XX"
        )
        declared = declared or responses.get("default")
        if declared is None:
            if 200 <= reply.status < 300:
                self._record_error(f"{op_id}: status {reply.status} is not declared")
            return
        declared = self.schemas.resolve(declared)
        content = declared.get("content")
        if not content:
            if reply.body:
                self._record_error(f"{op_id}: {reply.status} must have no body")
            return
        schema = content.get("application/json", {}).get("schema", {})
        errs, unknown = self.schemas.check(schema, reply.parsed(), "", "response")
        if errs or unknown:
            self._record_error(
                f"{op_id}: {reply.status} body does not match the spec: {errs} unknown={unknown}"
            )

    # -- helpers for the operations

    def _pet(self, pet_id: int) -> dict[str, Any]:
        pet = self.pets.get(pet_id)
        if pet is None:
            raise Abort(Reply.error(404, "not_found", f"pet {pet_id} not found"))
        return pet

    def _pet_fields(self, body: dict[str, Any]) -> dict[str, Any]:
        """A validated NewPet body without undeclared members, status defaulting to available."""
        fields = self.schemas.prune({"$ref": "#/components/schemas/NewPet"}, body)
        fields.setdefault("status", "available")
        return fields

    # -- the operations (one per operationId)

    def _op_listPets(self, params: dict[str, Any], body: Any) -> Reply:
        with self._store_lock:
            pets = list(self.pets.values())
        if "status" in params:
            pets = [p for p in pets if p["status"] == params["status"]]
        wanted = set(params.get("tags") or [])
        if wanted:
            pets = [
                p for p in pets if wanted <= {t.get("name") for t in p.get("tags", [])}
            ]
        pets.sort(key=lambda p: (p["createdAt"], p["id"]), reverse=True)
        start = params["offset"]
        return Reply(200, json=copy.deepcopy(pets[start : start + params["limit"]]))

    def _op_createPet(self, params: dict[str, Any], body: dict[str, Any]) -> Reply:
        with self._store_lock:
            fields = self._pet_fields(body)
            pet = self.add_pet(**fields)
        return Reply(201, json=pet)

    def _op_getPet(self, params: dict[str, Any], body: Any) -> Reply:
        with self._store_lock:
            return Reply(200, json=copy.deepcopy(self._pet(params["petId"])))

    def _op_updatePet(self, params: dict[str, Any], body: dict[str, Any]) -> Reply:
        with self._store_lock:
            old = self._pet(params["petId"])
            pet = {
                "id": old["id"],
                **self._pet_fields(body),
                "createdAt": old["createdAt"],
            }
            self.pets[old["id"]] = pet
            return Reply(200, json=copy.deepcopy(pet))

    def _op_deletePet(self, params: dict[str, Any], body: Any) -> Reply:
        with self._store_lock:
            self._pet(params["petId"])
            del self.pets[params["petId"]]
            self.vaccinations.pop(params["petId"], None)
        return Reply(204)

    def _op_listPetVaccinations(self, params: dict[str, Any], body: Any) -> Reply:
        with self._store_lock:
            pet = self._pet(params["petId"])
            shots = copy.deepcopy(self.vaccinations.get(pet["id"], []))
        if "since" in params:
            shots = [s for s in shots if s["date"] >= params["since"]]
        shots.sort(key=lambda s: s["date"])
        return Reply(200, json={"petId": pet["id"], "vaccinations": shots})

    def _op_placeOrder(self, params: dict[str, Any], body: dict[str, Any]) -> Reply:
        with self._store_lock:
            pet = self.pets.get(body["petId"])
            if pet is None:
                return _validation_failed(
                    [("petId", f"no pet with id {body['petId']}")]
                )
            if pet["status"] != "available":
                return Reply.error(
                    409,
                    "pet_not_available",
                    f"pet {pet['id']} is {pet['status']}, not available",
                )
            extra = {"shipDate": body["shipDate"]} if "shipDate" in body else {}
            order = self.add_order(pet["id"], body["quantity"], **extra)
        return Reply(201, json=order)

    def _op_getOrder(self, params: dict[str, Any], body: Any) -> Reply:
        with self._store_lock:
            order = self.orders.get(params["orderId"].lower())
            if order is None:
                return Reply.error(
                    404, "not_found", f"order {params['orderId']} not found"
                )
            return Reply(200, json=copy.deepcopy(order))

    def _op_getInventory(self, params: dict[str, Any], body: Any) -> Reply:
        statuses = self.schemas.resolve({"$ref": "#/components/schemas/PetStatus"})[
            "enum"
        ]
        counts = {s: 0 for s in statuses}
        with self._store_lock:
            for pet in self.pets.values():
                counts[pet["status"]] = counts.get(pet["status"], 0) + 1
        return Reply(200, json=counts)


# --------------------------------------------------------------------------- module helpers


def _validation_failed(errors: list[tuple[str, str]]) -> Reply:
    return Reply(
        422,
        json={
            "message": "the request is not valid: "
            + "; ".join(f"{f} {p}" for f, p in errors),
            "errors": [{"field": f, "problem": p} for f, p in errors],
        },
    )


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _accepts_json(accept: str) -> bool:
    for part in accept.split(","):
        media, *params = (x.strip() for x in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and media.lower() in ("*/*", "application/*", "application/json"):
            return True
    return False


def _parse_json(raw: bytes) -> Any:
    def bad(message: str) -> Abort:
        return Abort(Reply.error(400, "invalid_json", message))

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj:
                raise ValueError(f"duplicate key {key!r}")
            obj[key] = value
        return obj

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad(f"the body is not UTF-8: {exc}") from None
    if text.startswith("\ufeff"):
        raise bad("the body starts with a byte order mark")
    try:
        return json.loads(
            text, parse_constant=no_constants, object_pairs_hook=no_duplicates
        )
    except ValueError as exc:
        raise bad(f"the body is not valid JSON: {exc}") from None


@contextlib.contextmanager
def petstore_server(*, sample: bool = False) -> Iterator[PetstoreServer]:
    """A started PetstoreServer, stopped on exit: `with petstore_server() as server: ...`."""
    server = PetstoreServer(sample=sample)
    with server:
        yield server
