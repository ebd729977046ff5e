"""Small result types shared by the validation modules."""

from __future__ import annotations

from typing import NamedTuple


class FieldError(NamedTuple):
    """One problem at one field path of one object (``spec.rules[0]``; ``""`` = the object)."""

    field: str
    message: str


class ValidationUnavailable(Exception):
    """A validation backend (jsonschema, cel-expr-python) cannot be imported."""


# Phrased to hold whether jsonschema/cel-expr-python are default dependencies (issue 19)
# or still the ``validate`` extra: installing the two packages is right either way.
INSTALL_HINT = (
    "offline validation needs Python >= 3.11 with jsonschema and cel-expr-python "
    "(dependencies of gwshift; install them with: pip install jsonschema cel-expr-python)"
)
