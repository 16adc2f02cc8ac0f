"""Every text the waybills API answers with, in Russian as the original and its front-ends expect."""

from __future__ import annotations

from typing import Any

from opsuite.core import text

NOT_FOUND = "Не найдено."
METHOD_NOT_ALLOWED = "Метод не разрешен."
PERMISSION_DENIED = "У вас недостаточно прав для выполнения данного действия."
JSON_INVALID = "JSON parse error - тело запроса не является корректным JSON."
BODY_TOO_LARGE = "Тело запроса больше допустимого размера ({limit} байт)."
THROTTLED = "Слишком много неудачных попыток входа. Повторите через {wait} с."

# Auth (the original's texts).
NO_CREDENTIALS = "Учетные данные не были предоставлены."
WRONG_SCHEME = "Неверная схема авторизации «{scheme}»: передайте заголовок Authorization: Bearer <токен>."
BAD_AUTH_HEADER = "Заголовок Authorization должен содержать два значения через пробел: Bearer <токен>."
TOKEN_EXPIRED = "Токен истёк"
TOKEN_INVALID = "Неверный токен"
TOKEN_NO_SUB = "Некорректный токен (нет sub)"
TOKEN_USER_NOT_FOUND = "Пользователь не найден"
TOKEN_NO_FINGERPRINT = "Некорректный токен (нет pwd_fp)"
PASSWORD_CHANGED = "Пароль был изменён. Авторизуйтесь снова."
LOGIN_REQUIRED_FIELDS = "login и password обязательны"
LOGIN_FAILED = "Неверный логин или пароль"
NO_ROLE_PERMISSIONS = "No permissions found for user role"

# Field validation.
REQUIRED = "Поле обязательно для заполнения."
INVALID = "Введите корректное значение."
NOT_NULL = "Это поле не может быть пустым."
NUL_CHARACTERS = "Нулевые символы не допускаются."
ASCII_DIGITS = "Требуется численное значение, записанное цифрами 0-9."
DATETIME_RANGE = "Год даты и времени должен быть от {min} до {max}."
TOO_DEEP = "Слишком глубокая вложенность (больше {max_depth} уровней)."
MAX_LENGTH = "Длина поля ограничена {n} символами."
MIN_LENGTH = "Длина поля должна быть не меньше {n} символов."
MIN_VALUE = "Значение не должно быть меньше {n}."
MAX_VALUE = "Значение не должно превышать {n}."
UNIQUE = "Запись с таким значением уже существует."
CHOICE = "Значения «{value}» нет среди допустимых вариантов."
INVALID_PK = 'Недопустимый первичный ключ "{pk}" - объект не существует.'
DECIMAL_PLACES = "Убедитесь, что в числе не больше {n} знаков после запятой."
DECIMAL_DIGITS = "Убедитесь, что в числе не больше {n} цифр."
DECIMAL_WHOLE = "Убедитесь, что в числе не больше {n} знаков перед запятой."
DATE_FORMAT = "Неправильный формат даты. Используйте формат YYYY-MM-DD."
TIME_FORMAT = "Неправильный формат времени. Используйте формат hh:mm[:ss]."
NOT_A_DICT = "Недопустимые данные. Ожидался словарь."
PHONE_FORMAT = "Телефон в формате +79001234567."
STATE_NEEDS = "Обязательно, если не указан путевой лист"
STATE_WAYBILL_EMPTY = "Обязательно: в путевом листе ещё нет строк"
STATE_OTHER_CAR = "Путевой лист относится к другой машине."
STATE_OF_RECORD = "Эти показания записаны строкой путевого листа; измените или удалите строку."
BAD_CAR = "Параметр car должен быть числом"

