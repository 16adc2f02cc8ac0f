"""Realistic generated product files for the simulator, the fake and tests (structure of a real export)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

DATE_FORMAT = "%d-%m-%y"

_CATEGORIES = ("Мясо", "Молочная продукция", "Овощи и фрукты", "Рыба", "Кондитерские изделия")
_LABEL_TEMPLATES = ((1, "58x40, ШК", 40, 58), (2, "58x60, ШК, состав", 60, 58), (3, "40x30", 30, 40))
_MESSAGE = "Хранить при температуре от +2 до +6 °C"
# (name, category index, weighed?, typical price range in roubles, shelf life range in days)
_BASES: tuple[tuple[str, int, bool, tuple[int, int], tuple[int, int]], ...] = (
    ("Говядина лопатка", 0, True, (450, 900), (3, 5)),
    ("Свинина шея", 0, True, (350, 650), (3, 5)),
    ("Филе куриное", 0, True, (280, 450), (2, 4)),
    ("Фарш домашний", 0, True, (300, 500), (1, 2)),
    ("Колбаса Докторская", 0, True, (500, 900), (10, 30)),
    ("Сыр Российский", 1, True, (600, 1100), (20, 60)),
    ("Творог 9%", 1, True, (350, 600), (5, 7)),
    ("Сметана 20%", 1, False, (90, 160), (7, 14)),
    ("Яблоки Гала", 2, True, (120, 220), (14, 30)),
    ("Бананы", 2, True, (100, 160), (5, 9)),
    ("Огурцы гладкие", 2, True, (90, 250), (5, 10)),
    ("Томаты черри", 2, False, (150, 300), (5, 10)),
    ("Сельдь слабосолёная", 3, True, (250, 450), (10, 20)),
    ("Форель холодного копчения", 3, True, (1100, 1500), (10, 15)),
    ("Печенье овсяное", 4, True, (180, 320), (30, 90)),
    ("Конфеты Ромашка", 4, True, (400, 700), (60, 180)),
)
_VARIANTS = ("", "охлаждённая", "весовой", "1 сорт", "фермерский", "премиум", "в/у", "акция")


def product_name(rng: random.Random, base: str) -> str:
    """A name of at most two printed lines, each within the label's 28 characters."""
    variant = rng.choice(_VARIANTS)
    if not variant:
        return base
    if len(base) + 1 + len(variant) <= 28 and rng.random() < 0.6:
        return f"{base} {variant}"
    return f"{base}\n{variant}"


def generate_product(
    index: int, *, rng: random.Random, packed_on: dt.date, with_plu: bool = True
) -> dict[str, Any]:
    """One product with the fields of a real M-ER 725 export."""
    base, category, weighed, (low, high), (shelf_low, shelf_high) = _BASES[index % len(_BASES)]
    shelf = rng.randint(shelf_low, shelf_high)
    product: dict[str, Any] = {
        "id": 10380 + index,
        "code": 50 + index,
    }
    if with_plu:
        product["pluNumber"] = index + 1
    product.update(
        {
            "name": product_name(rng, base),
            "price": float(rng.randint(low * 10, high * 10)) / 10,
            "productType": "WEIGHT" if weighed else "PIECE",
            "pieceWeight": 0.0 if weighed else round(rng.uniform(0.2, 0.5), 3),
            "tare": round(rng.uniform(0.002, 0.2), 3),
            "manufactureDate": packed_on.strftime(DATE_FORMAT),
            "sellByDate": (packed_on + dt.timedelta(days=shelf)).strftime(DATE_FORMAT),
            "shelfLife": shelf,
            "shelfLifeType": "DAYS",
            "shelfLifeInDays": shelf,
            "deleted": False,
            "category": category + 1,
            "message": 1 if index % 3 == 0 else 0,
            "labelTemplate": 1 + index % len(_LABEL_TEMPLATES),
        }
    )
    return product


def generate_product_file(
    count: int, *, seed: int = 0, packed_on: dt.date | None = None, without_plu: int = 0
) -> dict[str, Any]:
    """A whole product file of count products; the last without_plu lack pluNumber, as in a real export."""
    if count < 0 or not 0 <= without_plu <= count:
        raise ValueError("need 0 <= without_plu <= count")
    rng = random.Random(seed)
    day = packed_on or dt.date.today()
    products = [
        generate_product(i, rng=rng, packed_on=day, with_plu=i < count - without_plu) for i in range(count)
    ]
    return {
        "categories": [{"idCategory": i + 1, "name": name} for i, name in enumerate(_CATEGORIES)],
        "labelTemplates": [
            {"id": tid, "name": name, "height": height, "width": width, "deleted": False}
            for tid, name, height, width in _LABEL_TEMPLATES
        ],
        "lotsOfProduct": [],
        "messages": [{"id": 1, "value": _MESSAGE, "deleted": False}],
        "productRates": [],
        "products": products,
    }


def sample_device_info(serial_number: str) -> dict[str, Any]:
    """An FF 17 device-info object shaped like a real M-ER 725's."""
    return {
        "androidVersion": "6.0.1",
        "imageExtensionPriority": "jpg/jpeg/png/bmp",
        "manufacturer": "Mertech",
        "networkInfo": [{"ipList": ["127.0.0.1"], "mac": "00-00-00-00-00-00", "name": "eth0", "used": True}],
        "protocolVersion": "0.16",
        "retailBotInfo": {"clientId": "0000", "engineVersion": "9.2.0", "firmwareVersion": "7.9.1.15"},
        "revision": "1",
        "scaleAppVersion": "1.2.3",
        "scaleModel": "M-ER 725 PM-15.2",
        "sdkVersion": "23",
        "serialNumber": serial_number,
        "serviceAppBuildDate": "29.03.24",
        "serviceAppVersion": "1.2.5.562",
    }
