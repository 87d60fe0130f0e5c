"""Calling the staff endpoints with a fresh personal access token of a test user."""

import json

from yuanqu.api.tokens import token_create


def bearer(user, scope="read_write"):
    _token, raw = token_create(user=user, name="测试", scope=scope, days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def call(client, method, path, headers, body=None):
    kwargs = (
        {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    )
    response = getattr(client, method)("/api/v1" + path, **kwargs, **headers)
    return response.status_code, response.json()
