"""The builder's reading of pagination (generator/build/pagination.py): inference from the names
APIs use, declarations in x-codegen-, x-speakeasy- and x-fern-pagination, and the report
`codegen generate` prints; GitHub's list operations come out paginated by Link header."""

from __future__ import annotations

import pytest

from generator.build import build_api
from generator.cli import domain_report, main
from tests.conftest import ROOT, SHARED

ITEM = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
ITEMS = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}


def query(name, kind="integer", default=None):
    schema = {"type": kind}
    if default is not None:
        schema["default"] = default
    return {"name": name, "in": "query", "schema": schema}


def operation(params=(), body=None, headers=None, method="get", **extra):
    response = {"description": "ok", "content": {"application/json": {"schema": body or ITEMS}}}
    if headers:
        response["headers"] = {h: {"schema": {"type": "string"}} for h in headers}
    root = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/things": {method: {"operationId": "listThings", "parameters": list(params), "responses": {"200": response}, **extra}}},
        "components": {"schemas": {"Item": ITEM}},
    }
    api, warnings = build_api(root)
    return api.groups[0].operations[0], [w.message for w in warnings]


def paged(params=(), body=None, headers=None, **extra):
    op, warnings = operation(params, body, headers, **extra)
    return op.pagination, warnings


def obj(**properties):
    return {"type": "object", "properties": properties}


# -- inference --------------------------------------------------------------------------------


def test_cursor_parameter_and_next_cursor_field():
    p, _ = paged([query("cursor", "string"), query("limit", default=25)], obj(data=ITEMS, next_cursor={"type": "string"}))
    assert (p.style, p.cursor_param, p.next_cursor, p.items, p.limit_param, p.limit_default) == (
        "cursor", "cursor", ("next_cursor",), ("data",), "limit", 25,
    )
    assert p.source == "inferred" and "'cursor'" in p.reason and "'next_cursor'" in p.reason
    assert p.item_type is not None and p.item_type.name == "Item"


def test_next_cursor_nested_under_metadata():
    body = obj(items=ITEMS, meta=obj(pageToken={"type": "string"}, nextPageToken={"type": "string"}))
    p, _ = paged([query("pageToken", "string")], body)
    assert (p.style, p.next_cursor, p.items, p.item_attrs) == ("cursor", ("meta", "nextPageToken"), ("items",), ("items",))


def test_offset_and_limit_with_a_total():
    p, _ = paged([query("offset"), query("limit")], obj(results=ITEMS, total={"type": "integer"}))
    assert (p.style, p.cursor_param, p.total, p.items) == ("offset", "offset", ("total",), ("results",))


def test_page_numbers_with_a_page_count():
    p, _ = paged([query("page", default=0), query("per_page")], obj(values=ITEMS, total_pages={"type": "integer"}))
    assert (p.style, p.cursor_param, p.limit_param, p.total_pages, p.start) == ("page", "page", "per_page", ("total_pages",), 0)


def test_a_declared_link_header_means_link_paging():
    p, _ = paged([query("page"), query("per_page")], headers=["Link"])
    assert (p.style, p.items) == ("link", ())
    assert "Link header" in p.reason


def test_a_next_url_in_the_body():
    p, _ = paged([query("limit")], obj(data=ITEMS, links=obj(next={"type": "string", "format": "uri"})))
    assert (p.style, p.next_url) == ("next_url", ("links", "next"))
    django, _ = paged([query("page")], obj(count={"type": "integer"}, next={"type": "string"}, results=ITEMS))
    assert (django.style, django.next_url, django.items) == ("next_url", ("next",), ("results",))


def test_has_more_with_the_last_items_id_as_the_cursor():
    p, _ = paged([query("starting_after", "string"), query("limit")], obj(data=ITEMS, has_more={"type": "boolean"}))
    assert (p.style, p.cursor_param, p.cursor_item, p.has_more) == ("cursor", "starting_after", "id", ("has_more",))


def test_a_cursor_parameter_without_a_cursor_in_the_body_is_not_guessed():
    assert paged([query("cursor", "string")], obj(data=ITEMS))[0] is None


