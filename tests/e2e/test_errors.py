"""The exception hierarchy, error bodies and messages, and validation of success bodies."""

from __future__ import annotations

import json

import httpx
import pytest

CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    503: "InternalServerError",
    418: "APIStatusError",
    451: "APIStatusError",
}


def test_the_hierarchy(workbench):
    w = workbench
    for name in set(CLASSES.values()) - {"APIStatusError"}:
        assert issubclass(getattr(w, name), w.APIStatusError)
    assert issubclass(w.APIStatusError, w.APIError) and issubclass(w.APIError, Exception)
    assert issubclass(w.APITimeoutError, w.APIConnectionError) and issubclass(w.APIConnectionError, w.APIError)
    assert issubclass(w.ResponseValidationError, w.APIError)
    assert not issubclass(w.APIConnectionError, w.APIStatusError)


@pytest.mark.parametrize("status", sorted(CLASSES))
def test_each_status_raises_its_class_with_the_declared_error_body(workbench, wb, workbench_server, status):
    with pytest.raises(workbench.APIStatusError) as info:
        wb.styles.get_problem(status=status, max_retries=0)
    error = info.value
    assert type(error).__name__ == CLASSES[status]
    assert error.status_code == status
    assert error.headers["content-type"] == "application/json"
    assert isinstance(error.request, httpx.Request) and error.request.method == "GET"
    assert isinstance(error.response, httpx.Response) and error.response.status_code == status
    # "4XX" and "5XX" declare a Problem: the body is decoded into it.
    assert isinstance(error.body, workbench.models.Problem)
    assert error.body.status == status and error.body.detail.startswith(f"you asked for {status}")
    url = f"{workbench_server.base_url}/problems/{status}"
    assert str(error) == f"GET {url} failed with status {status}: you asked for {status}"  # one line


def test_an_exact_status_wins_over_a_range_and_default(petstore, petstore_server):
    with petstore.Petstore(base_url=petstore_server.base_url) as client:
        with pytest.raises(petstore.UnprocessableEntityError) as info:
            client.pets.list(limit=0)  # 422 is declared with ValidationError, besides `default`
        assert isinstance(info.value.body, petstore.models.ValidationError)
        petstore_server.fail_next(1, status=418, body={"code": "teapot", "message": "I'm a teapot"})
        with pytest.raises(petstore.APIStatusError) as teapot:
            client.pets.list()
        assert isinstance(teapot.value.body, petstore.models.Error)  # `default`
        assert str(teapot.value).endswith("failed with status 418: I'm a teapot")


def test_an_error_body_off_its_schema_stays_json_and_text_stays_text(workbench, wb, workbench_server):
    workbench_server.fail_next(1, status=404, body={"unexpected": ["shape"]})
    with pytest.raises(workbench.NotFoundError) as info:
        wb.styles.get_problem(status=200)
    assert info.value.body == {"unexpected": ["shape"]}
    assert str(info.value).endswith("failed with status 404")
    workbench_server.fail_next(1, status=400, body="plain words\nand more", headers={"Content-Type": "text/plain"})
    with pytest.raises(workbench.BadRequestError) as text:
        wb.styles.get_problem(status=200)
    assert text.value.body == "plain words\nand more"
    assert str(text.value).endswith("failed with status 400: plain words")
    workbench_server.fail_next(1, status=400, body=b"", headers={"Content-Type": "text/plain"})
    with pytest.raises(workbench.BadRequestError) as empty:
        wb.styles.get_problem(status=200)
    assert empty.value.body == "" and str(empty.value).endswith("failed with status 400")


def test_streamed_and_raw_calls_raise_with_the_body_read(workbench, wb, workbench_server):
    with pytest.raises(workbench.NotFoundError) as info:
        with wb.files.with_streaming_response.get_blob(name="missing"):
            pass
    assert isinstance(info.value.body, workbench.models.Problem) and info.value.body.detail == "no blob 'missing'"
    with pytest.raises(workbench.NotFoundError):
        wb.files.with_raw_response.get_blob(name="missing")
    workbench_server.fail_next(1, status=400, body={"title": "no", "status": 400})
    with pytest.raises(workbench.BadRequestError) as events:
        wb.events.list()  # an event stream that fails raises before any event
    assert events.value.body == workbench.models.Problem(title="no", status=400)


def test_a_success_body_off_the_schema_names_the_json_path(workbench, wb, workbench_server):
    workbench_server.fail_next(1, status=200, body={"name": "b", "size": "big", "sha256": "x"})
    with pytest.raises(workbench.ResponseValidationError) as info:
        wb.files.put_blob(name="b", body=b"x")
    error = info.value
    assert error.path == "$.size" and error.status_code == 200
    assert "expected integer, got string" in str(error) and "PUT" in str(error)
    assert error.body == {"name": "b", "size": "big", "sha256": "x"}
    workbench_server.fail_next(1, status=200, body="<html>", headers={"Content-Type": "text/html"})
    with pytest.raises(workbench.ResponseValidationError, match="not JSON") as html:
        wb.files.put_blob(name="b", body=b"x")
    assert html.value.path == "$" and html.value.body == "<html>"


def test_forward_compatible_differences_are_accepted_and_kept(workbench, wb, workbench_server):
    body = {"seq": 1, "kind": "paused", "message": "m", "new_field": {"a": 1}}
    sse = f"data: {json.dumps(body)}\n\n"
    workbench_server.fail_next(1, status=200, body=sse, headers={"Content-Type": "text/event-stream"})
    (event,) = list(wb.events.list())
    assert event.kind == "paused"  # an enum value the spec does not list (yet)
    assert event.additional_properties == {"new_field": {"a": 1}}
