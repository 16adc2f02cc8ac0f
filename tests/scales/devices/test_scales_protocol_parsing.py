"""Frame, chunk and field parsing: edge cases and round-trip properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import ConnectionParams, ScaleProtocolError

one_byte_commands = st.integers(0, 0xFE).map(lambda b: bytes((b,)))
two_byte_commands = st.integers(0, 0xFF).map(lambda b: bytes((0xFF, b)))
commands = st.one_of(one_byte_commands, two_byte_commands)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(commands, st.binary(max_size=700))
def test_request_round_trip(command: bytes, params: bytes) -> None:
    frame = p.build_request(command, params)
    assert p.frame_size(frame[:4]) == len(frame) - 4
    assert frame[4] == p.STX
    assert frame[5] == min(len(command) + len(params), 255)
    assert p.parse_request(frame[4:]) == p.Request(command, params)


@given(commands, st.integers(0, 255), st.binary(max_size=700))
def test_reply_round_trip(command: bytes, result: int, data: bytes) -> None:
    frame = p.build_reply(command, result, data)
    assert frame[5] == min(len(command) + 1 + len(data), 255)
    assert p.parse_reply(frame[4:], command) == p.Reply(command, result, data)


@given(st.binary(max_size=5000), st.integers(1, 700))
def test_chunks_reassemble_to_the_original(data: bytes, size: int) -> None:
    chunks = p.split_chunks(data, size)
    assert len(chunks) == max(1, math.ceil(len(data) / size))
    assert all(len(c.data) <= size for c in chunks)
    assert [c.last for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert p.join_chunks(chunks) == data


@given(st.binary(max_size=p.MAX_CHUNK_SIZE), st.integers(0, 2**32 - 1), st.booleans())
def test_chunk_fields_round_trip(data: bytes, offset: int, last: bool) -> None:
    chunk = p.Chunk(offset, data, last)
    assert p.parse_chunk_fields(p.chunk_fields(chunk)) == chunk


@given(st.integers(0, 255), st.text(max_size=300))
def test_check_status_round_trip(state: int, message: str) -> None:
    assert p.parse_check_status(p.check_status_data(state, message)) == p.CheckStatus(state, message)


@given(
    st.binary(min_size=16, max_size=16),
    st.integers(0, 2**40),
    st.booleans(),
    st.sampled_from(["big", "little"]),
)
def test_upload_header_round_trip(digest: bytes, size: int, clear: bool, order: p.SizeByteOrder) -> None:
    params = p.upload_header_params(digest, size, clear=clear, byteorder=order)
    header = p.parse_upload_header(params)
    assert header.digest == digest
    assert header.clear is clear
    assert (header.size_big if order == "big" else header.size_little) == size
    assert header.size_big == int.from_bytes(size.to_bytes(8, order), "big")


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_product_file_round_trip(data: dict[str, object]) -> None:
    assert p.decode_product_file(p.encode_product_file(data)) == data


def test_product_file_keeps_cyrillic_as_utf8() -> None:
    assert p.encode_product_file({"name": "Сыр"}) == '{"name":"Сыр"}'.encode()


def test_length_byte_saturates_at_255() -> None:
    assert [p.length_byte(n) for n in (0, 254, 255, 256, 60000)] == [0, 254, 255, 255, 255]


@pytest.mark.parametrize(
    "prefix", [b"\x00\x00\x00\x00", b"\x02\x00\x00\x00", b"\x01\x00\x02\x00", b"\x05\x00"]
)
def test_frame_size_rejects_impossible_lengths(prefix: bytes) -> None:
    with pytest.raises(ScaleProtocolError):
        p.frame_size(prefix)


def test_frame_size_accepts_the_largest_chunk_frame() -> None:
    frame = p.upload_chunk_request(b"1234", p.Chunk(0, bytes(p.MAX_CHUNK_SIZE), True))
    assert p.frame_size(frame[:4]) == 60016


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (bytes.fromhex("03 03 ff 13 00"), "not STX"),
        (bytes.fromhex("02 04 ff 13 00"), "length byte"),
        (bytes.fromhex("02 ff ff 13 00"), "length byte"),
        (bytes.fromhex("02 01"), "too short"),
        (bytes.fromhex("02 02 ff 12 00"), "length byte"),
    ],
)
def test_reply_frame_corruption_is_detected(body: bytes, reason: str) -> None:
    with pytest.raises(ScaleProtocolError, match=reason):
        p.parse_reply(body, p.CMD_READ_FILE)


def test_reply_with_wrong_echo_is_rejected() -> None:
    with pytest.raises(ScaleProtocolError, match="echoes FF 14, expected FF 13"):
        p.parse_reply(bytes.fromhex("02 03 ff 14 00"), p.CMD_WRITE_PRODUCT_FILE)


def test_reply_without_result_code_is_rejected() -> None:
    with pytest.raises(ScaleProtocolError, match="no result code"):
        p.parse_reply(bytes.fromhex("02 02 ff 13"), p.CMD_WRITE_PRODUCT_FILE)


def test_two_byte_command_cut_short_is_rejected() -> None:
    with pytest.raises(ScaleProtocolError, match="inside the command"):
        p.parse_request(bytes.fromhex("02 01 ff"))


def test_hash_status_needs_stage_and_sixteen_bytes() -> None:
    with pytest.raises(ScaleProtocolError):
        p.parse_hash_status(b"\x07" + bytes(15))
    with pytest.raises(ScaleProtocolError):
        p.parse_hash_status(b"\x06" + bytes(16))


def test_chunk_declaring_more_than_it_carries_is_rejected() -> None:
    with pytest.raises(ScaleProtocolError, match="declares 4 bytes but carries 3"):
        p.parse_chunk_fields(bytes.fromhex("01 00 00 00 00 04 00") + b"abc")


def test_chunk_with_bad_last_flag_is_rejected() -> None:
    with pytest.raises(ScaleProtocolError, match="last-chunk flag"):
        p.parse_chunk_fields(bytes.fromhex("02 00 00 00 00 00 00"))


def test_check_status_with_cyrillic_message() -> None:
    data = bytes.fromhex("02 0c 00") + "Ошибка".encode()
    assert p.parse_check_status(data) == p.CheckStatus(2, "Ошибка")
    with pytest.raises(ScaleProtocolError, match="declares 12 bytes but carries 11"):
        p.parse_check_status(data[:-1])


def test_check_status_without_data_is_rejected() -> None:
    with pytest.raises(ScaleProtocolError):
        p.parse_check_status(b"")
    with pytest.raises(ScaleProtocolError):
        p.parse_check_status(b"\x00\x00")


def test_device_info_must_be_a_json_object_of_declared_length() -> None:
    with pytest.raises(ScaleProtocolError, match="declares"):
        p.parse_device_info(b"\x05\x00{}")
    with pytest.raises(ScaleProtocolError, match="not a JSON object"):
        p.parse_device_info(b"\x02\x00[]")
    with pytest.raises(ScaleProtocolError, match="not UTF-8 JSON"):
        p.parse_device_info(b"\x02\x00{x")


def test_product_file_top_level_list_is_wrapped_as_items() -> None:
    assert p.decode_product_file(b'[{"id":1}]') == {"items": [{"id": 1}]}


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"{", b"42", b'"text"'])
def test_product_file_that_is_not_an_object_is_a_protocol_error(raw: bytes) -> None:
    with pytest.raises(ScaleProtocolError):
        p.decode_product_file(raw)


def test_join_chunks_detects_gaps_extra_chunks_and_missing_end() -> None:
    with pytest.raises(ScaleProtocolError, match="offset 4, expected 3"):
        p.join_chunks([p.Chunk(0, b"abc", False), p.Chunk(4, b"d", True)])
    with pytest.raises(ScaleProtocolError, match="after the last"):
        p.join_chunks([p.Chunk(0, b"abc", True), p.Chunk(3, b"d", True)])
    with pytest.raises(ScaleProtocolError, match="without a last chunk"):
        p.join_chunks([p.Chunk(0, b"abc", False)])


def test_empty_file_is_one_empty_last_chunk() -> None:
    assert p.split_chunks(b"") == [p.Chunk(0, b"", True)]


@pytest.mark.parametrize("size", [0, p.MAX_CHUNK_SIZE + 1])
def test_chunk_size_outside_protocol_range_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="chunk size"):
        p.split_chunks(b"abc", size)


def test_upload_header_rejects_wrong_shape() -> None:
    good = p.upload_header_params(bytes(16), 15, clear=False, byteorder="big")
    with pytest.raises(ScaleProtocolError):
        p.parse_upload_header(good[:-1])
    with pytest.raises(ScaleProtocolError):
        p.parse_upload_header(good[:-1] + b"\x07")
    with pytest.raises(ScaleProtocolError):
        p.parse_upload_header(b"\x03" + good[1:])


@pytest.mark.parametrize("password", ["123", "12345", "12 4", "пароль"[:4], ""])
def test_invalid_passwords_are_refused_before_any_connection(password: str) -> None:
    with pytest.raises(ValueError, match="password"):
        ConnectionParams(host="127.0.0.1", password=password)


def test_connection_params_defaults_and_hidden_password() -> None:
    params = ConnectionParams(host="10.0.0.5", password="1234")
    assert (params.port, params.timeout, params.deadline) == (1111, 5.0, 12.0)
    assert "1234" not in repr(params)


def test_command_name_is_spaced_hex() -> None:
    assert p.command_name(p.CMD_CREATE_PRODUCT_FILE) == "FF 14"
    assert p.command_name(p.CMD_GET_TIME) == "2A"
