import pytest

from config.env import tile_source


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_third_party_scripts(client):
    response = client.get("/healthz")

    policy = response["Content-Security-Policy"]
    script_sources = next(part for part in policy.split(";") if "script-src" in part)
    assert "'self'" in script_sources
    assert "http" not in script_sources
    assert "frame-ancestors 'none'" in policy


def test_tile_sources_cover_lettered_subdomains():
    assert (
        tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    )


def test_tile_sources_keep_a_plain_host():
    assert (
        tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
        == "https://tile.openstreetmap.org"
    )
