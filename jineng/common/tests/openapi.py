"""Checking API responses against the OpenAPI document the API publishes at /api/v1/openapi.json."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator


class OpenAPIDocument:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self._templates = [
            (re.compile("^" + re.sub(r"\{[^}/]+\}", "[^/]+", path) + "$"), path) for path in spec["paths"]
        ]

    def path_template(self, path: str) -> str:
        if path in self.spec["paths"]:
            return path
        matches = [template for pattern, template in self._templates if pattern.match(path)]
        assert matches, f"{path} is not in the OpenAPI document"
        return min(matches, key=lambda t: t.count("{"))

    def operation(self, method: str, path: str) -> dict[str, Any]:
        template = self.path_template(path)
        op = self.spec["paths"][template].get(method.lower())
        assert op is not None, f"{method} {template} is not in the OpenAPI document"
        return dict(op)

    def response_schema(self, method: str, path: str, status: int) -> dict[str, Any]:
        responses = self.operation(method, path)["responses"]
        declared = responses.get(str(status)) or responses.get("default")
        assert declared is not None, f"{method} {path} does not declare status {status}"
        return dict(declared["content"]["application/json"]["schema"])

    def validate(self, response: Any) -> Any:
        """Validate a test client response's JSON body against the schema of its operation and status."""
        request = response.request
        body = response.json()
        schema = {
            **self.response_schema(request["REQUEST_METHOD"], request["PATH_INFO"], response.status_code),
            "components": self.spec["components"],
        }
        OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER).validate(body)
        return body


@pytest.fixture(scope="session")
def openapi() -> OpenAPIDocument:
    from django.test import Client

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return OpenAPIDocument(response.json())
