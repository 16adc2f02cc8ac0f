"""IP camera snapshots over HTTP (Hikvision, Dahua, generic paths) through httpx, digest or basic auth."""

from __future__ import annotations

from typing import Literal

import httpx

from opsuite.weighbridge.devices.interface import DeviceTimedOut, DeviceUnavailable

HIKVISION_SNAPSHOT = "/ISAPI/Streaming/channels/101/picture"
DAHUA_SNAPSHOT = "/cgi-bin/snapshot.cgi?channel=1"
JPEG_MAGIC = b"\xff\xd8\xff"

AuthKind = Literal["digest", "basic"]


def is_jpeg(data: bytes) -> bool:
    """Whether `data` starts like a JPEG (SOI marker followed by another marker)."""
    return data.startswith(JPEG_MAGIC)


class HttpCamera:
    """One JPEG per call from a snapshot URL; credentials go in `username`/`password`, never the URL."""

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        auth: AuthKind = "digest",
        timeout: float = 4.0,
        max_bytes: int = 10 * 1024 * 1024,
    ) -> None:
        self.url = url
        self._auth: httpx.Auth | None = None
        if username is not None:
            secret = password or ""
            self._auth = (
                httpx.DigestAuth(username, secret) if auth == "digest" else httpx.BasicAuth(username, secret)
            )
        self._timeout = timeout
        self._max_bytes = max_bytes

    async def snapshot(self) -> bytes:
        """One JPEG frame; DeviceTimedOut when slow, DeviceUnavailable with a short reason otherwise."""
        try:
            async with (
                httpx.AsyncClient(auth=self._auth, timeout=self._timeout, follow_redirects=False) as client,
                client.stream("GET", self.url) as response,
            ):
                if response.status_code != httpx.codes.OK:
                    raise DeviceUnavailable(f"camera answered HTTP {response.status_code}")
                body = await self._read(response)
        except httpx.TimeoutException as exc:
            raise DeviceTimedOut(f"camera did not answer within {self._timeout} s") from exc
        except httpx.HTTPError as exc:
            raise DeviceUnavailable(f"camera unreachable: {type(exc).__name__}") from exc
        if not is_jpeg(body):
            raise DeviceUnavailable("camera answered something that is not a JPEG")
        return body

    async def _read(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise DeviceUnavailable(f"camera snapshot over {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
