"""Mertech M-ER 725 wire protocol over TCP: frames, commands, result codes, chunks; pure, no I/O."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from opsuite.scales.devices.interface import ScaleProtocolError

SizeByteOrder = Literal["big", "little"]

STX = 0x02
PREFIX_SIZE = 4
"""TCP frames start with a u32 LE length of everything after it."""
LONG_BODY = 0xFF
"""The length byte saturates: any command+params (or echo+result+data) of 255 bytes or more gets 0xFF."""
MAX_CHUNK_SIZE = 60000
MAX_FRAME_SIZE = 1 << 17
"""Largest frame body we accept; the longest legitimate one is a 60000-byte chunk or a u16-sized JSON."""
MD5_SIZE = 16

# Commands; a first byte of 0xFF means a two-byte command.
CMD_CREATE_PRODUCT_FILE = b"\xff\x14"
CMD_POLL_PRODUCT_FILE = b"\xff\x15"
CMD_READ_FILE = b"\xff\x12"
CMD_WRITE_PRODUCT_FILE = b"\xff\x13"
CMD_DEVICE_INFO = b"\xff\x17"
CMD_GET_TIME = b"\x2a"
PASSWORDLESS_COMMANDS = frozenset({CMD_DEVICE_INFO, CMD_GET_TIME})

# Stage bytes: the first parameter after the password of FF 12 / FF 13.
STAGE_UPLOAD_HEADER = 0x02
STAGE_CHUNK = 0x03
STAGE_HASH_START = 0x06
STAGE_HASH_STATUS = 0x07
STAGE_CHECK = 0x09
PARAM_SIZE = 0x04
PARAM_EXPORT_TYPE = 0x01
EXPORT_CLEAR_FIRST = 0x00
EXPORT_KEEP = 0x01

# Upload check states (FF 13 / 09).
CHECK_ACCEPTED = 0
CHECK_IN_PROGRESS = 1
CHECK_REJECTED = 2

RC_OK = 0
RC_UNKNOWN_COMMAND = 120
RC_WRONG_PASSWORD = 122
RC_BAD_PARAMETER = 124
RC_FILE_EMPTY = 171
RC_IN_PROGRESS = 172
RC_BUSY = 199

RESULT_TEXTS: Mapping[int, str] = {
    0: "OK",
    17: "Ошибка в значении тары",
    110: "Неверное количество строк у параметра „Название магазина“",
    120: "Неизвестная команда",
    122: "Неверный пароль",
    124: "Неверное значение параметра",
    128: "Неверный номер ПЛУ",
    129: "Папка не существует",
    130: "Неверный код товара",
    136: "Неверный номер изображения",
    140: "Пустое ПЛУ",
    161: "Размер изображения превышает допустимый предел",
    171: "Запрашиваемый файл пуст",
    172: "В процессе выполнения",
    173: "Камера распознавания выключена",
    174: "Сбой работы с бэкапом",
    175: "Не было запроса на создание файла бэкапа",
    176: "Не хватает места на диске для создания бэкапа",
    177: "Несоответствие версий БД",
    178: "Несоответствие версий Service",
    179: "Несоответствие прав доступа",
    180: "Несоответствие версий камеры распознавания",
    181: "Бэкап не содержит файл конфигурации",
    182: "Бэкап не содержит папку MertechScale",
    183: "Бэкап не содержит данные о товарах",
    184: "Бэкап не содержит данные об этикетках",
    185: "Бэкап не содержит файла камеры распознавания",
    186: "Бэкап не содержит папки сценариев",
    187: "Фасовщик с таким номером не найден",
    188: "Устройство не проинициализировано",
    189: "Старая версия прошивки без возможности сделать резервную копию",
    190: "Камера распознавания не содержит данных для создания резервной копии",
    191: "Отсутствует один из обязательных элементов этикетки",
    # 192-194 and 200-202 are only summarised by the sources, not quoted; these texts are our paraphrase.
    192: "Сервис распознавания выключен",
    193: "Сервис распознавания не запущен",
    194: "Сервис распознавания не завершил работу",
    195: "Нет данных об этикетке",
    196: "Категория не найдена",
    197: "Категория для переназначения не найдена",
    198: "Штрихкод не поддерживается",
    199: "Предыдущий запрос ещё не завершён",
    200: "Ошибка шифрования сценария",
    201: "Ошибка шифрования сценария",
    202: "Ошибка шифрования сценария",
    203: "Нехватает свободного места на диске",
}


def result_text(code: int) -> str:
    """Readable text for a scale result code, as the vendor's tools show it."""
    return RESULT_TEXTS.get(code, f"Неизвестный код результата {code}")


