"""Personal access tokens: made and revoked on the workbench page, checked on every call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yuanqu.api.models import AccessToken
from yuanqu.api.tokens import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_only_its_hash_is_kept(login_as, investment_officer):
    client = login_as(investment_officer)
    response = client.post(
        "/workbench/api-tokens/", {"name": "园区小程序", "scope": "read", "days": "90"}
    )
    page = response.content.decode()
    token = AccessToken.objects.get()
    raw = page.split('<code class="wb-secret">')[1].split("</code>")[0]
    assert raw.startswith(token.prefix) and raw not in token.token_hash
    assert response["Cache-Control"] == "private, no-store"
    assert raw not in client.get("/workbench/api-tokens/").content.decode()


def test_a_token_without_a_purpose_is_refused_in_chinese(login_as, investment_officer):
    response = login_as(investment_officer).post(
        "/workbench/api-tokens/", {"name": "  ", "scope": "read", "days": "90"}
    )
    assert response.status_code == 400 and "请写明令牌的用途" in response.content.decode()
    assert not AccessToken.objects.exists()


def test_leadership_may_make_read_tokens_only(login_as, leadership):
    client = login_as(leadership)
    refused = client.post(
        "/workbench/api-tokens/", {"name": "大屏", "scope": "read_write", "days": "90"}
    )
    assert refused.status_code == 400 and not AccessToken.objects.exists()
    client.post("/workbench/api-tokens/", {"name": "大屏", "scope": "read", "days": "90"})
    assert AccessToken.objects.get().scope == AccessToken.Scope.READ


def test_a_user_revokes_only_their_own_tokens(login_as, investment_officer, park_manager):
    theirs, _raw = token_create(user=park_manager, name="x", scope="read", days=30)
    response = login_as(investment_officer).post(f"/workbench/api-tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_expired_and_revoked_tokens_do_not_authenticate(investment_officer):
    token, raw = token_create(user=investment_officer, name="x", scope="read", days=30)
    assert token_authenticate(raw) == token
    assert token_authenticate(raw, now=timezone.now() + timedelta(days=31)) is None
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert token_authenticate(raw) is None


def test_a_token_with_one_character_changed_does_not_authenticate(investment_officer):
    _token, raw = token_create(user=investment_officer, name="x", scope="read", days=30)
    changed = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert token_authenticate(changed) is None
