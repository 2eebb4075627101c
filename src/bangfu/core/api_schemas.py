"""Schemas every app's API shares: one ``ErrorOut`` (a refusal, or ninja's validation errors),
so the OpenAPI document has one component of that name."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    # A refusal of the service is a message and its fields; a request that fails validation is
    # ninja's list of errors (each naming the field in ``loc``), documented here as well.
    detail: str | list[dict]
    fields: dict[str, str] = {}
