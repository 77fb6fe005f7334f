"""Parameter serialization against the OpenAPI specification's table of style examples.

The table's values: color = "blue", ["blue", "black", "brown"] or {"R": 100, "G": 200, "B": 150}.
Label style without explode follows RFC 6570 (and OpenAPI 3.1.1+): ".blue,black,brown".
"""

from __future__ import annotations

import pytest

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}


@pytest.fixture
def e(petstore):
    return petstore._encode


@pytest.mark.parametrize(
    "style, explode, value, expected",
    [
        ("simple", False, STRING, "blue"),
        ("simple", False, ARRAY, "blue,black,brown"),
        ("simple", False, OBJECT, "R,100,G,200,B,150"),
        ("simple", True, ARRAY, "blue,black,brown"),
        ("simple", True, OBJECT, "R=100,G=200,B=150"),
        ("label", False, STRING, ".blue"),
        ("label", False, ARRAY, ".blue,black,brown"),
        ("label", False, OBJECT, ".R,100,G,200,B,150"),
        ("label", True, ARRAY, ".blue.black.brown"),
        ("label", True, OBJECT, ".R=100.G=200.B=150"),
        ("matrix", False, "", ";color"),
        ("matrix", False, STRING, ";color=blue"),
        ("matrix", False, ARRAY, ";color=blue,black,brown"),
        ("matrix", False, OBJECT, ";color=R,100,G,200,B,150"),
        ("matrix", True, ARRAY, ";color=blue;color=black;color=brown"),
        ("matrix", True, OBJECT, ";R=100;G=200;B=150"),
        ("", None, ARRAY, "blue,black,brown"),  # the default: simple, no explode
    ],
)
def test_path_styles(e, style, explode, value, expected):
    assert e.path_param("color", value, style, explode) == expected


@pytest.mark.parametrize(
    "style, explode, value, expected",
    [
        ("form", False, "", ["color="]),
        ("form", False, STRING, ["color=blue"]),
        ("form", False, ARRAY, ["color=blue,black,brown"]),
        ("form", False, OBJECT, ["color=R,100,G,200,B,150"]),
        ("form", True, ARRAY, ["color=blue", "color=black", "color=brown"]),
        ("form", True, OBJECT, ["R=100", "G=200", "B=150"]),
        ("spaceDelimited", False, ARRAY, ["color=blue%20black%20brown"]),
        ("spaceDelimited", False, OBJECT, ["color=R%20100%20G%20200%20B%20150"]),
        ("pipeDelimited", False, ARRAY, ["color=blue|black|brown"]),
        ("pipeDelimited", False, OBJECT, ["color=R|100|G|200|B|150"]),
        ("spaceDelimited", True, ARRAY, ["color=blue", "color=black", "color=brown"]),
        ("deepObject", True, OBJECT, ["color%5BR%5D=100", "color%5BG%5D=200", "color%5BB%5D=150"]),
        ("deepObject", True, {"a": {"b": 1}}, ["color%5Ba%5D%5Bb%5D=1"]),
        ("", None, ARRAY, ["color=blue", "color=black", "color=brown"]),  # the default: form, explode
        ("json", None, OBJECT, ["color=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D"]),
    ],
)
def test_query_styles(e, style, explode, value, expected):
    assert e.query_params("color", value, style, explode) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, ["flag=true"]),
        (None, ["flag="]),
        ("a&b=c+d", ["flag=a%26b%3Dc%2Bd"]),  # reserved characters of a value never split it
        (["x,y", "z"], ["flag=x%2Cy", "flag=z"]),
    ],
)
def test_query_values_are_escaped(e, value, expected):
    assert e.query_params("flag", value) == expected


def test_header_and_cookie_styles(e):
    assert e.header_param("X", ARRAY) == "blue,black,brown"
    assert e.header_param("X", OBJECT) == "R,100,G,200,B,150"
    assert e.header_param("X", OBJECT, "", True) == "R=100,G=200,B=150"
    assert e.cookie_params("color", ARRAY, "", False) == ["color=blue,black,brown"]
    assert e.cookie_params("color", STRING) == ["color=blue"]


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\0b"])
def test_header_values_reject_line_breaks_and_nul(e, bad):
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        e.header_param("X-Thing", bad)
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        e.header_param("X-Thing", ["ok", bad])


@pytest.mark.parametrize("value", [".", "..", "...", "a/b", "../../etc", "%2e%2e"])
def test_path_values_are_single_segments_that_are_never_dot_segments(e, value):
    encoded = e.path_param("p", value)
    assert "/" not in encoded and encoded not in (".", "..")
    assert encoded.strip(".") != ""


def test_form_and_multipart_bodies(e, petstore):
    assert e.form_urlencoded({"a": [1, 2], "b": True, "c": {"x": "y z"}}) == b"a=1&a=2&b=true&x=y+z"
    parts = e.multipart_parts({"f": b"data", "n": 5, "o": {"k": 1}, "l": ["x", "y"]})
    assert parts == [
        ("f", b"data"),
        ("n", (None, b"5", None)),
        ("o", (None, b'{"k":1}', "application/json")),
        ("l", (None, b"x", None)),
        ("l", (None, b"y", None)),
    ]
