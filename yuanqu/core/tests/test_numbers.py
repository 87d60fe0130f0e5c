from decimal import Decimal

import pytest

from yuanqu.core.templatetags.numbers import amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("6.5000"), "6.5"), (Decimal("12000"), "12,000"), (Decimal("0.25"), "0.25"),
     (None, "—"), ("", "—"), (Decimal("3.14159"), "3.1416")],
)  # fmt: skip
def test_amounts_drop_trailing_zeros_and_show_a_dash_when_empty(value, expected):
    assert amount(value) == expected