@pytest.mark.parametrize(
    "case",
    [
        dict(params=[query("limit")]),  # a limit alone says nothing about other pages
        dict(params=[query("page")], body=obj(a=ITEMS, b=ITEMS)),  # which array?
        dict(params=[query("page")], body=ITEM),  # no array at all
        dict(params=[query("page", "string")]),  # not a page number
        dict(params=[query("offset")], method="post"),  # only reads are inferred
        dict(params=[query("start"), query("limit")]),  # "start" is as often a time as an offset
        # Google's aggregated lists: `items` is a map; the one array is something else
        dict(params=[query("pageToken", "string")], body=obj(items={"type": "object", "additionalProperties": ITEMS}, unreachables={"type": "array", "items": {"type": "string"}}, nextPageToken={"type": "string"})),
    ],
)
def test_what_is_not_taken_for_pagination(case):
    op, _ = operation(**case)
    assert op.pagination is None


# -- declarations -----------------------------------------------------------------------------


def test_x_codegen_pagination_declares_any_names():
    body = obj(result=obj(entries=ITEMS), meta=obj(continuation={"type": "string"}))
    declared = {"style": "cursor", "param": "resume", "items": "result.entries", "next_cursor": "$.meta.continuation"}
    p, warnings = paged([query("resume", "string")], body, **{"x-codegen-pagination": declared})
    assert warnings == []
    assert (p.style, p.cursor_param, p.items, p.next_cursor, p.source) == (
        "cursor", "resume", ("result", "entries"), ("meta", "continuation"), "x-codegen-pagination",
    )


def test_x_codegen_pagination_false_switches_inference_off():
    assert paged([query("offset")], **{"x-codegen-pagination": False})[0] is None


def test_declarations_are_checked_against_the_operation():
    p, warnings = paged([query("cursor", "string")], **{"x-codegen-pagination": {"style": "cursor", "param": "nope", "next_cursor": "x"}})
    assert p is None
    assert any("'nope' is not a parameter" in w for w in warnings)
    assert any("'x' is not a field" in w for w in warnings)
    p, warnings = paged(**{"x-codegen-pagination": {"style": "sideways"}})
    assert p is None and "style must be one of" in warnings[0]


def test_x_speakeasy_pagination():
    declared = {
        "type": "offsetLimit",
        "inputs": [{"name": "skip", "in": "parameters", "type": "offset"}, {"name": "top", "in": "parameters", "type": "limit"}],
        "outputs": {"results": "$.rows"},
    }
    p, warnings = paged([query("skip"), query("top", default=50)], obj(rows=ITEMS), **{"x-speakeasy-pagination": declared})
    assert warnings == []
    assert (p.style, p.cursor_param, p.limit_param, p.limit_default, p.items) == ("offset", "skip", "top", 50, ("rows",))
    cursor = {"type": "cursor", "inputs": [{"name": "after", "in": "parameters", "type": "cursor"}], "outputs": {"nextCursor": "$.next", "results": "$.data"}}
    p, _ = paged([query("after", "string")], obj(data=ITEMS, next={"type": "string"}), **{"x-speakeasy-pagination": cursor})
    assert (p.style, p.next_cursor) == ("cursor", ("next",))
    url = {"type": "url", "outputs": {"nextUrl": "$.links.next", "results": "$.data"}}
    p, _ = paged([], obj(data=ITEMS, links=obj(next={"type": "string"})), **{"x-speakeasy-pagination": url})
    assert (p.style, p.next_url) == ("next_url", ("links", "next"))


