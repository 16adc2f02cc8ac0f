"""Bulk import of users from Excel: template, validation (nothing written), import and its password report."""

from __future__ import annotations

import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import xlsxwriter
from fastapi.testclient import TestClient
from python_calamine import CalamineWorkbook

from tests.powerbank.helpers import USER, Api, login

GROUP, SUBGROUP = 1, 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS: list[Sequence[Any]] = [
    ("Иванов Иван Иванович", "ivanov@example.com", "+79001112233"),
    ("Петрова Анна", "petrova@example.com", 89001112234.0),
    ("Сидоров", "sidorov@example.com", "+79001112235"),
    ("Козлов Петр", "not-an-email", "+79001112236"),
    ("Старый Пользователь", "old@example.com", USER),
    ("Повтор Иванова", "IVANOV@example.com", "+79001112237"),
]


def workbook(rows: Sequence[Sequence[Any]], header: Sequence[str] = ("fio", "email", "phone")) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()


def upload(
    api: Api, path: str, content: bytes, *, name: str = "users.xlsx", unit: int | None = None, **params: Any
) -> Any:
    data = {} if unit is None else {"org_unit_id": str(unit)}
    return api.post(path, files={"file": (name, content, XLSX)}, data=data, params=params)


def sheet_rows(content: bytes, index: int = 0) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(index).to_python()


ERRORS = [
    {"row_number": 4, "field": "fio", "error": "ФИО должно состоять минимум из двух слов по 2 буквы"},
    {"row_number": 5, "field": "email", "error": "Неверный формат email"},
    {"row_number": 6, "field": None, "error": "Пользователь с таким телефоном или email уже существует"},
    {"row_number": 7, "field": None, "error": "Телефон или email уже встречается в файле (строка 2)"},
]


def test_template_has_the_three_columns_and_two_samples(group_admin: Api) -> None:
    response = group_admin.get("/api/users/bulk-import/template")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert 'filename="users_import_template.xlsx"' in response.headers["content-disposition"]
    assert sheet_rows(response.content) == [
        ["fio", "email", "phone"],
        ["Иванов Иван Иванович", "ivanov@example.com", "+79001234567"],
        ["Петрова Анна Сергеевна", "petrova@example.com", "89001234568"],
    ]


def test_the_template_validates_clean(group_admin: Api) -> None:
    template = group_admin.get("/api/users/bulk-import/template").content
    answer = upload(group_admin, "/api/users/bulk-import/validate", template).json()
    assert answer["statistics"] == {
        "total_rows": 2,
        "valid_users": 2,
        "new_users": 2,
        "existing_users": 0,
        "errors": 0,
    }


def test_validate_reports_each_row_and_writes_nothing(group_admin: Api, service_admin: Api) -> None:
    response = upload(group_admin, "/api/users/bulk-import/validate", workbook(ROWS), unit=SUBGROUP)
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Проверено строк: 6, можно создать: 2"
    assert body["errors"] == ERRORS
    assert body["statistics"] == {
        "total_rows": 6,
        "valid_users": 3,
        "new_users": 2,
        "existing_users": 1,
        "errors": 4,
    }
    assert body["preview_users"] == [
        {
            "row_number": 2,
            "fio": "Иванов Иван Иванович",
            "email": "ivanov@example.com",
            "phone_e164": "+79001112233",
            "role": "user",
            "powerbank_limit": None,
        },
        {
            "row_number": 3,
            "fio": "Петрова Анна",
            "email": "petrova@example.com",
            "phone_e164": "+79001112234",
            "role": "user",
            "powerbank_limit": None,
        },
    ]
    assert body["data"]["statistics"] == body["statistics"]
    total = service_admin.get("/api/users").json()["pagination"]["total"]
    assert total == 5


