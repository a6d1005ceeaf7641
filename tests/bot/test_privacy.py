"""bot.privacy.mask_identifiers: identifiers masked, everything else untouched."""
import pytest

from bot.privacy import mask_identifiers


@pytest.mark.parametrize(
    "text, secret, shown",
    [
        ("我手机13812345678", "13812345678", "138****5678"),
        ("电话 138-1234-5678 谢谢", "1234", "138****5678"),
        ("+86 139 1234 5678", "1391234", "139****5678"),
        ("身份证44030419800312123X", "19800312", "4403"),
        ("身份证号 440304 19800312 123x", "19800312", "4403"),
        ("老身份证440304800312123", "800312", "4403"),
        ("卡号6222 0212 3456 7890", "0212 3456", "6222"),
        ("工资卡6222021234567890123", "02123456789", "0123"),
        ("座机0755-12345678", "12345678", "0755"),
        ("打我电话87654321", "87654321", "21"),
        ("my phone is 13912345678", "13912345678", "139****5678"),
        ("card 6222021234567890 please", "6222021234567890", "7890"),
    ],
)
def test_identifiers_are_masked_but_recognisable(text, secret, shown):
    masked = mask_identifiers(text)
    assert secret not in masked
    assert shown in masked
    assert "*" in masked


@pytest.mark.parametrize(
    "text",
    [
        "我是1980年3月出生的",
        "工资5000左右，余额20000",
        "2024-09-13出的事",
        "20240913",
        "交了15年 打12333问问",
        "BPI-UE 2030年起最低15.5年",
        "一个月4500.50元",
        "在东莞干了八年",
        "/switch_language{\"language\":\"en\"}",
    ],
)
def test_years_amounts_dates_and_hotlines_are_untouched(text):
    assert mask_identifiers(text) == text


def test_several_identifiers_in_one_message():
    masked = mask_identifiers("手机13812345678，身份证44030419800312123X，卡6222021234567890")
    for secret in ("12345678", "19800312", "02123456"):
        assert secret not in masked
    assert masked == "手机138****5678，身份证4403************3X，卡6222********7890"


def test_non_text_is_returned_as_is():
    assert mask_identifiers(None) is None
    assert mask_identifiers("") == ""
