"""Generated sample files look like a real export; merging follows the documented model."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from opsuite.scales.devices.product_merge import copy_product_file, merge_product_files
from opsuite.scales.devices.sample_products import generate_product_file

DAY = dt.date(2026, 1, 15)


def test_generated_file_has_the_real_exports_top_level_keys() -> None:
    data = generate_product_file(10, packed_on=DAY)
    assert list(data) == [
        "categories",
        "labelTemplates",
        "lotsOfProduct",
        "messages",
        "productRates",
        "products",
    ]
    assert len(data["categories"]) == 5
    assert len(data["products"]) == 10


def test_generated_products_are_deterministic_and_unique() -> None:
    first = generate_product_file(300, seed=3, packed_on=DAY, without_plu=1)
    assert first == generate_product_file(300, seed=3, packed_on=DAY, without_plu=1)
    assert first != generate_product_file(300, seed=4, packed_on=DAY, without_plu=1)
    products = first["products"]
    assert len({p["id"] for p in products}) == 300
    assert len({p["code"] for p in products}) == 300
    plus = [p["pluNumber"] for p in products if "pluNumber" in p]
    assert plus == list(range(1, 300))
    assert "pluNumber" not in products[-1]


def test_generated_product_fields_are_plausible() -> None:
    products = generate_product_file(200, seed=5, packed_on=DAY)["products"]
    # Both name forms occur: one printed line, and two lines split at the label's width.
    assert {product["name"].count("\n") for product in products} == {0, 1}
    for product in products:
        assert all(1 <= len(line) <= 28 for line in product["name"].split("\n"))
        assert product["productType"] in ("WEIGHT", "PIECE")
        assert 16 <= product["price"] <= 1500
        assert 0.002 <= product["tare"] <= 0.2
        assert product["manufactureDate"] == "15-01-26"
        sell_by = dt.datetime.strptime(product["sellByDate"], "%d-%m-%y").date()
        assert (sell_by - DAY).days == product["shelfLife"] == product["shelfLifeInDays"]
        assert product["shelfLifeType"] == "DAYS"
        assert product["deleted"] is False


def test_generated_file_has_cyrillic_and_survives_json() -> None:
    data = generate_product_file(20, seed=1, packed_on=DAY)
    assert any("Сыр" in p["name"] for p in data["products"])
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="without_plu"):
        generate_product_file(2, without_plu=3)


def test_merge_upserts_lists_by_id_and_keeps_other_keys() -> None:
    stored = {
        "products": [{"id": 1, "price": 1.0}, {"id": 2, "price": 2.0}, {"name": "без id"}],
        "categories": [{"idCategory": 1, "name": "A"}],
        "messages": [{"id": 1, "value": "x"}],
        "version": 1,
    }
    uploaded = {
        "products": [{"id": 2, "price": 2.5}, {"id": 3}, {"name": "без id"}],
        "categories": [{"idCategory": 1, "name": "B"}, {"idCategory": 2, "name": "C"}],
        "version": 2,
    }
    assert merge_product_files(stored, uploaded) == {
        "products": [
            {"id": 1, "price": 1.0},
            {"id": 2, "price": 2.5},
            {"name": "без id"},
            {"id": 3},
            {"name": "без id"},
        ],
        "categories": [{"idCategory": 1, "name": "B"}, {"idCategory": 2, "name": "C"}],
        "messages": [{"id": 1, "value": "x"}],
        "version": 2,
    }


def test_merge_does_not_mutate_its_inputs() -> None:
    stored = {"products": [{"id": 1}]}
    uploaded = {"products": [{"id": 1, "x": 1}]}
    merge_product_files(stored, uploaded)
    assert stored == {"products": [{"id": 1}]}
    assert uploaded == {"products": [{"id": 1, "x": 1}]}


def test_ids_of_different_types_are_different_items() -> None:
    merged = merge_product_files({"products": [{"id": 1}]}, {"products": [{"id": "1"}]})
    assert merged == {"products": [{"id": 1}, {"id": "1"}]}


def test_copy_refuses_what_json_cannot_carry() -> None:
    with pytest.raises(TypeError):
        copy_product_file({"when": DAY})
