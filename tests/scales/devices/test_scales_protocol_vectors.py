"""Golden byte vectors from the notes (§3.6): every frame must match to the byte."""

from __future__ import annotations

import json

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import device_info_from_json

PW = p.encode_password("1234")
EMPTY_FILE = b'{"products":[]}'
EMPTY_FILE_MD5 = "f87abc43805c946505e9f1f64d04cd21"
DEVICE_INFO_JSON = (
    b'{"androidVersion":"6.0.1","imageExtensionPriority":"jpg/jpeg/png/bmp","manufacturer":"Mertech",'
    b'"networkInfo":[{"ipList":["192.168.42.75"],"mac":"b0-58-67-80-c3-f8","name":"eth0","used":true},'
    b'{"ipList":[],"mac":"d4-9c-dd-95-81-55","name":"wlan0","used":true}],"protocolVersion":"0.16",'
    b'"retailBotInfo":{"clientId":"0000","engineVersion":"9.2.0","firmwareVersion":"7.9.1.15"},'
    b'"revision":"1","scaleAppVersion":"1.2.3","scaleModel":"M-ER 725 PM-15.2","sdkVersion":"23",'
    b'"serialNumber":"21B60847","serviceAppBuildDate":"29.03.24","serviceAppVersion":"1.2.5.562"}'
)


def hx(text: str) -> bytes:
    return bytes.fromhex(text)


def test_password_is_four_ascii_bytes() -> None:
    assert p.encode_password("1234") == hx("31 32 33 34")


def test_create_product_file_ff14() -> None:
    assert p.create_product_file_request(PW) == hx("08 00 00 00 02 06 ff 14 31 32 33 34")


def test_poll_product_file_ff15() -> None:
    assert p.poll_product_file_request(PW) == hx("08 00 00 00 02 06 ff 15 31 32 33 34")


def test_start_hash_ff12_06() -> None:
    assert p.read_file_request(PW, p.STAGE_HASH_START) == hx("09 00 00 00 02 07 ff 12 31 32 33 34 06")


def test_hash_status_ff12_07_differs_only_in_stage() -> None:
    assert p.read_file_request(PW, p.STAGE_HASH_STATUS) == hx("09 00 00 00 02 07 ff 12 31 32 33 34 07")


def test_next_chunk_ff12_03_differs_only_in_stage() -> None:
    assert p.read_file_request(PW, p.STAGE_CHUNK) == hx("09 00 00 00 02 07 ff 12 31 32 33 34 03")


def test_upload_check_ff13_09() -> None:
    assert p.upload_check_request(PW) == hx("09 00 00 00 02 07 ff 13 31 32 33 34 09")


def test_empty_product_file_encoding_and_md5() -> None:
    body = p.encode_product_file({"products": []})
    assert body == EMPTY_FILE
    assert len(body) == 15
    assert p.md5_digest(body).hex() == EMPTY_FILE_MD5


def test_upload_header_ff13_02_size_big_endian_keep_database() -> None:
    frame = p.upload_header_request(PW, hx(EMPTY_FILE_MD5), 15, clear=False, byteorder="big")
    assert frame == hx(
        "24 00 00 00 02 22 ff 13 31 32 33 34 02 f8 7a bc 43 80 5c 94 65 05 e9 f1 f6 4d 04 cd 21"
        " 04 00 00 00 00 00 00 00 0f 01 01"
    )


def test_upload_header_ff13_02_size_little_endian_as_lsfusion() -> None:
    frame = p.upload_header_request(PW, hx(EMPTY_FILE_MD5), 15, clear=False, byteorder="little")
    assert frame == hx(
        "24 00 00 00 02 22 ff 13 31 32 33 34 02 f8 7a bc 43 80 5c 94 65 05 e9 f1 f6 4d 04 cd 21"
        " 04 0f 00 00 00 00 00 00 00 01 01"
    )


def test_upload_header_clear_first_sets_export_type_zero() -> None:
    frame = p.upload_header_request(PW, hx(EMPTY_FILE_MD5), 15, clear=True)
    assert frame[-2:] == hx("01 00")
    assert len(frame) == 40


def test_upload_single_chunk_ff13_03() -> None:
    (chunk,) = p.split_chunks(EMPTY_FILE)
    assert chunk == p.Chunk(0, EMPTY_FILE, True)
    assert p.upload_chunk_request(PW, chunk) == hx(
        "1f 00 00 00 02 1d ff 13 31 32 33 34 03 01 00 00 00 00 0f 00"
        " 7b 22 70 72 6f 64 75 63 74 73 22 3a 5b 5d 7d"
    )


