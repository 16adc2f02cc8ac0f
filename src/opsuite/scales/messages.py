"""Every text the scales API answers with, in Russian as its client and its users read them.

Programs keep reading the status, the scale's `code` and, in a 422, each error's `type` and `loc`.
"""

from __future__ import annotations

from typing import Any

from opsuite.core import text

# Auth.
NOT_AUTHENTICATED = "Требуется вход: передайте заголовок Authorization: Bearer <токен>"
WRONG_SCHEME = "Неверная схема авторизации «{scheme}»: передайте заголовок Authorization: Bearer <токен>"
TOKEN_EXPIRED = "Срок действия токена истёк: войдите снова"
TOKEN_INVALID = "Неверный токен"
USER_NOT_FOUND = "Пользователь не найден"
PASSWORD_CHANGED = "Пароль был изменён: войдите снова"
LOGIN_FAILED = "Неверный e-mail или пароль"
EMAIL_TAKEN = "Пользователь с таким e-mail уже зарегистрирован"
REGISTRATION_CLOSED = "Регистрация закрыта"
TOO_MANY_ATTEMPTS = "Слишком много попыток, повторите через {seconds} с"

# Devices.
DEVICE_NOT_FOUND = "Устройство не найдено"
DEVICE_NAME_TAKEN = "Устройство с таким названием уже есть"
DEVICE_BUSY = "Устройство занято другой операцией, повторите позже"
PASSWORD_UNDECRYPTABLE = "Пароль устройства не расшифровывается настроенным ключом OPSUITE_SCALES_FERNET_KEY"
HOST_REFUSED = "Весы {where}: подключение запрещено: {reason}"
OUTSIDE_NETWORKS = "адрес {address} вне сетей, в которых разрешены устройства"
NO_HOST_NAMES = "имена хостов не разрешены, укажите IP-адрес устройства"
HOST_RULE = "нужен IPv4- или IPv6-адрес или имя хоста (RFC 1123)"
HOST_UNRESOLVED = "имя {host} не разрешается в адрес"
DEVICE_PASSWORD_RULE = "ровно 4 печатных ASCII-символа без пробелов"

# The product cache.
DIRTY = (
    "В кэше есть незагруженные изменения. Загрузите их в весы (POST /devices/{device_id}/upload) "
    "или отмените их (DELETE /devices/{device_id}/products/changes), затем повторите чтение; "
    "?force=true читает весы, отбрасывая изменения"
)
NO_CACHE = "Нет кэша товаров для загрузки: сначала прочитайте товары с весов"
CANNOT_UPLOAD = "Загрузить нельзя: {reason}"
PLU_TAKEN = "Товар с pluNumber={plu} уже есть"
PRODUCT_NOT_FOUND = "Товар не найден (plu)"
BAD_CACHE = "Кэш товаров имеет неверный формат"
PRODUCTS_NOT_A_LIST = "поле products должно быть массивом"
DUPLICATE_PLU = "pluNumber={plu} повторяется"
NOTHING_TO_DISCARD = "Нет незагруженных изменений"

# Scales.
SCALE_BAD_FILE = "Весы {where} прислали негодный файл товаров: {reason}"
SCALE_TIMED_OUT = "Весы {where} не ответили вовремя"
SCALE_UNREACHABLE = "Весы {where} недоступны"
SCALE_ANSWERED = "Весы {where} ответили кодом {code}: {text}"
SCALE_REJECTED = "Весы {where} отклонили файл товаров: {reason}"
NO_REASON = "причина не указана"
SCALE_PROTOCOL = "Весы {where} нарушили протокол: {reason}"

# Auto-update.
AUTOUPDATE_LOCAL = (
    "В кэше были незагруженные изменения: даты обновлены в локальном кэше, и он загружен в весы "
    "вместе с этими изменениями (товары с весов не читались)"
)
UNEXPECTED = "Непредвиденная ошибка: {error}"

# Jobs.
JOB_NOT_FOUND = "Задача не найдена"

# The server and the HTTP layer.
DATABASE_BUSY = "Сервер занят, повторите позже"
DATABASE_DOWN = "База данных недоступна, повторите позже"
NOT_FOUND = "Не найдено"
METHOD_NOT_ALLOWED = "Метод не разрешён"
BODY_TOO_LARGE = "Тело запроса больше допустимого размера ({limit} байт)"
BODY_UNREADABLE = "Тело запроса не разобрать: это не JSON или он слишком глубоко вложен"
FASTAPI_BODY_UNREADABLE = "There was an error parsing the body"

