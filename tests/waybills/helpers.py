"""An API client for tests: log in, call routes, and build fixtures through the API itself."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin-pass-1"
SECRET = "test-secret-key-for-waybills-0123456789"
ROLE_IDS = {"admin": 1, "mechanic": 2, "driver": 3}

_seq = itertools.count(1)


class Api:
    """Thin wrapper over TestClient with a current token and fixture builders."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = self.login(ADMIN_LOGIN, ADMIN_PASSWORD)

    # Raw calls -------------------------------------------------------------------------------------

    def login(self, login: str, password: str, client: str = "web") -> str:
        response = self.client.post(
            "/api/auth/login/", json={"login": login, "password": password, "client": client}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access"])

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Response:
        headers = kwargs.pop("headers", {})
        bearer = self.token if token is None else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        return self.client.request(method, f"/api/{path}", headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Response:
        return self.call("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Response:
        return self.call("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Response:
        return self.call("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.call("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, json: Any = None, status: int = 200, **kwargs: Any) -> Any:
        """Call and assert the status; return the JSON body."""
        response = self.call(method, path, json=json, **kwargs)
        assert response.status_code == status, (response.status_code, response.text)
        return response.json() if response.content else None

    # Fixture builders (through the API) -----------------------------------------------------------

    def user(self, role: str | int | None = "driver", **fields: Any) -> dict[str, Any]:
        n = next(_seq)
        body = {
            "name": "Иван",
            "surname": f"Тестов{n}",
            "last_name": "Иванович",
            "login": f"user{n}",
            "password": "pass12345",
            "phone": f"+7900{n:07d}",
            "role": ROLE_IDS.get(role, role) if isinstance(role, str) else role,
        }
        body.update(fields)
        return dict(self.ok("POST", "users/", body, status=201))

    def token_for(self, role: str | int | None, client: str = "web") -> str:
        user = self.user(role)
        return self.login(user["login"], "pass12345", client)

    def car(self, kind: str = "passenger", number: str | None = None) -> dict[str, Any]:
        n = next(_seq)
        if kind == "passenger":
            body = {"number": number or f"А{n:03d}АА54", "brand": "Toyota", "model": "Camry"}
            return dict(self.ok("POST", "passenger-cars/", body, status=201))
        body = {"number": number or f"Х{n:03d}РУ54", "brand": "КАМАЗ", "model": "43118", "type": "АЦ-3,2-40"}
        return dict(self.ok("POST", "fire-trucks/", body, status=201))

    def norm(
        self, kind: str, car: int, season: str = "summer", date: str = "2024-09-01", **norms: str
    ) -> Any:
        if kind == "passenger":
            body = {"car": car, "season": season, "city_norm": "0.090", "area_norm": "0.110", "date": date}
            body.update(norms)
            return self.ok("POST", "passenger-car-norms/", body, status=201)
        body = {"car": car, "season": season, "with_pump_norm": "0.250", "without_pump_norm": "0.150",
                "km_norm": "0.657", "date": date}  # fmt: skip
        body.update(norms)
        return self.ok("POST", "fire-truck-norms/", body, status=201)

    def state(self, kind: str, car: int, odometer: int, fuel: str, date: str = "2024-09-01") -> Any:
        path = "passenger-car-odometer-fuel/" if kind == "passenger" else "fire-truck-odometer-fuel/"
        return self.ok(
            "POST", path, {"car": car, "odometer": odometer, "fuel": fuel, "date": date}, status=201
        )

    def waybill(
        self, kind: str, car: int, driver: int, date: str, season: str = "summer", **extra: Any
    ) -> Any:
        path = "passenger-car-waybills/" if kind == "passenger" else "fire-truck-waybills/"
        body = {"car": car, "driver": driver, "date": date, "norm_season": season, **extra}
        return self.ok("POST", path, body, status=201)

    def record(self, kind: str, waybill: int, **fields: Any) -> Any:
        if kind == "passenger":
            body = {"passenger_car_waybill": waybill, "target": "Поездка", "departure_time": "08:00:00",
                    "arrival_time": "09:00:00", "distance_city_km": 10, "distance_area_km": 0,
                    "fuel_refueled": "0.000", "fuel_used": "1.000"}  # fmt: skip
            body.update(fields)
            return self.ok("POST", "passenger-car-records/", body, status=201)
        body = {"fire_truck_waybill": waybill, "target": "Выезд", "departure_time": "14:00:00",
                "arrival_time": "15:00:00", "odometer_after": 0, "time_with_pump": 0, "time_without_pump": 0,
                "fuel_refueled": "0.000", "fuel_used": "1.000"}  # fmt: skip
        body.update(fields)
        return self.ok("POST", "fire-truck-records/", body, status=201)
