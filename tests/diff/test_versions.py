"""`codegen diff` on real APIs at two versions each (../shared/specs/versions).

Every fact asserted here was checked against the two JSON documents by hand.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from generator.diff import Change, compare, load_surface, semver

from .pairs import only

VERSIONS = Path(__file__).resolve().parents[3] / "shared" / "specs" / "versions"

pytestmark = pytest.mark.skipif(not VERSIONS.is_dir(), reason="needs ../shared/specs/versions")


@cache
def changes(old: str, new: str) -> list[Change]:
    return compare(load_surface(VERSIONS / f"{old}.json"), load_surface(VERSIONS / f"{new}.json"))


def vault() -> list[Change]:
    return changes("apideck.com_vault@9.1.0", "apideck.com_vault@10.0.0")


def workstations() -> list[Change]:
    return changes("googleapis.com_workstations@v1beta", "googleapis.com_workstations@v1")


def twilio() -> list[Change]:
    return changes("twilio.com_twilio_messaging_v1@1.39.1", "twilio.com_twilio_messaging_v1@1.55.0")


def count(found: list[Change], kind: str, subject: str) -> int:
    return sum(1 for c in found if (c.kind, c.subject) == (kind, subject))


def test_vault_10_only_adds_to_the_client_despite_its_major_version():
    found = vault()
    assert semver(found) == "minor" and not [c for c in found if c.breaking]
    added = {c.path for c in found if (c.kind, c.subject) == ("added", "operation")}
    assert added == {
        "connections.custom_fields_all",
        "connections.example",
        "connections.schema",
        "custom_mappings.add",
        "custom_mappings.delete",
        "custom_mappings.one",
        "custom_mappings.update",
    }
    assert only(found, "Connection.custom_mappings").detail == "list[CustomMapping], optional"
    assert only(found, "connections.add(custom_mappings=)").bump == "minor"
    assert only(found, "ConnectionState.INVALID").detail == "'invalid'"


def test_vault_unused_model_becoming_nullable_is_only_noted():
    # ConnectionWebhook is in components but no operation sends or returns it.
    change = only(vault(), "ConnectionWebhook.created_at")
    assert (change.detail, change.bump) == ("now nullable", "patch")


def test_vault_backwards_is_major():
    found = changes("apideck.com_vault@10.0.0", "apideck.com_vault@9.1.0")
    assert semver(found) == "major"
    assert only(found, "custom_mappings.add").kind == "removed"
    assert count(found, "removed", "operation") == 7


def test_workstations_v1_moves_every_path_and_adds_one_operation():
    found = workstations()
    assert semver(found) == "minor" and not [c for c in found if c.breaking]
    assert only(found, "projects.workstations_locations_list").kind == "added"
    endpoints = [c for c in found if c.subject == "endpoint"]
    assert len(endpoints) == 19 and all(c.bump == "patch" and "/v1beta/" in c.detail for c in endpoints)
    assert only(found, "projects.workstations_locations_workstation_clusters_workstation_configs_workstations_get").detail == (
        "GET /v1beta/{name} -> GET /v1/{name}"
    )
    assert {c.path for c in found if (c.kind, c.subject) == ("added", "model")} == {
        "DomainConfig",
        "ListLocationsResponse",
        "Location",
        "ReadinessCheck",
    }
    assert only(found, "GceInstance.pooled_instances").detail == "int, optional"


def test_twilio_tags_regroup_every_operation_so_the_client_breaks():
    # 1.55.0 tags every operation, and groups follow tags: services.create is now
    # messaging_v1_service.create_service. A minor release of the API, a major one of the client.
    found = twilio()
    assert semver(found) == "major"
    assert Counter((c.kind, c.subject) for c in found if c.breaking) == {
        ("removed", "operation"): 41,
        ("removed", "field"): 2,
    }
    assert count(found, "added", "operation") == 50
    assert "renamed to messaging_v1_service.create_service?" in only(found, "services.create").detail


def test_twilio_removed_response_fields():
    found = twilio()
    for path in ("MessagingV1DomainCertV4.validated", "MessagingV1DomainConfig.messaging_service_sids"):
        change = only(found, path)
        assert change.kind == "removed" and change.breaking and "AttributeError" in change.reason
    assert only(found, "MessagingV1DomainConfig.disable_https").bump == "minor"