def command_name(command: bytes) -> str:
    """Hex spelling of a command for messages and logs, e.g. 'FF 14'."""
    return command.hex(" ").upper()


def encode_password(password: str) -> bytes:
    """The four password bytes as sent on the wire."""
    raw = password.encode("ascii")
    if len(raw) != 4:
        raise ValueError("scale password must be exactly 4 ASCII characters")
    return raw


def md5_digest(data: bytes) -> bytes:
    """MD5 of a file body, as the scale uses it for integrity (not security)."""
    return hashlib.md5(data, usedforsecurity=False).digest()


def encode_product_file(data: Mapping[str, Any]) -> bytes:
    """Serialise a product file the way the scale expects it: compact UTF-8 JSON, non-ASCII kept."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_product_file(raw: bytes) -> dict[str, Any]:
    """Parse a downloaded product file; a bare top-level list is wrapped as {"items": [...]}."""
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScaleProtocolError(f"product file is not UTF-8 JSON: {exc}") from exc
    if isinstance(parsed, dict):
        return parsed
    if isinstance(parsed, list):
        return {"items": parsed}
    raise ScaleProtocolError(f"product file is JSON {type(parsed).__name__}, expected an object")


class ProductFile:
    """A product file as its wire bytes and MD5, parsed as JSON only once, and only when first asked."""

    __slots__ = ("_data", "_digest", "raw")

    def __init__(self, raw: bytes, *, digest: bytes | None = None) -> None:
        self.raw = raw
        """The UTF-8 JSON exactly as it travels."""
        self._digest = digest
        self._data: dict[str, Any] | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ProductFile:
        """Encode a parsed product file the way the scale expects it."""
        return cls(encode_product_file(data))

    @property
    def digest(self) -> bytes:
        """MD5 of the bytes; known without hashing when the scale sent it and we verified it."""
        if self._digest is None:
            self._digest = md5_digest(self.raw)
        return self._digest

    @property
    def data(self) -> dict[str, Any]:
        """The JSON, parsed on first use and kept; ScaleProtocolError if it is not a product file."""
        if self._data is None:
            self._data = decode_product_file(self.raw)
        return self._data

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"ProductFile({len(self.raw)} bytes)"


# --- frames -------------------------------------------------------------------------------------------


def length_byte(size: int) -> int:
    """The L byte for a frame whose command (or echo) plus the rest is size bytes long."""
    return size if size < LONG_BODY else LONG_BODY


def wrap_frame(payload: bytes) -> bytes:
    """Add STX, L and the TCP length prefix to command+params (or echo+result+data)."""
    body = bytes((STX, length_byte(len(payload)))) + payload
    return len(body).to_bytes(PREFIX_SIZE, "little") + body


def frame_size(prefix: bytes) -> int:
    """Read the u32 LE prefix and check it can hold a frame we would accept."""
    if len(prefix) != PREFIX_SIZE:
        raise ScaleProtocolError(f"length prefix must be {PREFIX_SIZE} bytes, got {len(prefix)}")
    size = int.from_bytes(prefix, "little")
    if size < 3 or size > MAX_FRAME_SIZE:
        raise ScaleProtocolError(f"frame length {size} out of range")
    return size


def unwrap_frame(body: bytes) -> bytes:
    """Check STX and L of a frame body (after the prefix) and return what follows them."""
    return bytes(unwrap_frame_view(body))


def unwrap_frame_view(body: bytes | memoryview) -> memoryview:
    """unwrap_frame without copying: a view of what follows STX and L."""
    if len(body) < 3:
        raise ScaleProtocolError(f"frame of {len(body)} bytes is too short")
    if body[0] != STX:
        raise ScaleProtocolError(f"frame starts with 0x{body[0]:02X}, not STX")
    payload = memoryview(body)[2:]
    if body[1] != length_byte(len(payload)):
        raise ScaleProtocolError(f"length byte 0x{body[1]:02X} does not match {len(payload)} bytes")
    return payload


def split_command(payload: bytes) -> tuple[bytes, bytes]:
    """Split a payload into its command (two bytes when the first is 0xFF) and the rest."""
    command, rest = split_command_view(payload)
    return command, bytes(rest)


def split_command_view(payload: bytes | memoryview) -> tuple[bytes, memoryview]:
    """split_command without copying the rest."""
    width = 2 if len(payload) and payload[0] == 0xFF else 1
    if len(payload) < width:
        raise ScaleProtocolError("frame ends inside the command")
    view = memoryview(payload)
    return bytes(view[:width]), view[width:]


@dataclass(frozen=True)
class Request:
    """A request as the scale sees it."""

    command: bytes
    params: bytes


@dataclass(frozen=True)
class Reply:
    """A reply: the echoed command, the result code and whatever data follows."""

    command: bytes
    result: int
    data: bytes


def build_request(command: bytes, params: bytes = b"", *, password: bytes | None = None) -> bytes:
    """A complete TCP request frame; the password, when given, goes first in the parameters."""
    return wrap_frame(command + (password or b"") + params)


def parse_request(body: bytes) -> Request:
    """Parse a request frame body (after the prefix)."""
    command, params = split_command_view(unwrap_frame_view(body))
    return Request(command, bytes(params))


def build_reply(command: bytes, result: int, data: bytes = b"") -> bytes:
    """A complete TCP reply frame."""
    return wrap_frame(command + bytes((result,)) + data)


def parse_reply(body: bytes, expected_command: bytes) -> Reply:
    """Parse a reply frame body (after the prefix) and check it answers the expected command."""
    result, data = parse_reply_view(body, expected_command)
    return Reply(expected_command, result, bytes(data))


def parse_reply_view(body: bytes, expected_command: bytes) -> tuple[int, memoryview]:
    """parse_reply without copying: the result code and a view of the data after it."""
    command, rest = split_command_view(unwrap_frame_view(body))
    if command != expected_command:
        raise ScaleProtocolError(
            f"reply echoes {command_name(command)}, expected {command_name(expected_command)}"
        )
    if not rest:
        raise ScaleProtocolError(f"reply to {command_name(command)} has no result code")
    return rest[0], rest[1:]


# --- named requests -----------------------------------------------------------------------------------


def create_product_file_request(password: bytes) -> bytes:
    """FF 14: ask the scale to prepare its product file for download."""
    return build_request(CMD_CREATE_PRODUCT_FILE, password=password)


def poll_product_file_request(password: bytes) -> bytes:
    """FF 15: is the product file ready? (172 = not yet)."""
    return build_request(CMD_POLL_PRODUCT_FILE, password=password)


def read_file_request(password: bytes, stage: int) -> bytes:
    """FF 12 with a stage: 06 start hashing, 07 hash status, 03 next chunk."""
    return build_request(CMD_READ_FILE, bytes((stage,)), password=password)


def upload_header_params(digest: bytes, size: int, *, clear: bool, byteorder: SizeByteOrder) -> bytes:
    """Parameters of FF 13 / 02: MD5, 8-byte size (byte order disputed by sources), export type."""
    if len(digest) != MD5_SIZE:
        raise ValueError("MD5 digest must be 16 bytes")
    export_type = EXPORT_CLEAR_FIRST if clear else EXPORT_KEEP
    return (
        bytes((STAGE_UPLOAD_HEADER,))
        + digest
        + bytes((PARAM_SIZE,))
        + size.to_bytes(8, byteorder)
        + bytes((PARAM_EXPORT_TYPE, export_type))
    )


def upload_header_request(
    password: bytes, digest: bytes, size: int, *, clear: bool, byteorder: SizeByteOrder = "big"
) -> bytes:
    """FF 13 / 02: announce an upload of size bytes with the given MD5."""
    params = upload_header_params(digest, size, clear=clear, byteorder=byteorder)
    return build_request(CMD_WRITE_PRODUCT_FILE, params, password=password)


def upload_check_request(password: bytes) -> bytes:
    """FF 13 / 09: has the scale accepted the uploaded file?"""
    return build_request(CMD_WRITE_PRODUCT_FILE, bytes((STAGE_CHECK,)), password=password)


def device_info_request() -> bytes:
    """FF 17: device information; carries no password."""
    return build_request(CMD_DEVICE_INFO)


# --- chunks -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """One piece of a file in transfer."""

    offset: int
    data: bytes
    last: bool


def split_chunks(data: bytes, size: int = MAX_CHUNK_SIZE) -> list[Chunk]:
    """Cut a file into chunks of at most size bytes; an empty file is one empty last chunk."""
    if not 1 <= size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk size must be 1..{MAX_CHUNK_SIZE}, got {size}")
    offsets = range(0, len(data), size) or range(1)
    return [Chunk(o, data[o : o + size], o + size >= len(data)) for o in offsets]


def join_chunks(chunks: Iterable[Chunk]) -> bytes:
    """Reassemble chunks, insisting each starts where the previous ended and only the final one is last."""
    parts: list[bytes] = []
    received = 0
    finished = False
    for chunk in chunks:
        if finished:
            raise ScaleProtocolError("chunk after the last chunk")
        if chunk.offset != received:
            raise ScaleProtocolError(f"chunk at offset {chunk.offset}, expected {received}")
        parts.append(chunk.data)
        received += len(chunk.data)
        finished = chunk.last
    if not finished:
        raise ScaleProtocolError("file ended without a last chunk")
    return b"".join(parts)


CHUNK_FIELDS_SIZE = 7
"""last u8, offset u32 LE, length u16 LE: what precedes a chunk's data."""


