"""An in-memory scale for domain unit tests: no sockets, no sleeps, faults on demand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from opsuite.scales.devices.interface import DeviceInfo, ScaleDevice, ScaleError, device_info_from_json
from opsuite.scales.devices.product_merge import copy_product_file, merge_product_files
from opsuite.scales.devices.sample_products import generate_product_file, sample_device_info

Operation = Literal["fetch_products", "push_products", "device_info"]


@dataclass
class _Fault:
    error: ScaleError
    operation: Operation | None
    times: int | None


@dataclass(frozen=True)
class PushRecord:
    """One push the fake accepted, as it arrived."""

    data: dict[str, Any]
    clear_database: bool


class FakeScale:
    """Implements ScaleDevice in memory; a push behaves like the simulator's (replace or merge)."""

    def __init__(
        self,
        products: Mapping[str, Any] | None = None,
        *,
        info: Mapping[str, Any] | None = None,
    ) -> None:
        self._file = copy_product_file(products if products is not None else generate_product_file(0))
        self._info = dict(info) if info is not None else sample_device_info("FAKE0001")
        self._faults: list[_Fault] = []
        self.calls: list[Operation] = []
        """Every call, including failed ones, in order."""
        self.pushes: list[PushRecord] = []

    @property
    def products(self) -> dict[str, Any]:
        """A copy of the product file the fake scale holds now."""
        return copy_product_file(self._file)

    @products.setter
    def products(self, data: Mapping[str, Any]) -> None:
        self._file = copy_product_file(data)

    def fail_next(self, error: ScaleError, *, operation: Operation | None = None) -> None:
        """Raise error from the next call (of the given operation, if named)."""
        self._faults.append(_Fault(error, operation, 1))

    def fail_always(self, error: ScaleError, *, operation: Operation | None = None) -> None:
        """Raise error from every call (of the given operation, if named) until clear_faults."""
        self._faults.append(_Fault(error, operation, None))

    def clear_faults(self) -> None:
        """Forget every pending fault."""
        self._faults.clear()

    async def fetch_products(self) -> dict[str, Any]:
        """Return a copy of the stored product file."""
        self._enter("fetch_products")
        return copy_product_file(self._file)

    async def push_products(self, data: Mapping[str, Any], *, clear_database: bool = False) -> None:
        """Store the file: replace when clearing, otherwise merge as the simulator does."""
        self._enter("push_products")
        # The JSON round trip rejects what the wire could not carry, as the real driver would.
        uploaded = copy_product_file(data)
        self.pushes.append(PushRecord(copy_product_file(uploaded), clear_database))
        self._file = uploaded if clear_database else merge_product_files(self._file, uploaded)

    async def device_info(self) -> DeviceInfo:
        """Return the configured device information."""
        self._enter("device_info")
        return device_info_from_json(self._info)

    def _enter(self, operation: Operation) -> None:
        self.calls.append(operation)
        for fault in self._faults:
            if fault.operation is None or fault.operation == operation:
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                raise fault.error


if TYPE_CHECKING:
    # Lets mypy prove the fake fits the interface, so domain tests exercise the same surface as the driver.
    _conforms: type[ScaleDevice] = FakeScale
