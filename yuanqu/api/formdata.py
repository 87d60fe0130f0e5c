"""The bridge from a JSON body to the Django form the HTML page uses, so the API keeps
no second copy of any field rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict

from yuanqu.api.errors import ApiError


def as_form_data(values: Mapping[str, Any]) -> QueryDict:
    """What a browser would post for these values: lists as repeated keys, a true
    checkbox as "on", a false one and a null left out."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def form_refused(form: Any, message: str = "填写有误,请按 fields 中的说明修改。") -> ApiError:
    fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    return ApiError(400, "invalid", message, fields)


def validation_refused(error: ValidationError) -> ApiError:
    """A service's refusal (its ValidationError) as a 400 naming the fields at fault."""
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for e in errors for m in e.messages]
                  for name, errors in error.error_dict.items()}  # fmt: skip
    else:
        fields = {"request": list(error.messages)}
    return ApiError(
        400, "invalid", "未能保存:" + ";".join(m for ms in fields.values() for m in ms), fields
    )