def chunk_head(offset: int, size: int, last: bool) -> bytes:
    """The chunk fields before the data: last, offset u32 LE, length u16 LE."""
    if size > MAX_CHUNK_SIZE:
        raise ValueError(f"chunk of {size} bytes exceeds {MAX_CHUNK_SIZE}")
    return bytes((int(last),)) + offset.to_bytes(4, "little") + size.to_bytes(2, "little")


def chunk_fields(chunk: Chunk) -> bytes:
    """Chunk layout of upload requests and download replies: last, offset u32 LE, length u16 LE, data."""
    return chunk_head(chunk.offset, len(chunk.data), chunk.last) + chunk.data


def parse_chunk_fields(fields: bytes) -> Chunk:
    """Inverse of chunk_fields, checking the declared length against the data present."""
    offset, data, last = parse_chunk_view(fields)
    return Chunk(offset, bytes(data), last)


def parse_chunk_view(fields: bytes | memoryview) -> tuple[int, memoryview, bool]:
    """parse_chunk_fields without copying: offset, a view of the data, last flag."""
    if len(fields) < CHUNK_FIELDS_SIZE:
        raise ScaleProtocolError(f"chunk header needs 7 bytes, got {len(fields)}")
    view = memoryview(fields)
    if view[0] not in (0, 1):
        raise ScaleProtocolError(f"last-chunk flag is {view[0]}, expected 0 or 1")
    offset = int.from_bytes(view[1:5], "little")
    declared = int.from_bytes(view[5:7], "little")
    data = view[CHUNK_FIELDS_SIZE:]
    if declared != len(data):
        raise ScaleProtocolError(f"chunk declares {declared} bytes but carries {len(data)}")
    return offset, data, view[0] == 1


