from zhiren.quality.masking import mask


def test_mobile_and_id_numbers_are_masked():
    assert mask("手机13812345678，备用 139-1234-5678") == "手机138****5678，备用 139****5678"
    assert mask("身份证110101199003071234号") == "身份证110101********1234号"
    assert mask("身份证11010119900307123X") == "身份证110101********123X"
    assert mask("老证110101900307123") == "老证110101******123"


def test_other_numbers_are_left_alone():
    assert mask("订单号 2026031100012345678901") == "订单号 2026031100012345678901"  # 22 digits
    assert mask("退款 128 元，工号 A1001") == "退款 128 元，工号 A1001"
    assert mask("12812345678") == "12812345678"  # 12x is not a mobile prefix
    assert mask("") == ""