def test_x_fern_pagination():
    declared = {"cursor": "$request.starting_after", "next_cursor": "$response.page.next", "results": "$response.data"}
    p, _ = paged([query("starting_after", "string")], obj(data=ITEMS, page=obj(next={"type": "string"})), **{"x-fern-pagination": declared})
    assert (p.style, p.cursor_param, p.next_cursor, p.items) == ("cursor", "starting_after", ("page", "next"), ("data",))
    pages = {"offset": "$request.page_number", "results": "$response.results", "has-next-page": "$response.more"}
    p, _ = paged([query("page_number")], obj(results=ITEMS, more={"type": "boolean"}), **{"x-fern-pagination": pages})
    assert (p.style, p.cursor_param, p.has_more) == ("page", "page_number", ("more",))  # fern's offset steps by one page
    step = {"offset": "$request.offset", "step": "$request.limit", "results": "$response.results"}
    p, _ = paged([query("offset"), query("limit")], obj(results=ITEMS), **{"x-fern-pagination": step})
    assert (p.style, p.limit_param) == ("offset", "limit")


def test_the_codegen_extension_wins_over_the_others():
    ours = {"style": "offset", "param": "offset"}
    theirs = {"type": "offsetLimit", "inputs": [{"name": "page", "in": "parameters", "type": "page"}]}
    p, _ = paged([query("offset"), query("page")], **{"x-codegen-pagination": ours, "x-speakeasy-pagination": theirs})
    assert (p.style, p.source) == ("offset", "x-codegen-pagination")


# -- the report -------------------------------------------------------------------------------


def test_generate_reports_what_it_took_to_be_paginated_and_why(tmp_path, capsys):
    assert main(["generate", str(ROOT / "specs" / "domain.yaml"), "-o", str(tmp_path / "d"), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "Paginated operations (9):" in out
    assert "paging.list_by_link" in out and 'the Link header\'s rel="next"' in out
    assert "because: query parameter 'offset' is an offset; items in 'results'" in out
    assert "[x-speakeasy-pagination]" in out and "paging.list_not_paged" not in out
    assert "header_key ($DOMAIN_HEADER_KEY)" in out and "client_id ($DOMAIN_CLIENT_ID)" in out
    assert main(["generate", str(ROOT / "specs" / "petstore.yaml"), "-o", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "Paginated operations (1):\n  pets.list  offset: `offset`" in out and "because" not in out
    assert "Credentials (1 security scheme): api_key ($PETSTORE_API_KEY)" in out


def test_a_report_without_pagination_says_so():
    api, _ = build_api({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}})
    assert domain_report(api) == ["Paginated operations: none"]


# -- GitHub -------------------------------------------------------------------------------------

GITHUB = SHARED / "corpus" / "dev" / "github__api.github.com.json"


@pytest.fixture(scope="module")
def github():
    if not GITHUB.is_file():
        pytest.skip("GitHub's spec is not in the shared corpus")
    from generator.spec import load
    from generator.spec.normalize import normalize

    document = load(GITHUB)
    root, _ = normalize(document.root, diagnostic=document.diagnostic)
    api, _ = build_api(root, locate=document.diagnostic)
    return {f"{g.name}.{op.name}": op for g in api.groups for op in g.operations}


@pytest.mark.parametrize(
    "name",
    [
        "issues.list_for_repo",
        "repos.list_for_org",
        "pulls.list",
        "repos.list_commits",
        "users.list_followers_for_user",
        "apps.list_webhook_deliveries",  # a cursor the body does not carry: the Link header has it
    ],
)
def test_githubs_list_operations_page_by_link_header(github, name):
    pagination = github[name].pagination
    assert pagination is not None and pagination.style == "link", name
    assert pagination.items == ()  # the body is the list


def test_github_lists_under_a_field_page_by_number(github):
    runs = github["actions.list_workflow_runs_for_repo"].pagination
    assert runs is not None and runs.style in ("link", "page") and runs.items == ("workflow_runs",)
    search = github["search.repos"].pagination
    assert (search.style, search.items, search.cursor_param, search.limit_param) == ("page", ("items",), "page", "per_page")
    assert search.limit_default == 30 and search.total == ("total_count",)


def test_github_single_resources_are_not_paginated(github):
    for name in ("repos.get", "issues.get", "users.get_authenticated", "repos.get_commit"):
        assert github[name].pagination is None, name
    paginated = [op for op in github.values() if op.pagination is not None]
    assert len(paginated) > 250
    assert sum(op.pagination.style == "link" for op in paginated) > 190