def frame_head(payload_head: bytes, tail_size: int) -> bytes:
    """Prefix, STX and L for a frame whose payload is payload_head followed by tail_size more bytes."""
    size = len(payload_head) + tail_size
    return (size + 2).to_bytes(PREFIX_SIZE, "little") + bytes((STX, length_byte(size))) + payload_head


def upload_chunk_head(password: bytes, offset: int, size: int, last: bool) -> bytes:
    """FF 13 / 03 up to its data: write it, then the size data bytes, and the frame is whole."""
    head = CMD_WRITE_PRODUCT_FILE + password + bytes((STAGE_CHUNK,)) + chunk_head(offset, size, last)
    return frame_head(head, size)


def upload_chunk_request(password: bytes, chunk: Chunk) -> bytes:
    """FF 13 / 03: one chunk of the file being uploaded."""
    return upload_chunk_head(password, chunk.offset, len(chunk.data), chunk.last) + chunk.data


def download_chunk_reply_head(offset: int, size: int, last: bool) -> bytes:
    """FF 12 / 03 reply (result OK) up to its data."""
    return frame_head(CMD_READ_FILE + bytes((RC_OK,)) + chunk_head(offset, size, last), size)


# --- reply data (what follows the result code) ---------------------------------------------------------


def hash_status_data(digest: bytes) -> bytes:
    """Reply data of FF 12 / 07: the stage echo and the file's MD5."""
    return bytes((STAGE_HASH_STATUS,)) + digest