def test_reply_ok_as_in_udp_manager() -> None:
    body = hx("02 03 ff 13 00")
    assert p.parse_reply(body, p.CMD_WRITE_PRODUCT_FILE) == p.Reply(p.CMD_WRITE_PRODUCT_FILE, 0, b"")
    assert p.build_reply(p.CMD_WRITE_PRODUCT_FILE, p.RC_OK) == hx("05 00 00 00") + body


def test_reply_check_in_progress() -> None:
    body = hx("02 06 ff 13 00 01 00 00")
    reply = p.parse_reply(body, p.CMD_WRITE_PRODUCT_FILE)
    assert reply.result == 0
    assert p.parse_check_status(reply.data) == p.CheckStatus(p.CHECK_IN_PROGRESS, "")
    assert p.build_reply(p.CMD_WRITE_PRODUCT_FILE, 0, p.check_status_data(1)) == hx("08 00 00 00") + body


def test_reply_check_done() -> None:
    body = hx("02 06 ff 13 00 00 00 00")
    reply = p.parse_reply(body, p.CMD_WRITE_PRODUCT_FILE)
    assert p.parse_check_status(reply.data) == p.CheckStatus(p.CHECK_ACCEPTED, "")
    assert p.build_reply(p.CMD_WRITE_PRODUCT_FILE, 0, p.check_status_data(0)) == hx("08 00 00 00") + body


def test_reply_check_file_error() -> None:
    body = hx("02 06 ff 13 00 02 00 00")
    reply = p.parse_reply(body, p.CMD_WRITE_PRODUCT_FILE)
    assert p.parse_check_status(reply.data) == p.CheckStatus(p.CHECK_REJECTED, "")
    assert p.build_reply(p.CMD_WRITE_PRODUCT_FILE, 0, p.check_status_data(2)) == hx("08 00 00 00") + body


def test_device_info_request_ff17_has_no_password() -> None:
    assert p.device_info_request() == hx("04 00 00 00 02 02 ff 17")


def test_device_info_reply_ff17_long_frame() -> None:
    assert len(DEVICE_INFO_JSON) == 555
    expected = hx("32 02 00 00 02 ff ff 17 00 2b 02") + DEVICE_INFO_JSON
    assert p.build_reply(p.CMD_DEVICE_INFO, p.RC_OK, p.device_info_data(DEVICE_INFO_JSON)) == expected
    assert p.frame_size(expected[:4]) == 562
    reply = p.parse_reply(expected[4:], p.CMD_DEVICE_INFO)
    assert reply.result == 0
    info = p.parse_device_info(reply.data)
    assert info == json.loads(DEVICE_INFO_JSON)


def test_device_info_fields_from_ff17_json() -> None:
    info = device_info_from_json(json.loads(DEVICE_INFO_JSON))
    assert info.model == "M-ER 725 PM-15.2"
    assert info.serial_number == "21B60847"
    assert info.manufacturer == "Mertech"
    assert info.protocol_version == "0.16"
    assert info.app_version == "1.2.3"
    assert info.firmware_version == "7.9.1.15"
    assert info.raw["networkInfo"][0]["mac"] == "b0-58-67-80-c3-f8"


def test_hash_status_reply_layout() -> None:
    digest = hx(EMPTY_FILE_MD5)
    frame = p.build_reply(p.CMD_READ_FILE, p.RC_OK, p.hash_status_data(digest))
    assert frame == hx("16 00 00 00 02 14 ff 12 00 07") + digest
    assert len(frame) - 4 == 22
    assert p.parse_hash_status(p.parse_reply(frame[4:], p.CMD_READ_FILE).data) == digest


def test_download_chunk_reply_layout_puts_data_at_offset_12() -> None:
    frame = p.build_reply(p.CMD_READ_FILE, p.RC_OK, p.download_chunk_data(p.Chunk(0x0102, b"abc", True)))
    body = frame[4:]
    assert body == hx("02 0d ff 12 00 01 02 01 00 00 03 00 61 62 63")
    assert body[5] == 1
    assert body[12:] == b"abc"


def test_result_code_texts() -> None:
    assert p.result_text(0) == "OK"
    assert p.result_text(120) == "Неизвестная команда"
    assert p.result_text(122) == "Неверный пароль"
    assert p.result_text(124) == "Неверное значение параметра"
    assert p.result_text(171) == "Запрашиваемый файл пуст"
    assert p.result_text(172) == "В процессе выполнения"
    assert p.result_text(199) == "Предыдущий запрос ещё не завершён"
    assert p.result_text(203) == "Нехватает свободного места на диске"
    assert p.result_text(250) == "Неизвестный код результата 250"
