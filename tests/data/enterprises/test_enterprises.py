from __future__ import annotations

import pytest

from gridgov.data.enterprises.domain.enterprises import create_enterprise, masked_contact_phone
from gridgov.data.errors import Conflict, InvalidInput
from gridgov.data.org.models import Enterprise
from tests.data.enterprises.conftest import EnterpriseWorld, valid_code


def test_contact_phone_is_encrypted_at_rest_and_masked(ew: EnterpriseWorld) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM org_enterprise WHERE id = %s", [ew.shipyard.pk])
        (stored,) = cursor.fetchone()
    assert "13805801234" not in stored
    assert Enterprise.objects.get(pk=ew.shipyard.pk).contact_phone == "13805801234"
    assert masked_contact_phone(ew.shipyard) == "138****1234"


def test_credit_code_is_unique_per_town(ew: EnterpriseWorld) -> None:
    with pytest.raises(Conflict) as info:
        create_enterprise(town=ew.w.town, name="另一家", credit_code=ew.shipyard.credit_code.lower())
    assert info.value.message == f"统一社会信用代码 {ew.shipyard.credit_code} 已登记为“岱西船舶修造有限公司”"


def test_invalid_input_names_the_field(ew: EnterpriseWorld) -> None:
    with pytest.raises(InvalidInput) as info:
        create_enterprise(town=ew.w.town, name="", credit_code=valid_code("91330921MA2A0B1E4"))
    assert (info.value.field, info.value.message) == ("name", "请填写企业名称")
    with pytest.raises(InvalidInput) as info:
        create_enterprise(town=ew.w.town, name="某公司", credit_code="91330921MA2A0B1E4A")
    assert info.value.field == "credit_code"
    with pytest.raises(InvalidInput) as info:
        create_enterprise(
            town=ew.w.town, name="某公司", credit_code=valid_code("91330921MA2A0B1E4"), village=ew.w.grid_a
        )
    assert (info.value.field, info.value.message) == ("village", "“双合村第1网格”不是岱西镇的村/社区")
    assert Enterprise.objects.count() == 2
