"""Pagination: which operations return one page of a longer list, and how to get the next.

`pagination_of` is a pure function of an operation (its parameters and success response, as
built) and the models: it reads a declaration (`x-codegen-pagination`, else
`x-speakeasy-pagination` or `x-fern-pagination`) or infers the style from the names the API
uses, and says why, so that `codegen generate --verbose` can show its reasoning.

Inference is deliberately conservative: only GET operations, only when the items to iterate
are clear (the body is an array, or an object with one array or one array under a usual name
such as `data`), and only with a recognisable way to move on: a cursor parameter with a next
cursor in the body, a Link header, a next URL in the body, or an offset or page parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..errors import join_pointer
from ..model import (
    AnyValue,
    ListOf,
    Model,
    ModelRef,
    Operation,
    Pagination,
    Parameter,
    Primitive,
    TypeRef,
    strip_nullable,
)

Warn = Callable[[str, str], None]
Deref = Callable[[Any, str], "tuple[Any, str]"]

EXTENSIONS = ("x-codegen-pagination", "x-speakeasy-pagination", "x-fern-pagination")
STYLES = ("cursor", "offset", "page", "link", "next_url")

# Names compared after dropping case and everything but letters and digits.
CURSOR_PARAMS = frozenset(
    {
        "cursor", "pagecursor", "pagetoken", "nextpagetoken", "nexttoken", "continuationtoken",
        "continuation", "starttoken", "marker", "after", "startingafter", "startcursor", "nextcursor",
        "pageafter", "afterid",
    }
)
# Not "start" or "from": as often a time as a position.
OFFSET_PARAMS = frozenset({"offset", "skip", "startindex"})
PAGE_PARAMS = frozenset({"page", "pagenumber", "pagenum", "pageno", "pageindex"})
LIMIT_PARAMS = frozenset(
    {
        "limit", "perpage", "pagesize", "size", "count", "maxresults", "pagelimit", "top", "take",
        "max", "maxitems", "itemsperpage", "resultsperpage", "num", "rows", "first",
    }
)
NEXT_CURSOR_FIELDS = frozenset(
    {
        "nextcursor", "nextpagetoken", "nexttoken", "cursor", "next", "continuationtoken", "nextmarker",
        "endcursor", "after", "nextpagecursor", "nextpage", "nextkey", "continuation", "nextoffset",
    }
)
NEXT_URL_FIELDS = frozenset(
    {"next", "nexturl", "nextlink", "nextpageurl", "nextpagelink", "nexturi", "nextpageuri", "odatanextlink", "nexthref"}
)
HAS_MORE_FIELDS = frozenset({"hasmore", "hasnext", "hasnextpage", "more", "hasmoreitems", "hasmoreresults"})
TOTAL_FIELDS = frozenset({"total", "totalcount", "totalitems", "totalresults", "totalrecords", "totalsize", "totalentries"})
TOTAL_PAGES_FIELDS = frozenset({"totalpages", "pagecount", "numpages", "pages", "lastpage"})
ITEM_FIELDS = (
    "data", "items", "results", "records", "entries", "values", "elements", "list", "nodes",
    "content", "hits", "objects", "rows", "resources", "value",
)
# Containers of paging metadata that the fields above may sit in: {"meta": {"next_cursor": ...}}.
_MAX_DEPTH = 3


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class _Field:
    """A field of a response body, by its wire path and its attribute path."""

    wire: tuple[str, ...]
    attrs: tuple[str, ...]
    type: TypeRef  # nullability stripped
    uri: bool = False  # a string with format uri or url

    @property
    def name(self) -> str:
        return norm(self.wire[-1])

    @property
    def dotted(self) -> str:
        return ".".join(self.wire)


def pagination_of(
    op: Operation,
    node: Mapping[str, Any],
    models: Mapping[str, Model],
    *,
    response_headers: frozenset[str] = frozenset(),
    warn: Warn = lambda message, pointer: None,
    pointer: str = "",
) -> Pagination | None:
    """The operation's pagination, or None when it returns no page of a longer list.

    `response_headers` are the names (lower case) of the headers its success response
    declares; `warn` reports declarations that cannot be used.
    """
    for extension in EXTENSIONS:
        if extension in node:
            where = join_pointer(pointer, extension)
            declared = node[extension]
            if declared is False or declared is None:
                return None
            if not isinstance(declared, dict):
                warn(f"{extension} must be an object (or false); ignored", where)
                return None
            read = {"x-codegen-pagination": _codegen, "x-speakeasy-pagination": _speakeasy, "x-fern-pagination": _fern}
            return read[extension](op, declared, models, extension, lambda m: warn(m, where))
    if op.method != "GET":
        return None
    return _infer(op, models, response_headers)


# -- the shape of the response -----------------------------------------------------------


def _body(op: Operation) -> TypeRef | None:
    if op.success is None or op.success.type is None:
        return None
    content_type = (op.success.content_type or "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        return None
    return strip_nullable(op.success.type)[0]


def _fields(ref: TypeRef, models: Mapping[str, Model], depth: int = _MAX_DEPTH) -> list[_Field]:
    """Every field of an object body, nested ones included (up to a small depth), breadth first."""
    out: list[_Field] = []
    queue: list[tuple[TypeRef, tuple[str, ...], tuple[str, ...], int]] = [(ref, (), (), 0)]
    seen: set[str] = set()
    while queue:
        current, wire, attrs, level = queue.pop(0)
        current = strip_nullable(current)[0]
        if not isinstance(current, ModelRef) or current.name not in models or level >= depth:
            continue
        if current.name in seen:
            continue
        seen.add(current.name)
        for f in models[current.name].fields:
            inner = strip_nullable(f.type)[0]
            uri = isinstance(inner, Primitive) and inner.format in ("uri", "url", "uri-reference", "iri")
            field = _Field((*wire, f.wire_name), (*attrs, f.name), inner, uri)
            out.append(field)
            queue.append((inner, field.wire, field.attrs, level + 1))
    return out


def _is(ref: TypeRef, kind: str) -> bool:
    return isinstance(ref, Primitive) and ref.kind == kind


def _items(body: TypeRef, fields: list[_Field]) -> tuple[_Field | None, str]:
    """Where the items are: (None, why) for a body that is itself the list."""
    if isinstance(body, ListOf):
        return None, "the body is an array"
    arrays = [f for f in fields if isinstance(f.type, ListOf)]
    top = [f for f in arrays if len(f.wire) == 1]
    for name in ITEM_FIELDS:
        for f in top:
            if f.name == name:
                return f, f"items in {f.dotted!r}"
    if any(len(f.wire) == 1 and f.name in ITEM_FIELDS[:3] for f in fields):
        # {"items": {...a map...}, "warnings": [...]}: the array is not what the list is of.
        raise LookupError("the items are not an array")
    if len(top) == 1:
        return top[0], f"items in {top[0].dotted!r}, the only array"
    raise LookupError("no single array of items in the response")


def _item_type(body: TypeRef, items: _Field | None) -> TypeRef | None:
    ref = body if items is None else items.type
    if isinstance(ref, ListOf):
        return ref.item
    return None


def _query(op: Operation, names: frozenset[str], kinds: tuple[str, ...] = ()) -> Parameter | None:
    for p in op.parameters:
        if p.location == "query" and norm(p.wire_name) in names:
            if not kinds or any(_is(strip_nullable(p.type)[0], k) for k in kinds):
                return p
    return None


def _find(fields: list[_Field], names: frozenset[str], *kinds: str, exclude: tuple[_Field | None, ...] = ()) -> _Field | None:
    for f in fields:
        if f.name in names and any(_is(f.type, k) for k in kinds) and f not in exclude:
            return f
    return None


def _int_default(param: Parameter | None) -> int | None:
    if param is None or not param.has_default or isinstance(param.default, bool):
        return None
    return param.default if isinstance(param.default, int) else None


# -- inference ------------------------------------------------------------------------------


def _infer(op: Operation, models: Mapping[str, Model], headers: frozenset[str]) -> Pagination | None:
    body = _body(op)
    if body is None or isinstance(body, AnyValue):
        return None
    fields = _fields(body, models)
    try:
        items, items_why = _items(body, fields)
    except LookupError:
        return None
    # Paging metadata sits beside the items, not inside them.
    meta = [f for f in fields if items is None or f.wire[: len(items.wire)] != items.wire]
    limit = _query(op, LIMIT_PARAMS, ("integer",))
    has_more = _find(meta, HAS_MORE_FIELDS, "boolean")
    total = _find(meta, TOTAL_FIELDS, "integer")
    common: dict[str, Any] = {
        "items": items.wire if items else (),
        "item_attrs": items.attrs if items else (),
        "item_type": _item_type(body, items),
        "limit_param": limit.wire_name if limit else "",
        "limit_default": _int_default(limit),
        "limit_max": limit.maximum if limit else None,
        "has_more": has_more.wire if has_more else (),
    }
    why = [items_why]
    if limit:
        why.append(f"page size {limit.wire_name!r}")
    if has_more:
        why.append(f"{has_more.dotted!r} says whether more follow")

    cursor = _query(op, CURSOR_PARAMS, ("string", "integer"))
    if cursor is not None:
        next_url_field = _next_url(meta, cursor_param=True)
        next_cursor = _find(meta, NEXT_CURSOR_FIELDS, "string", "integer", exclude=(next_url_field,))
        if next_cursor is not None and not next_cursor.uri:
            why.insert(0, f"query parameter {cursor.wire_name!r} takes the response's {next_cursor.dotted!r}")
            return Pagination("cursor", cursor_param=cursor.wire_name, next_cursor=next_cursor.wire, reason="; ".join(why), **common)
        if has_more is not None:
            id_field = _item_id(body, items, models)
            if id_field:
                why.insert(0, f"query parameter {cursor.wire_name!r} takes the last item's {id_field!r}")
                return Pagination("cursor", cursor_param=cursor.wire_name, cursor_item=id_field, reason="; ".join(why), **common)
    if "link" in headers:
        page = _query(op, PAGE_PARAMS, ("integer",))
        why.insert(0, "the response declares a Link header (rel=\"next\")")
        return Pagination("link", cursor_param=page.wire_name if page else "", reason="; ".join(why), **common)
    if cursor is not None and isinstance(body, ListOf) and limit is not None:
        # An array and a cursor parameter: the next cursor can only travel in a header, the
        # Link header by convention (GitHub's webhook deliveries, Dependabot alerts).
        why.insert(0, f"query parameter {cursor.wire_name!r} takes a cursor the body does not carry: taken from the Link header")
        return Pagination("link", reason="; ".join(why), **common)
    next_url_field = _next_url(meta, cursor_param=False)
    if next_url_field is not None:
        why.insert(0, f"the response's {next_url_field.dotted!r} is the next page's URL")
        return Pagination("next_url", next_url=next_url_field.wire, reason="; ".join(why), **common)
    offset = _query(op, OFFSET_PARAMS, ("integer",))
    if offset is not None:
        why.insert(0, f"query parameter {offset.wire_name!r} is an offset")
        if total:
            why.append(f"{total.dotted!r} is the total")
        return Pagination(
            "offset", cursor_param=offset.wire_name, total=total.wire if total else (), reason="; ".join(why), **common
        )
    page = _query(op, PAGE_PARAMS, ("integer",))
    if page is not None:
        pages = _find(meta, TOTAL_PAGES_FIELDS, "integer")
        why.insert(0, f"query parameter {page.wire_name!r} is a page number")
        if pages:
            why.append(f"{pages.dotted!r} is the number of pages")
        elif total:
            why.append(f"{total.dotted!r} is the total")
        return Pagination(
            "page",
            cursor_param=page.wire_name,
            total=total.wire if total and not pages else (),
            total_pages=pages.wire if pages else (),
            start=_int_default(page),
            reason="; ".join(why),
            **common,
        )
    return None


def _next_url(fields: list[_Field], *, cursor_param: bool) -> _Field | None:
    for f in fields:
        if not _is(f.type, "string"):
            continue
        name = f.name
        if name in NEXT_URL_FIELDS or (name == "href" and len(f.wire) > 1 and norm(f.wire[-2]) == "next"):
            looks_like_url = f.uri or any(w in name for w in ("url", "link", "uri", "href"))
            if looks_like_url or (name == "next" and not cursor_param):
                return f
    return None


def _item_id(body: TypeRef, items: _Field | None, models: Mapping[str, Model]) -> str:
    item = _item_type(body, items)
    item = strip_nullable(item)[0] if item is not None else None
    if isinstance(item, ModelRef) and item.name in models:
        for f in models[item.name].fields:
            if f.wire_name == "id":
                return "id"
    return ""


# -- declarations ---------------------------------------------------------------------------


def _path(text: Any) -> tuple[str, ...] | None:
    """A response path as the extensions write it: "data.items", "$.data", "$response.data"."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    for prefix in ("$response.body#/", "$response.", "$response", "$.", "$"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.replace("/", ".").strip(".")
    return tuple(part for part in text.split(".") if part)


