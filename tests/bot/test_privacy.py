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


@pytest.mark.parametrize(
    "text, secret",
    [
        ("手机137.0011.2244", "0011"),
        ("座机0755.8888.6666", "8888"),
        ("电话１３９８７６５４３２１", "８７６５"),
        ("ID440301198512319873", "19851231"),
        ("身份证 440301/19851231/9873", "19851231"),
        ("手机 137\u00a00011\u00a02244", "0011"),
        ("手机 137–0011–2244", "0011"),
        ("卡号 6222.0212.3456.7890", "0212"),
        ("tel:13700112244", "0011"),
        ("身份证４４０３０１１９８５１２３１９８７３", "１９８５"),
    ],
)
def test_odd_formats_are_masked_after_nfkc(text, secret):
    assert secret not in mask_identifiers(text)


def test_text_around_a_masked_number_stays_as_typed():
    assert mask_identifiers("（电话：１３９８７６５４３２１），谢谢！") == "（电话：139****4321），谢谢！"


def test_periods_and_dates_with_dots_are_untouched():
    for text in ("2008.03-2015.06在广东", "2010/01/01到2015/12/31", "1985.12.31出生", "余额12,345.67元"):
        assert mask_identifiers(text) == text


def test_scrub_removes_every_long_digit_run_in_nested_records():
    from bot.privacy import scrub

    record = {"id": "x-1234567", "facts": {"note": ["我的号1234567", {"deep": "手机13812345678"}], "n": 5}}
    scrubbed = scrub(record, keep=frozenset({"id"}))
    assert scrubbed["id"] == "x-1234567"
    assert "1234567" not in str(scrubbed["facts"]) and "5678" not in str(scrubbed["facts"])
    assert scrubbed["facts"]["n"] == 5
