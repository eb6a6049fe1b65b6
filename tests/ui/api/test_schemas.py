"""What the API's shared schema pieces promise: the ids a row can have."""

from __future__ import annotations

import pytest

from gridgov.data.errors import NotFound
from gridgov.ui.api.schemas import MAX_ID, row_id


def test_row_id_lets_through_every_id_a_row_can_have_and_refuses_the_others_with_the_message_given() -> None:
    assert (row_id(1, "无"), row_id(MAX_ID, "无")) == (1, MAX_ID)
    for value in (0, -1, MAX_ID + 1):
        with pytest.raises(NotFound) as refused:
            row_id(value, "记录不存在")
        assert refused.value.message == "记录不存在"
