"""Parameters on the wire, exactly as their OpenAPI style and explode say, as the live server
received them (raw path, raw query, headers)."""

from __future__ import annotations

import datetime

import pytest


def test_path_parameters_in_every_style(workbench, wb):
    Color = workbench.models.Color
    echo = wb.styles.path(
        plain="a b/c",
        list=["x", "y,z"],
        obj=Color(r=1, g=2, b=3),  # simple, explode: true
        label=["l1", "l2"],
        matrix=["m1", "m2"],
        exploded=Color(r=1, g=2),  # matrix, explode: true
    )
    assert echo.path == "/api/styles/path/a%20b%2Fc/x,y%2Cz/R=1,G=2,B=3/.l1,l2/;matrix=m1,m2/;R=1;G=2"


@pytest.mark.parametrize(
    "value, raw",
    [
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("?q=1#f", "%3Fq%3D1%23f"),
        ("100%", "100%25"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
def test_path_values_can_never_change_the_path(workbench, wb, workbench_server, value, raw):
    echo = wb.styles.get_item(item_id=value)
    assert echo.path == f"/api/items/{raw}"
    assert workbench_server.last_request.path_params["itemId"] == value


def test_query_header_and_cookie_parameters_in_every_style(workbench, wb):
    Color = workbench.models.Color
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    echo = wb.styles.query(
        repeated=["a", "b c"],  # form, explode: true (the default)
        commas=["a", "b,c"],  # form, explode: false; a comma inside a value stays escaped
        spaces=[1, 2],
        pipes=["p", "q"],
        deep=Color(r=1, g=2),
        flat=Color(r=1, b=3),  # form, explode: false on an object
        filter=Color(r=9),  # content: application/json
        when=when,
        x_list=["h1", "h2"],
        x_color=Color(r=1, g=2),
        theme="dark mode",
    )
    assert echo.query == (
        "repeated=a&repeated=b%20c&commas=a,b%2Cc&spaces=1%202&pipes=p|q"
        "&deep%5BR%5D=1&deep%5BG%5D=2&flat=R,1,B,3&filter=%7B%22R%22%3A9%7D"
        "&when=2024-01-02T03%3A04%3A05%2B00%3A00"
    )
    assert echo.headers["x-list"] == "h1,h2"
    assert echo.headers["x-color"] == "R=1,G=2"
    assert echo.headers["cookie"] == "theme=dark%20mode"


def test_parameters_left_out_are_not_sent(workbench, wb):
    echo = wb.styles.query()
    assert echo.query == "" and "x-list" not in echo.headers and "cookie" not in echo.headers


def test_a_header_value_with_a_line_break_is_refused(workbench, wb, workbench_server):
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        wb.styles.query(x_list=["ok", "bad\r\nX-Injected: 1"])
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        wb.payments.create(amount=1, currency="EUR", idempotency_key="k\n")
    assert workbench_server.requests == []


def test_an_empty_or_missing_path_value_is_refused(workbench, wb, workbench_server):
    with pytest.raises(ValueError, match="'itemId' must not be empty"):
        wb.styles.get_item(item_id="")  # "/items/" would be another resource
    with pytest.raises(ValueError, match="'itemId' must be given"):
        wb.styles.get_item(item_id=None)  # type: ignore[arg-type]
    assert workbench_server.requests == []
