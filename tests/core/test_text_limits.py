"""One limit per text field, the same in forms and API schemas (issue 14, defect 5).

Structural checks: every text field of every form has a limit, every string and list in the
API's request bodies and query parameters has one too, and every request body refuses
forbidden characters and bodies that are not objects (it is an ``InputSchema``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any, get_args, get_origin

from django import forms
from ninja import Router

import mentorbridge
from config.api import api
from mentorbridge.core.schemas import InputSchema

# Passwords are hashed, never stored or shown: Django's auth forms take any length.
PASSWORDS = {"password", "old_password", "new_password1", "new_password2"}
# Every API module is checked; list a module or path here only with a reason.
NOT_YET_CHECKED_MODULES: set[str] = set()
NOT_YET_CHECKED_PATHS: tuple[str, ...] = ()
# Formats whose length the format itself bounds (or files, bounded by the upload limits).
BOUNDED_FORMATS = {"date", "date-time", "email", "binary"}


def _all_forms() -> Iterator[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(mentorbridge.__path__, "mentorbridge."):
        if not any(part in module.name for part in ("matching_engine", "migrations", "management")):
            importlib.import_module(module.name)

    def below(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    for cls in set(below(forms.BaseForm)):
        if cls.__module__.startswith("mentorbridge") and hasattr(cls, "base_fields"):
            yield cls


def test_every_text_field_of_every_form_has_a_limit() -> None:
    unlimited = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _all_forms()
        for name, field in cls.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field, forms.CharField) and field.max_length is None and name not in PASSWORDS
    ]
    assert not unlimited, unlimited


def _unbounded(node: dict[str, Any], where: str, schemas: dict[str, Any]) -> Iterator[str]:
    while "$ref" in node:
        node = schemas[node["$ref"].rsplit("/", 1)[-1]]
    for alternative in node.get("anyOf", []) + node.get("allOf", []):
        yield from _unbounded(alternative, where, schemas)
    kind = node.get("type")
    bounded = {"enum", "maxLength"} & set(node) or node.get("format") in BOUNDED_FORMATS
    if kind == "string" and not bounded:
        yield where
    if kind == "array":
        if "maxItems" not in node:
            yield f"{where} (number of items)"
        yield from _unbounded(node.get("items", {}), f"{where}.N", schemas)
    for name, child in node.get("properties", {}).items():
        yield from _unbounded(child, f"{where}.{name}", schemas)


def test_every_string_and_list_the_api_takes_has_a_limit(db: None) -> None:
    schema = api.get_openapi_schema()
    schemas = schema["components"]["schemas"]
    unlimited = []
    for path, item in schema["paths"].items():
        if any(part in path for part in NOT_YET_CHECKED_PATHS):
            continue
        for method, operation in item.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found = _unbounded(content["schema"], "body", schemas)
                unlimited += [f"{method.upper()} {path}: {f}" for f in found]
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":  # one URL segment: the server bounds it
                    continue
                found = _unbounded(parameter["schema"], parameter["name"], schemas)
                unlimited += [f"{method.upper()} {path}: {f}" for f in found]
    assert not unlimited, unlimited


def _routers(prefix: str, router: Router) -> Iterator[tuple[str, Router]]:
    yield prefix, router
    for sub_prefix, sub, _tags in router._routers:
        yield from _routers(prefix + sub_prefix, sub)


def test_every_request_body_is_an_input_schema() -> None:
    """So a body of ``true`` is refused and NUL bytes never reach the database."""
    loose = []
    for prefix, top in api._routers:
        for where, router in _routers(prefix, top):
            for path, view in router.path_operations.items():
                for operation in view.operations:
                    for model in operation.models:
                        if getattr(model, "__ninja_param_source__", None) != "body":
                            continue
                        for name, field in model.model_fields.items():
                            kind = field.annotation
                            if get_origin(kind) is list:  # a list of objects: each one
                                (kind,) = get_args(kind)
                            if getattr(kind, "__module__", "") in NOT_YET_CHECKED_MODULES:
                                continue
                            if not (isinstance(kind, type) and issubclass(kind, InputSchema)):
                                loose.append(f"{operation.methods} {where}{path} {name}: {kind}")
    assert not loose, loose


def test_the_enrollment_decision_body_is_documented_as_itself(db: None) -> None:
    """Two request bodies with one class name shared one schema (the goal review's decision
    documented the enrollment decision)."""
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/programs/{slug}/enrollments/{enrollment_id}/decision"]
    ref = operation["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(body["properties"]) == {"approve"}