def _request_param(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = text.strip()
    for prefix in ("$request.query.", "$request.", "$request"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


class _Declared:
    """Checks a declaration against the operation and builds its Pagination."""

    def __init__(self, op: Operation, models: Mapping[str, Model], source: str, warn: Callable[[str], None]):
        self.op, self.models, self.source, self.warn = op, models, source, warn
        body = _body(op)
        self.body = body
        self.fields = _fields(body, models) if body is not None else []
        self.ok = True

    def param(self, name: str | None, what: str) -> str:
        if not name:
            return ""
        for p in self.op.parameters:
            if p.wire_name == name or p.name == name:
                if p.location != "query":
                    self.fail(f"the {what} parameter {name!r} is in {p.location}; only query parameters can page")
                return p.wire_name
        self.fail(f"the {what} parameter {name!r} is not a parameter of the operation")
        return ""

    def field(self, path: tuple[str, ...] | None, what: str) -> tuple[str, ...]:
        if not path:
            return ()
        if isinstance(self.body, AnyValue):
            return path  # nothing to check against
        if not any(f.wire == path for f in self.fields):
            self.fail(f"the {what} {'.'.join(path)!r} is not a field of the response")
        return path

    def fail(self, message: str) -> None:
        self.warn(f"{self.source}: {message}; the operation is not paginated")
        self.ok = False

    def build(self, style: str, items: tuple[str, ...] | None, **values: Any) -> Pagination | None:
        if self.body is None:
            self.fail("the operation has no JSON response to page through")
            return None
        attrs: tuple[str, ...] = ()
        item_type: TypeRef | None = None
        if items is None:  # not given: infer it
            try:
                found, _ = _items(self.body, self.fields)
            except LookupError:
                if not isinstance(self.body, AnyValue):
                    self.fail("no `results`/`items` path was given and the response has no single array")
                    return None
                found = None
            items = found.wire if found else ()
        if items:
            match = next((f for f in self.fields if f.wire == items), None)
            if match is not None and isinstance(match.type, ListOf):
                attrs, item_type = match.attrs, match.type.item
            elif isinstance(self.body, AnyValue):
                attrs = items
            else:
                self.fail(f"the results {'.'.join(items)!r} are not an array field of the response")
        elif isinstance(self.body, ListOf):
            item_type = self.body.item
        elif not isinstance(self.body, AnyValue):
            self.fail("the response is not an array; say where its results are")
        if not self.ok:
            return None
        limit = values.get("limit_param", "")
        limit_default = limit_max = None
        for p in self.op.parameters:
            if limit and p.wire_name == limit:
                limit_default, limit_max = _int_default(p), p.maximum
        start = None
        for p in self.op.parameters:
            if values.get("cursor_param") and p.wire_name == values["cursor_param"]:
                start = _int_default(p)
        return Pagination(
            style,
            items=items,
            item_attrs=attrs,
            item_type=item_type,
            limit_default=limit_default,
            limit_max=limit_max,
            start=start if style in ("offset", "page") else None,
            source=self.source,
            **values,
        )


def _codegen(
    op: Operation, declared: dict[str, Any], models: Mapping[str, Model], source: str, warn: Callable[[str], None]
) -> Pagination | None:
    check = _Declared(op, models, source, warn)
    style = declared.get("style")
    if style not in STYLES:
        check.fail(f"style must be one of {', '.join(STYLES)}, not {style!r}")
        return None
    items = _path(declared["items"]) if "items" in declared else None
    values = {
        "cursor_param": check.param(declared.get("param"), "paging"),
        "limit_param": check.param(declared.get("limit"), "page size"),
        "next_cursor": check.field(_path(declared.get("next_cursor")), "next cursor"),
        "cursor_item": str(declared["cursor_item"]) if isinstance(declared.get("cursor_item"), str) else "",
        "has_more": check.field(_path(declared.get("has_more")), "has-more flag"),
        "next_url": check.field(_path(declared.get("next_url")), "next URL"),
        "total": check.field(_path(declared.get("total")), "total"),
        "total_pages": check.field(_path(declared.get("total_pages")), "page count"),
    }
    if style in ("cursor", "offset", "page") and not values["cursor_param"]:
        check.fail(f"a {style} style needs `param`, the query parameter that moves through the pages")
    if style == "cursor" and not values["next_cursor"] and not values["cursor_item"]:
        check.fail("a cursor style needs `next_cursor` (or `cursor_item`)")
    if style == "next_url" and not values["next_url"]:
        check.fail("a next_url style needs `next_url`")
    if not check.ok:
        return None
    return check.build(str(style), items, reason=f"declared with {source}", **values)


def _speakeasy(
    op: Operation, declared: dict[str, Any], models: Mapping[str, Model], source: str, warn: Callable[[str], None]
) -> Pagination | None:
    check = _Declared(op, models, source, warn)
    kind = declared.get("type")
    inputs: list[Any] = declared["inputs"] if isinstance(declared.get("inputs"), list) else []
    outputs: dict[str, Any] = declared["outputs"] if isinstance(declared.get("outputs"), dict) else {}
    by_type: dict[str, str] = {}
    for entry in inputs:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        if entry.get("in", "parameters") != "parameters":
            check.fail(f"input {entry['name']!r} is in the request body; only query parameters can page")
            continue
        by_type[str(entry.get("type"))] = entry["name"]
    items = _path(outputs.get("results")) if "results" in outputs else None
    limit = check.param(by_type.get("limit"), "limit")
    if kind == "offsetLimit":
        if "offset" in by_type:
            style, param = "offset", check.param(by_type["offset"], "offset")
        elif "page" in by_type:
            style, param = "page", check.param(by_type["page"], "page")
        else:
            check.fail("offsetLimit needs an offset or page input")
            return None
        pages = check.field(_path(outputs.get("numPages")), "numPages")
        if not check.ok:
            return None
        return check.build(style, items, cursor_param=param, limit_param=limit, total_pages=pages, reason=f"declared with {source} (offsetLimit)")
    if kind == "cursor":
        param = check.param(by_type.get("cursor"), "cursor")
        next_cursor = check.field(_path(outputs.get("nextCursor")), "nextCursor")
        if not param or not next_cursor:
            check.fail("cursor needs a cursor input and a nextCursor output")
        if not check.ok:
            return None
        return check.build("cursor", items, cursor_param=param, limit_param=limit, next_cursor=next_cursor, reason=f"declared with {source} (cursor)")
    if kind == "url":
        next_url = check.field(_path(outputs.get("nextUrl")), "nextUrl")
        if not next_url:
            check.fail("url needs a nextUrl output")
        if not check.ok:
            return None
        return check.build("next_url", items, next_url=next_url, limit_param=limit, reason=f"declared with {source} (url)")
    check.fail(f"type must be offsetLimit, cursor or url, not {kind!r}")
    return None


def _fern(
    op: Operation, declared: dict[str, Any], models: Mapping[str, Model], source: str, warn: Callable[[str], None]
) -> Pagination | None:
    check = _Declared(op, models, source, warn)
    items = _path(declared["results"]) if "results" in declared else None
    has_more = check.field(_path(declared.get("has-next-page")), "has-next-page")
    if "cursor" in declared:
        param = check.param(_request_param(declared["cursor"]), "cursor")
        next_cursor = check.field(_path(declared.get("next_cursor")), "next_cursor")
        if not next_cursor:
            check.fail("cursor pagination needs next_cursor")
        if not check.ok:
            return None
        return check.build("cursor", items, cursor_param=param, next_cursor=next_cursor, has_more=has_more, reason=f"declared with {source} (cursor)")
    if "offset" in declared:
        param = check.param(_request_param(declared["offset"]), "offset")
        step = check.param(_request_param(declared.get("step")), "step") if declared.get("step") else ""
        # Fern advances the offset by one page, or by `step` (the page size) when given.
        style = "offset" if step or norm(param) in OFFSET_PARAMS else "page"
        if not check.ok:
            return None
        return check.build(style, items, cursor_param=param, limit_param=step, has_more=has_more, reason=f"declared with {source} (offset)")
    for key in ("next_uri", "next_path"):
        if key in declared:
            next_url = check.field(_path(declared[key]), key)
            if not check.ok:
                return None
            return check.build("next_url", items, next_url=next_url, has_more=has_more, reason=f"declared with {source} ({key})")
    check.fail("give cursor, offset, next_uri or next_path")
    return None