def test_import_creates_active_users_in_the_unit_without_passwords_in_the_answer(
    client: TestClient, group_admin: Api
) -> None:
    response = upload(group_admin, "/api/users/bulk-import", workbook(ROWS), unit=SUBGROUP)
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Создано пользователей: 2 из 6"
    assert body["created_users"] == [
        {
            "user_id": 6,
            "fio": "Иванов Иван Иванович",
            "email": "ivanov@example.com",
            "phone_e164": "+79001112233",
            "email_sent": False,
            "row_number": 2,
        },
        {
            "user_id": 7,
            "fio": "Петрова Анна",
            "email": "petrova@example.com",
            "phone_e164": "+79001112234",
            "email_sent": False,
            "row_number": 3,
        },
    ]
    assert body["errors"] == ERRORS
    assert body["statistics"] == {
        "total_parsed": 6,
        "valid_users": 3,
        "existing_users": 1,
        "created_users": 2,
        "errors": 4,
    }
    assert "password" not in response.text
    created = group_admin.get("/api/users/6").json()["data"]
    assert (created["status"], created["role"], created["parent_org_unit_id"]) == ("active", "user", SUBGROUP)


def test_the_xlsx_report_carries_the_generated_passwords_that_log_in(
    client: TestClient, service_admin: Api
) -> None:
    rows = [
        ("Иванов Иван", "ivanov@example.com", "+79001112233", "subgroup_admin", 3),
        ("Сидоров", "s@x.ru", "+79001112235"),
    ]
    content = workbook(rows, ("fio", "email", "phone", "role", "powerbank_limit"))
    response = upload(service_admin, "/api/users/bulk-import", content, unit=GROUP, report="xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    created = sheet_rows(response.content, 0)
    assert created[0] == ["row_number", "user_id", "fio", "email", "phone_e164", "password"]
    assert created[1][:5] == [2.0, 6.0, "Иванов Иван", "ivanov@example.com", "+79001112233"]
    assert len(created) == 2
    assert sheet_rows(response.content, 1) == [
        ["row_number", "field", "error"],
        [3.0, "fio", "ФИО должно состоять минимум из двух слов по 2 буквы"],
    ]
    profile = login(client, "+79001112233", created[1][5]).get("/api/auth/profile").json()["user"]
    assert (profile["role"], profile["powerbank_limit"], profile["parent_org_unit_id"]) == (
        "subgroup_admin",
        3,
        GROUP,
    )


def test_a_role_above_reach_is_a_row_error(subgroup_admin: Api, group_admin: Api) -> None:
    rows = [("Иванов Иван", "ivanov@example.com", "+79001112233", "group_admin")]
    content = workbook(rows, ("ФИО", "Email", "Телефон", "Роль"))
    body = upload(group_admin, "/api/users/bulk-import", content).json()
    assert body["created_users"] == []
    assert body["errors"] == [
        {"row_number": 2, "field": None, "error": "Нельзя назначить роль выше допустимой"}
    ]
    checked = upload(group_admin, "/api/users/bulk-import/validate", content).json()
    assert checked["errors"] == [
        {"row_number": 2, "field": "role", "error": "Нельзя назначить роль выше допустимой"}
    ]


def test_only_approvers_import_and_only_into_their_scope(
    subgroup_admin: Api, user: Api, group_admin: Api, service_admin: Api, client: TestClient
) -> None:
    content = workbook(ROWS[:1])
    for caller in (subgroup_admin, user):
        for path in ("/api/users/bulk-import", "/api/users/bulk-import/validate"):
            refused = upload(caller, path, content)
            assert (refused.status_code, refused.json()) == (
                403,
                {"success": False, "error": "Доступ запрещен"},
            )
        assert caller.get("/api/users/bulk-import/template").status_code == 403
    anonymous = Api(client, None).get("/api/users/bulk-import/template")
    assert anonymous.status_code == 401
    # A second group, outside the group admin's scope.
    other = service_admin.post("/api/org-units", json={"unit_type": "group", "name": "Другая группа"}).json()
    outside = upload(group_admin, "/api/users/bulk-import", content, unit=other["org_unit_id"])
    assert outside.status_code == 403
    assert outside.json() == {"success": False, "error": "Объект вне зоны ответственности администратора"}


def test_bad_files_and_forms_are_400(group_admin: Api) -> None:
    path = "/api/users/bulk-import/validate"
    cases = [
        (upload(group_admin, path, b"fio,email,phone\n", name="users.csv"), "Нужен файл Excel (.xlsx)"),
        (
            upload(group_admin, path, b"not a zip at all, just text", name="users.xlsx"),
            "Нужен файл Excel (.xlsx)",
        ),
        (
            upload(group_admin, path, b"PK\x03\x04broken zip body....", name="u.xlsx"),
            "Не удалось прочитать файл Excel",
        ),
        (upload(group_admin, path, workbook([], ("fio", "email"))), "В файле нет столбцов: phone"),
        (upload(group_admin, path, workbook([])), "В файле нет ни одной строки с пользователями"),
        (
            group_admin.post(path, data={"org_unit_id": "1"}, files={"other": ("a.txt", b"x")}),
            "Поле file обязательно",
        ),
        (group_admin.post(path, json={"file": "x"}), "Неверный multipart-запрос"),
    ]
    for response, message in cases:
        assert (response.status_code, response.json()) == (400, {"success": False, "error": message})
    no_unit = upload(group_admin, path, workbook(ROWS[:1]), unit=None)
    assert no_unit.status_code == 200
    wrong = group_admin.post(
        path, files={"file": ("u.xlsx", workbook(ROWS[:1]), XLSX)}, data={"org_unit_id": "x"}
    )
    assert wrong.json() == {
        "success": False,
        "error": "org_unit_id должен быть целым положительным числом",
        "details": [
            {"field": "org_unit_id", "message": "org_unit_id должен быть целым положительным числом"}
        ],
    }


def test_bad_optional_cells_are_row_errors_and_a_long_file_is_refused(group_admin: Api) -> None:
    rows = [
        ("Иванов Иван", "ivanov@example.com", "+79001112233", "boss", None),
        ("Петрова Анна", "petrova@example.com", "12345", None, None),
        ("Козлов Петр", "kozlov@example.com", "+79001112236", None, "много"),
    ]
    content = workbook(rows, ("fio", "email", "phone", "role", "powerbank_limit"))
    body = upload(group_admin, "/api/users/bulk-import/validate", content).json()
    assert body["errors"] == [
        {"row_number": 2, "field": "role", "error": "Неверное значение"},
        {
            "row_number": 3,
            "field": "phone",
            "error": "Телефон должен быть в формате E.164, например +79001234567",
        },
        {"row_number": 4, "field": "powerbank_limit", "error": "Неверное значение"},
    ]
    many = [(f"Человек Номер{n}", f"p{n}@example.com", f"+7900{n:07d}") for n in range(1001)]
    refused = upload(group_admin, "/api/users/bulk-import", workbook(many))
    assert (refused.status_code, refused.json()) == (
        400,
        {"success": False, "error": "В файле больше 1000 строк"},
    )
    # The group admin still sees the four demo people it saw before: nothing was created.
    assert group_admin.get("/api/users", params={"limit": 1}).json()["pagination"]["total"] == 4


def test_racing_imports_of_one_file_create_each_user_once(group_admin: Api) -> None:
    racers = 3
    start = Barrier(racers)
    content = workbook(ROWS[:2])

    def run(_number: int) -> list[int]:
        start.wait()
        body = upload(group_admin, "/api/users/bulk-import", content, unit=SUBGROUP).json()
        return [row["row_number"] for row in body["created_users"]]

    with ThreadPoolExecutor(racers) as pool:
        created = sorted(number for rows in pool.map(run, range(racers)) for number in rows)
    assert created == [2, 3]
    phones = {
        row["phone_e164"] for row in group_admin.get("/api/users", params={"limit": 100}).json()["data"]
    }
    assert {"+79001112233", "+79001112234"} <= phones