# Field validation: "<label>: <rule>", as a toast shows it.
FIELD_ERROR = "{label}: {rule}"
NOT_EDITABLE = "это поле менять нельзя"
REQUIRED = "обязательное поле"
NOT_NULL = "не может быть пустым"
INTEGER = "нужно целое число"
NUMBER = "нужно число"
STRING = "нужна строка"
BOOLEAN = "нужно true или false"
OBJECT = "нужен объект"
LIST = "нужен список"
BETWEEN = "от {low} до {high}"
AT_LEAST = "не меньше {n}"
AT_MOST = "не больше {n}"
MORE_THAN = "больше {n}"
LESS_THAN = "меньше {n}"
LENGTH_BETWEEN = "от {low} до {high} символов"
MIN_LENGTH = "не короче {n} символов"
MAX_LENGTH = "не длиннее {n} символов"
MIN_ITEMS = "не меньше {n} элементов"
MAX_ITEMS = "не больше {n} элементов"
PLACES = "не больше {n} знаков после запятой"
TWO_LINES = "не больше 2 строк"
ONE_OF = "одно из: {options}"
DATE = "дата в формате ДД-ММ-ГГ"
RUN_AT = "время в формате ЧЧ:ММ"
EMAIL = "нужен корректный e-mail"
INVALID = "неверное значение"
NUL_CHARACTERS = "нулевые символы не допускаются"
ASCII_DIGITS = "число записывается цифрами 0-9"
TOO_DEEP = "слишком глубокая вложенность (больше {max_depth} уровней)"
JSON_INVALID = "тело запроса не является корректным JSON"

LABELS = {
    # Product fields a PATCH may change.
    "name": "Название",
    "price": "Цена",
    "discountPrice": "Цена со скидкой",
    "productType": "Тип товара",
    "tare": "Тара",
    "pieceWeight": "Вес штуки",
    "shelfLife": "Срок годности",
    "shelfLifeType": "Единица срока годности",
    "manufactureDate": "Дата производства",
    "sellByDate": "Годен до",
    "code": "Код товара",
    "pluNumber": "Номер PLU",
    "deleted": "Удалён",
    "category": "Категория",
    "message": "Сообщение",
    # Request fields.
    "email": "E-mail",
    "username": "E-mail",
    "password": "Пароль",
    "description": "Описание",
    "ip": "IP-адрес",
    "port": "Порт",
    "protocol": "Протокол",
    "enabled": "Включено",
    "interval_minutes": "Интервал, мин",
    "run_at": "Время запуска",
    "device_ids": "Устройства",
    "fields": "Поля товара",
}
"""The label a toast shows for a field; a field without one is shown by its own name."""


def number(value: float) -> str:
    """A number as a Russian reader writes it: `1 000 000`, `0,5`."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,}".replace(",", " ").replace(".", ",")


def label(loc: tuple[Any, ...] | list[Any]) -> str:
    """The label of the field an error's `loc` names (its last named part)."""
    names = [str(part) for part in loc if isinstance(part, str) and part not in ("body", "query", "path")]
    if not names:
        return "Запрос"
    return LABELS.get(names[-1], names[-1])


def field_error(loc: tuple[Any, ...] | list[Any], rule: str) -> str:
    """`Цена: от 0 до 1 000 000`."""
    return FIELD_ERROR.format(label=label(loc), rule=rule)


_CORE_RULES = {
    text.NUL: NUL_CHARACTERS,
    text.SURROGATE: INVALID,
    text.ASCII_DIGITS: ASCII_DIGITS,
    text.JSON_DEPTH: TOO_DEEP,
}

_TYPES = {
    "missing": REQUIRED,
    "int_type": INTEGER,
    "int_parsing": INTEGER,
    "int_from_float": INTEGER,
    "float_type": NUMBER,
    "float_parsing": NUMBER,
    "string_type": STRING,
    "bool_type": BOOLEAN,
    "bool_parsing": BOOLEAN,
    "dict_type": OBJECT,
    "model_type": OBJECT,
    "model_attributes_type": OBJECT,
    "list_type": LIST,
    "json_invalid": JSON_INVALID,
}


# A bound broken, with the pydantic context key that holds it.
_BOUNDS = {
    "string_too_short": (MIN_LENGTH, "min_length"),
    "string_too_long": (MAX_LENGTH, "max_length"),
    "too_short": (MIN_ITEMS, "min_length"),
    "too_long": (MAX_ITEMS, "max_length"),
    "greater_than_equal": (AT_LEAST, "ge"),
    "greater_than": (MORE_THAN, "gt"),
    "less_than_equal": (AT_MOST, "le"),
    "less_than": (LESS_THAN, "lt"),
}


def rule_of(error: dict[str, Any]) -> str:
    """The Russian rule one pydantic error breaks, without its field's label."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind != "missing" and "input" in error and error["input"] is None:
        return NOT_NULL
    if kind in _TYPES:
        return _TYPES[kind]
    if kind in _CORE_RULES:
        return _CORE_RULES[kind].format(**ctx)
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return NOT_NULL
    if kind in _BOUNDS:
        template, key = _BOUNDS[kind]
        return template.format(n=number(ctx.get(key, 0)))
    if kind == "string_pattern_mismatch":
        return ONE_OF.format(options="TCP") if error.get("loc", [])[-1:] == ["protocol"] else INVALID
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return INVALID


def for_pydantic_error(error: dict[str, Any]) -> str:
    """The readable message of one pydantic error: `Порт: не больше 65 535`."""
    return field_error(error.get("loc", ()), rule_of(error))
