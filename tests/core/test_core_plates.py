from hypothesis import given
from hypothesis import strategies as st

from opsuite.core.plates import CYRILLIC_TWINS, LATIN_TWINS, plate_key
from opsuite.core.text import transliterate


def test_plate_key_joins_case_script_and_spaces() -> None:
    assert plate_key("А001АА54") == "A001AA54"  # Cyrillic
    assert plate_key("a001aa 54") == "A001AA54"  # Latin, lower case, a space
    assert plate_key(" х 123 ух\t77 ") == "X123YX77"
    assert plate_key("АВЕКМНОРСТУХ") == LATIN_TWINS
    assert plate_key("01-A-777-AA") == plate_key("01 a 777 aa") == "01A777AA"  # hyphens are separators too
    assert plate_key(" - ") == ""


def test_plate_key_keeps_letters_without_a_twin() -> None:
    # Not plate letters, but a typed number keeps them (in upper case) rather than losing them.
    assert plate_key("д123жж") == "Д123ЖЖ"


@given(st.text(alphabet=CYRILLIC_TWINS + CYRILLIC_TWINS.lower() + "0123456789 ", max_size=12))
def test_plate_key_of_a_cyrillic_plate_equals_its_latin_twin(number: str) -> None:
    latin = number.translate(str.maketrans(CYRILLIC_TWINS + CYRILLIC_TWINS.lower(), LATIN_TWINS * 2))
    assert plate_key(number) == plate_key(latin)
    assert plate_key(plate_key(number)) == plate_key(number)


def test_transliterate_writes_cyrillic_in_latin() -> None:
    assert transliterate("Отчёт о партии №5") == "Otchet o partii №5"
    assert transliterate("ЩУКА щука Жук") == "ShchUKA shchuka Zhuk"
    assert transliterate("Путевой лист 2024.xlsx") == "Putevoi list 2024.xlsx"
