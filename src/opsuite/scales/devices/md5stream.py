"""MD5 of a file in transfer, fed chunk by chunk and hashed on a worker thread while the next chunk moves."""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType


class StreamingMD5:
    """MD5 of a file that arrives (or leaves) in chunks.

    Once a file spans several chunks, hashing runs in order on one worker thread while the event loop moves
    the next chunk; hashlib releases the GIL on buffers this large, so hashing and the socket overlap. A file
    of one chunk is hashed inline: a thread would cost more than it saves.
    """

    def __init__(self) -> None:
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._worker: ThreadPoolExecutor | None = None

    def __enter__(self) -> StreamingMD5:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Let the worker thread go; pending hashing is dropped."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown(wait=False, cancel_futures=True)

    def update(self, data: bytes | memoryview, *, more: bool) -> None:
        """Hash data next; more = further chunks follow, so a worker thread is worth starting."""
        if self._worker is None and not more:
            self._md5.update(data)
            return
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scale-md5")
        # Callers hand over data they never change (bytes, or a view of bytes): the worker may read it later.
        self._worker.submit(self._md5.update, data)

    def digest_now(self) -> bytes:
        """The MD5 of everything fed, blocking until the worker has hashed it all (synchronous callers)."""
        if self._worker is None:
            return self._md5.digest()
        return self._worker.submit(self._md5.digest).result()

    async def digest(self) -> bytes:
        """The MD5 of everything fed, once the worker has hashed it all."""
        if self._worker is None:
            return self._md5.digest()
        return await asyncio.wrap_future(self._worker.submit(self._md5.digest))