def parse_hash_status(data: bytes) -> bytes:
    """The MD5 from FF 12 / 07 reply data."""
    if len(data) != 1 + MD5_SIZE or data[0] != STAGE_HASH_STATUS:
        raise ScaleProtocolError(f"hash status reply malformed: {data.hex(' ')}")
    return data[1:]


def download_chunk_data(chunk: Chunk) -> bytes:
    """Reply data of FF 12 / 03."""
    return chunk_fields(chunk)


def parse_download_chunk(data: bytes) -> Chunk:
    """A chunk from FF 12 / 03 reply data."""
    return parse_chunk_fields(data)


@dataclass(frozen=True)
class CheckStatus:
    """Outcome of FF 13 / 09: state 0 accepted, 1 still processing, 2 rejected with a message."""

    state: int
    message: str


def check_status_data(state: int, message: str = "") -> bytes:
    """Reply data of FF 13 / 09: state, then a u16 LE message length and the UTF-8 message."""
    text = message.encode("utf-8")
    return bytes((state,)) + len(text).to_bytes(2, "little") + text


def parse_check_status(data: bytes) -> CheckStatus:
    """Decode FF 13 / 09 reply data; the length field must match the text that follows."""
    if not data:
        raise ScaleProtocolError("check reply carries no state")
    if len(data) == 1:
        return CheckStatus(data[0], "")
    if len(data) < 3:
        raise ScaleProtocolError(f"check reply malformed: {data.hex(' ')}")
    declared = int.from_bytes(data[1:3], "little")
    if declared != len(data) - 3:
        raise ScaleProtocolError(f"check message declares {declared} bytes but carries {len(data) - 3}")
    return CheckStatus(data[0], data[3:].decode("utf-8", errors="replace"))


def device_info_data(info_json: bytes) -> bytes:
    """Reply data of FF 17: u16 LE length and the JSON."""
    return len(info_json).to_bytes(2, "little") + info_json


def parse_device_info(data: bytes) -> dict[str, Any]:
    """The JSON object from FF 17 reply data."""
    if len(data) < 2:
        raise ScaleProtocolError("device info reply has no length")
    declared = int.from_bytes(data[:2], "little")
    if declared != len(data) - 2:
        raise ScaleProtocolError(f"device info declares {declared} bytes but carries {len(data) - 2}")
    try:
        parsed = json.loads(data[2:].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScaleProtocolError(f"device info is not UTF-8 JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise ScaleProtocolError("device info is not a JSON object")
    return parsed


# --- request parameters, as the simulator reads them -------------------------------------------------


@dataclass(frozen=True)
class UploadHeader:
    """FF 13 / 02 parameters; the size is kept in both byte orders because sources disagree."""

    digest: bytes
    size_big: int
    size_little: int
    clear: bool


def parse_upload_header(params: bytes) -> UploadHeader:
    """Parse FF 13 / 02 parameters (after the password)."""
    expected = 1 + MD5_SIZE + 1 + 8 + 2
    if len(params) != expected or params[0] != STAGE_UPLOAD_HEADER:
        raise ScaleProtocolError(f"upload header must be {expected} bytes starting with stage 02")
    size_at = 1 + MD5_SIZE
    if params[size_at] != PARAM_SIZE or params[size_at + 9] != PARAM_EXPORT_TYPE:
        raise ScaleProtocolError("upload header parameters out of order")
    size_field = params[size_at + 1 : size_at + 9]
    export_type = params[size_at + 10]
    if export_type not in (EXPORT_CLEAR_FIRST, EXPORT_KEEP):
        raise ScaleProtocolError(f"export type {export_type} unknown")
    return UploadHeader(
        digest=params[1:size_at],
        size_big=int.from_bytes(size_field, "big"),
        size_little=int.from_bytes(size_field, "little"),
        clear=export_type == EXPORT_CLEAR_FIRST,
    )
