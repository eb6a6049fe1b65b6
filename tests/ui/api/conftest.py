from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gridgov.data.access.tokens import create_token
from gridgov.data.org.models import User


class ApiClient:
    """A test client that authenticates with a personal API token, as another system would."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.token = create_token(user=user, name="tests").secret
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.client.post(path, data=data, content_type="application/json", headers=headers)


@pytest.fixture
def as_user():
    return ApiClient
