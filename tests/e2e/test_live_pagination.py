"""Pagination against live servers: every style of specs/domain.yaml (and the petstore's
offset paging) yields every item exactly once, fetches pages lazily, with the fewest requests
the API's signals allow, and stops on a looping or paging-blind API instead of running on."""

from __future__ import annotations

import pytest

from tests.servers import domain as srv
from tests.servers.base import LiveServer, Reply, Request

STYLES = [
    # (method, items per page by default, ends on): how many requests n items take
    "list_by_cursor",
    "list_by_offset",
    "list_by_page",
    "list_by_link",
    "list_by_next_url",
    "list_by_has_more",
    "list_declared",
    "list_speakeasy",
    "list_fern",
]


@pytest.fixture
def client(domain, domain_server):
    with domain.Domain(base_url=domain_server.base_url, header_key=srv.HEADER_KEY, max_retries=0) as client:
        yield client


def _ids(items):
    return [item.id for item in items]


def _requests(server):
    return [r for r in server.requests if r.path.startswith("/api/paging/")]


def _expected_requests(method: str, n: int) -> int:
    """The fewest requests each style allows for n items (page size 10, fern's 7)."""
    size = 7 if method == "list_fern" else 10
    full, rest = divmod(n, size)
    if method in ("list_by_offset",):  # the total says when to stop
        return max(1, full + (rest > 0))
    if method in ("list_by_page", "list_speakeasy"):  # only a short (or empty) page says so
        return full + 1
    return max(1, full + (rest > 0))  # a next cursor, link or URL, or has_more, says so


@pytest.mark.parametrize("method", STYLES)
@pytest.mark.parametrize("n", [0, 1, 10, 23])
def test_iterating_yields_every_item_once(client, domain_server, method, n):
    ids = domain_server.set_items(n)
    assert _ids(getattr(client.paging, method)()) == ids
    requests = _requests(domain_server)
    assert len(requests) == _expected_requests(method, n), [r.target for r in requests]
    assert all(r.headers["X-Key"] == srv.HEADER_KEY for r in requests)  # every page authenticated


def test_the_page_parameter_moves_and_the_others_stay(client, domain_server):
    domain_server.set_items(12)
    assert len(_ids(client.paging.list_by_cursor(limit=5))) == 12
    assert [r.raw_query for r in _requests(domain_server)] == ["limit=5", "cursor=c5&limit=5", "cursor=c10&limit=5"]
    domain_server.clear_requests()
    assert len(_ids(client.paging.list_by_offset(limit=5, offset=2))) == 10
    assert [r.raw_query for r in _requests(domain_server)] == ["offset=2&limit=5", "offset=7&limit=5"]
    domain_server.clear_requests()
    assert len(_ids(client.paging.list_by_has_more(limit=5))) == 12
    assert [r.raw_query for r in _requests(domain_server)] == [
        "limit=5",
        "starting_after=i004&limit=5",
        "starting_after=i009&limit=5",
    ]
    domain_server.clear_requests()
    assert len(_ids(client.paging.list_by_link(per_page=5))) == 12
    assert [r.raw_query for r in _requests(domain_server)] == ["per_page=5", "page=2&per_page=5", "page=3&per_page=5"]
    domain_server.clear_requests()
    assert len(_ids(client.paging.list_by_page(page=2, per_page=5))) == 7  # from where the caller began
    assert [r.raw_query for r in _requests(domain_server)] == ["page=2&per_page=5", "page=3&per_page=5"]


def test_pages_are_fetched_lazily(client, domain_server):
    domain_server.set_items(35)
    for index, _ in enumerate(client.paging.list_by_cursor()):
        if index == 4:
            break
    assert len(_requests(domain_server)) == 1
    client.paging.list_by_link()
    assert len(_requests(domain_server)) == 2  # the call fetches the first page, no more


def test_manual_control_of_pages(domain, client, domain_server):
    domain_server.set_items(23)
    page = client.paging.list_by_cursor()
    assert isinstance(page, domain.SyncPage)
    assert _ids(page.items) == [f"i{k:03d}" for k in range(10)]
    assert page.response.status_code == 200 and page.body.next_cursor == "c10"
    assert page.has_next_page()
    second = page.next_page()
    assert _ids(second.items)[0] == "i010" and second.has_next_page()
    last = second.next_page()
    assert len(last.items) == 3 and not last.has_next_page() and last.body.next_cursor is None
    with pytest.raises(RuntimeError, match="last page"):
        last.next_page()
    assert [len(p.items) for p in page.pages()] == [10, 10, 3]
    assert list(last) == last.items  # iterating a page starts from it
    assert "3 items, last page" in repr(last)


def test_the_first_page_and_its_response_stay_available_raw(client, domain_server):
    domain_server.set_items(15)
    raw = client.paging.with_raw_response.list_by_offset()
    assert raw.status_code == 200 and raw.json()["total"] == 15
    page = raw.parse()
    assert page.body.total == 15 and len(page.items) == 10
    assert len(_ids(page)) == 15
    with client.paging.with_streaming_response.list_by_next_url(limit=4) as response:
        assert len(_ids(response.parse())) == 15


def test_a_not_paged_list_is_a_plain_list(client, domain_server):
    domain_server.set_items(3)
    assert _ids(client.paging.list_not_paged()) == ["i000", "i001", "i002"]
    assert isinstance(client.paging.list_not_paged(), list)