# Query parameters of the extra actions.
NORM_FOR_DATE_PARAMS = "Параметры car, season и date обязательны"
BAD_DATE = "Неверный формат date, ожидается YYYY-MM-DD"
NORM_NOT_FOUND = "Норма не найдена"
LAST_PARAMS = "Параметр car обязателен"
LAST_NOT_FOUND = "Записей не найдено"
EXPORT_PARAMS = "Параметры car, from и to обязательны"
EXPORT_BAD_DATES = "Неверный формат дат, используйте YYYY-MM-DD"
EXPORT_EMPTY = "Записей за указанный период не найдено"

# Business rules of waybills and the fuel chain.
DUPLICATE_WAYBILL = "Путевой лист для машины {number}, водителя {driver} и даты {date} уже существует."
NO_START_PASSENGER = (
    "Не найдены последние показания одометра/топлива для {number}. "
    "Сначала создайте запись в OdometerFuelPassengerCar."
)
NO_START_FIRE = (
    "Не найдены последние показания для ПА {number}. Сначала создайте запись в OdometerFuelFireTruck."
)
NO_NORM = "Не найдена норма для {number}, сезон={season}"
NORM_TOO_LATE = (
    "Норма для {number}, сезон {season} существует, но создана позже даты путевого листа. "
    "Создайте норму с датой не позднее {date}."
)
NEGATIVE_FUEL = (
    "Остаток топлива не может быть отрицательным! Перед выездом {before} л, израсходовано {used} л, "
    "заправлено {refueled} л{where}."
)
ODOMETER_BACKWARDS = (
    "Ошибка: одометр после поездки ({after}) не может быть меньше "
    "чем одометр перед поездкой ({before}){where}."
)
ODOMETER_JUMP = (
    "Ошибка: одометр не может увеличиться за раз более чем на 2000 км ({before} → {after}){where}."
)
ODOMETER_LIMIT = "Ошибка: одометр не может превышать 999999 км ({after}){where}."
WHERE_RECORD = " (путевой лист № {number} от {date})"

SEASON_LABELS = {"summer": "Лето", "winter": "Зима"}


# Core's input rules (opsuite.core.text), by their error type.
_CORE_RULES = {
    text.NUL: NUL_CHARACTERS,
    text.SURROGATE: INVALID,
    text.ASCII_DIGITS: ASCII_DIGITS,
    text.MOMENT_RANGE: DATETIME_RANGE,
    text.JSON_DEPTH: TOO_DEEP,
}


def for_pydantic_error(error: dict[str, Any]) -> str:
    """The Russian message for one pydantic validation error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return REQUIRED
    if "input" in error and error["input"] is None:
        return NOT_NULL
    if kind in _CORE_RULES:
        return _CORE_RULES[kind].format(**ctx)
    if kind in ("string_too_long", "too_long"):
        return MAX_LENGTH.format(n=ctx.get("max_length"))
    if kind in ("string_too_short",):
        return NOT_NULL if ctx.get("min_length") == 1 else MIN_LENGTH.format(n=ctx.get("min_length"))
    if kind == "greater_than_equal":
        return MIN_VALUE.format(n=ctx.get("ge"))
    if kind == "less_than_equal":
        return MAX_VALUE.format(n=ctx.get("le"))
    if kind == "decimal_max_places":
        return DECIMAL_PLACES.format(n=ctx.get("decimal_places"))
    if kind == "decimal_max_digits":
        return DECIMAL_DIGITS.format(n=ctx.get("max_digits"))
    if kind == "decimal_whole_digits":
        return DECIMAL_WHOLE.format(n=ctx.get("whole_digits"))
    if kind in ("literal_error", "enum"):
        return CHOICE.format(value=error.get("input"))
    if kind.startswith("date"):
        return DATE_FORMAT
    if kind.startswith("time"):
        return TIME_FORMAT
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return NOT_A_DICT
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return INVALID


# Reports (drivers report filter).
BAD_DRIVER = "Параметр driver должен быть числом"
MOVED = "Ресурс находится по адресу {location}: повторите запрос по нему (адреса API оканчиваются на «/»)."
