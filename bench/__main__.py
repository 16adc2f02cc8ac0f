"""`python -m bench`: run every benchmark and print its ratios."""

from __future__ import annotations

import time

from bench import (
    powerbank_gateway,
    production_files,
    production_webhooks,
    scales_transfer,
    waybills_api,
    waybills_chain,
    weighbridge_ws,
)


def main() -> None:
    """Run the benchmarks one after another."""
    started = time.perf_counter()
    for benchmark in (
        waybills_api.run,
        waybills_chain.run,
        scales_transfer.run,
        production_webhooks.run,
        production_files.run,
        powerbank_gateway.run,
        weighbridge_ws.run,
    ):
        benchmark()
        print()
    print(f"all benchmarks done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
