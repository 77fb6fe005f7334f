"""The cache's helpers that are not one memo's own."""

from __future__ import annotations

from importlib import metadata

from generator.cache import installed_versions


def test_installed_versions_are_those_importlib_metadata_finds():
    names = ["openapi-spec-validator", "Jinja2", "PyYAML", "black", "httpx", "jsonschema_path"]
    assert installed_versions(names) == {name: metadata.version(name) for name in names}


def test_a_distribution_that_is_not_installed_has_no_version():
    assert installed_versions(["no-such-distribution-anywhere"]) == {}