def test_relative_next_links_resolve_against_the_response(client, domain_server):
    domain_server.set_items(12)
    domain_server.link_base = ""  # "/api/paging/...": a path without an origin
    assert len(_ids(client.paging.list_by_next_url(limit=5))) == 12
    assert len(_ids(client.paging.list_by_link(per_page=5))) == 12


# -- APIs that would make a naive client loop ---------------------------------------------


def test_a_cursor_that_does_not_move_ends_the_walk(client, domain_server):
    domain_server.set_items(30)
    domain_server.next_cursors = {"c10": "c10"}  # page 2 hands back its own cursor
    assert _ids(client.paging.list_by_cursor()) == [f"i{k:03d}" for k in range(20)]
    assert len(_requests(domain_server)) == 2


def test_a_cursor_seen_before_ends_the_walk(client, domain_server):
    domain_server.set_items(40)
    domain_server.next_cursors = {"c20": "c10"}  # page 3 points back to page 2
    assert _ids(client.paging.list_by_cursor()) == [f"i{k:03d}" for k in range(30)]
    assert len(_requests(domain_server)) == 3
    domain_server.clear_requests()
    assert len(_ids(client.paging.list_declared())) == 30
    assert len(_ids(client.paging.list_fern())) == 40  # fern's pages of 7 never reach c20 or c10


@pytest.mark.parametrize("method", ["list_by_offset", "list_by_page", "list_speakeasy", "list_by_link"])
def test_an_api_that_ignores_the_page_parameter_ends_the_walk(client, domain_server, method):
    domain_server.set_items(30)
    domain_server.ignore_paging = True
    assert _ids(getattr(client.paging, method)()) == [f"i{k:03d}" for k in range(10)]
    assert len(_requests(domain_server)) == 2  # the second page was the first again


def test_an_error_on_a_later_page_raises_while_iterating(domain, client, domain_server):
    domain_server.set_items(25)
    domain_server.fail_next(1, status=500, path="/api/paging/offset", method="GET")
    with pytest.raises(domain.InternalServerError):
        client.paging.list_by_offset()
    domain_server.clear_requests()
    seen = []
    page = client.paging.list_by_offset()
    domain_server.fail_next(1, status=500, path="/api/paging/offset", method="GET")
    with pytest.raises(domain.InternalServerError):
        for item in page:
            seen.append(item.id)
    assert len(seen) == 10


def test_credentials_do_not_follow_a_link_to_another_origin(domain, client, domain_server):
    other = LiveServer()

    @other.route("GET", "/api/paging/linked")
    def linked(request: Request) -> Reply:
        return Reply(200, json=[{"id": "elsewhere", "name": "x"}])

    with other:
        domain_server.set_items(15)
        domain_server.link_base = other.url
        assert _ids(client.paging.list_by_link()) == [f"i{k:03d}" for k in range(10)] + ["elsewhere"]
        assert "X-Key" not in other.last_request.headers and "Authorization" not in other.last_request.headers


# -- async -------------------------------------------------------------------------------------


async def test_async_iteration_and_pages(domain, domain_server):
    ids = domain_server.set_items(23)
    async with domain.AsyncDomain(base_url=domain_server.base_url, header_key=srv.HEADER_KEY) as client:
        for method in STYLES:
            assert [item.id async for item in getattr(client.paging, method)()] == ids, method
        page = await client.paging.list_by_next_url()
        assert isinstance(page, domain.AsyncPage) and len(page.items) == 10 and page.has_next_page()
        assert [len(p.items) async for p in page.pages()] == [10, 10, 3]
        second = await page.next_page()
        assert second.items[0].id == "i010"
        raw = await client.paging.with_raw_response.list_by_has_more()
        first = await raw.parse()
        assert [item.id async for item in first] == ids
        async with client.paging.with_streaming_response.list_by_page() as response:
            assert len([item async for item in await response.parse()]) == 23


# -- the petstore's list ------------------------------------------------------------------------


def test_petstore_lists_pets_page_by_page(petstore, petstore_server):
    for k in range(25):
        petstore_server.add_pet(f"pet{k}")
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        names = [pet.name for pet in client.pets.list()]
    assert names == [f"pet{k}" for k in reversed(range(25))]  # newest first, every pet once
    assert [r.raw_query for r in petstore_server.requests] == ["", "offset=20"]  # 5 < 20: the last page


async def test_petstore_async_list(petstore, petstore_server):
    for k in range(7):
        petstore_server.add_pet(f"pet{k}", status="sold" if k % 2 else "available")
    async with petstore.AsyncPetstore(base_url=petstore_server.base_url) as client:
        sold = [pet.name async for pet in client.pets.list(status="sold", limit=2)]
    assert sold == ["pet5", "pet3", "pet1"]
    assert [r.raw_query for r in petstore_server.requests] == [
        "limit=2&status=sold",
        "limit=2&offset=2&status=sold",
    ]


def test_a_page_size_above_the_apis_maximum_is_not_mistaken_for_the_last_page(domain, domain_server):
    """per_page has `maximum: 50`: asked for 80, the API serves 50, and a page of 50 is full."""
    domain_server.set_items(120)
    with domain.Domain(base_url=domain_server.base_url, header_key=srv.HEADER_KEY) as client:
        domain_server.cap_page_size = True
        assert len(_ids(client.paging.list_by_page(per_page=80))) == 120
    assert len(_requests(domain_server)) == 3
