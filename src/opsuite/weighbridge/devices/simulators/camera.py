"""An IP camera on 127.0.0.1 serving a small JPEG behind digest or basic auth, or failing on demand."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
import secrets
from typing import Literal

from opsuite.weighbridge.devices.camera import HIKVISION_SNAPSHOT, AuthKind
from opsuite.weighbridge.devices.simulators.listening import bound_port

CameraMode = Literal["ok", "slow", "error", "not_jpeg"]
REALM = "IP Camera"
SAMPLE_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d"
    "3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238"
    "426363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc0"
    "0011080008000803012200021101031101ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400"
    "b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f0243362"
    "7282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778"
    "797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7"
    "d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708"
    "090a0bffc400b51100020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c10923"
    "3352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a"
    "737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9ca"
    "d2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00c8a28a2bd4380fffd9"
)
"""An 8x8 blue JPEG (632 bytes), valid for any decoder."""

_HEAD_LIMIT = 16 * 1024
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class CameraSimulator:
    """Serves `image` on any GET path; modes: ok, slow (never answers), error (HTTP 500), not_jpeg."""

    def __init__(
        self,
        *,
        username: str = "admin",
        password: str = "admin12345",
        auth: AuthKind | None = "digest",
        image: bytes = SAMPLE_JPEG,
    ) -> None:
        self.username = username
        self.password = password
        self.auth = auth
        self.image = image
        self.mode: CameraMode = "ok"
        self.served = 0
        """Snapshots answered with 200."""
        self._nonce = secrets.token_hex(16)
        self._server: asyncio.Server | None = None
        self._stopping = asyncio.Event()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        """The TCP port it listens on (after start)."""
        return bound_port(self._server, "camera")

    def url(self, path: str = HIKVISION_SNAPSHOT) -> str:
        """The snapshot URL of this camera."""
        return f"http://127.0.0.1:{self.port}{path}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen; returns the port."""
        self._stopping = asyncio.Event()
        self._server = await asyncio.start_server(self._serve, host, port)
        return self.port

    async def stop(self) -> None:
        """Stop listening and close every connection, slow ones included."""
        if self._server is not None:
            self._stopping.set()
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > _HEAD_LIMIT:
                return
            method, _, rest = head.decode("latin-1").partition(" ")
            uri = rest.partition(" ")[0]
            headers = dict(
                (name.strip().lower(), value.strip())
                for name, _, value in (
                    line.partition(":") for line in head.decode("latin-1").split("\r\n")[1:]
                )
                if name
            )
            await self._answer(writer, method, uri, headers.get("authorization", ""))
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _answer(self, writer: asyncio.StreamWriter, method: str, uri: str, authorization: str) -> None:
        if not self._authorized(method, uri, authorization):
            challenge = (
                f'Digest realm="{REALM}", qop="auth", nonce="{self._nonce}", algorithm=MD5'
                if self.auth == "digest"
                else f'Basic realm="{REALM}"'
            )
            await _respond(writer, 401, b"unauthorized", "text/plain", {"WWW-Authenticate": challenge})
        elif self.mode == "slow":
            await self._stopping.wait()
        elif self.mode == "error":
            await _respond(writer, 500, b"internal error", "text/plain")
        elif self.mode == "not_jpeg":
            await _respond(writer, 200, b"<html>login</html>", "text/html")
        else:
            self.served += 1
            await _respond(writer, 200, self.image, "image/jpeg")

    def _authorized(self, method: str, uri: str, authorization: str) -> bool:
        scheme, _, params = authorization.partition(" ")
        if self.auth is None:
            return True
        if self.auth == "basic":
            expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            return scheme == "Basic" and secrets.compare_digest(params, expected)
        fields = {match[1]: match[2] or match[3] for match in _PARAM.finditer(params)}
        if scheme != "Digest" or fields.get("username") != self.username or fields.get("uri") != uri:
            return False
        ha1 = _md5(f"{self.username}:{REALM}:{self.password}")
        ha2 = _md5(f"{method}:{uri}")
        parts = [ha1, self._nonce, fields.get("nc", ""), fields.get("cnonce", ""), "auth", ha2]
        return secrets.compare_digest(fields.get("response", ""), _md5(":".join(parts)))


async def _respond(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    content_type: str,
    extra: dict[str, str] | None = None,
) -> None:
    reasons = {200: "OK", 401: "Unauthorized", 500: "Internal Server Error"}
    lines = [
        f"HTTP/1.1 {status} {reasons[status]}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Connection: close",
    ]
    lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
