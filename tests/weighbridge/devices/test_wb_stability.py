"""The software stability window for indicators that send no flag (Yaohua, Keli)."""

from __future__ import annotations

from opsuite.weighbridge.devices.indicator import StabilityWindow


def feed(window: StabilityWindow, samples: list[tuple[float, float]]) -> list[bool]:
    return [window.update(kg, at) for at, kg in samples]


def test_stable_only_once_the_window_really_spans_the_duration() -> None:
    window = StabilityWindow(tolerance_kg=20.0, duration_s=2.0)
    samples = [(0.0, 24500.0), (0.5, 24510.0), (1.0, 24490.0), (1.5, 24505.0), (2.0, 24500.0), (2.5, 24500.0)]
    assert feed(window, samples) == [False, False, False, False, True, True]


def test_a_swing_beyond_tolerance_restarts_the_wait() -> None:
    window = StabilityWindow(tolerance_kg=20.0, duration_s=2.0)
    samples = [(0.0, 24500.0), (2.0, 24500.0), (2.5, 24530.0), (3.0, 24530.0), (4.0, 24530.0), (4.5, 24530.0)]
    # 24530 is 30 kg off, so the window must first lose every 24500 reading (at 4.5 s, 2 s after the swing).
    assert feed(window, samples) == [False, True, False, False, False, True]


def test_below_the_minimum_weight_is_never_stable() -> None:
    window = StabilityWindow(tolerance_kg=20.0, duration_s=1.0, min_kg=200.0)
    assert feed(window, [(0.0, 150.0), (1.0, 150.0), (2.0, 150.0), (3.0, 250.0), (4.0, 250.0)]) == [
        False,
        False,
        False,
        False,
        True,
    ]


def test_reset_forgets_the_history() -> None:
    window = StabilityWindow(tolerance_kg=20.0, duration_s=1.0)
    feed(window, [(0.0, 1000.0), (1.0, 1000.0)])
    window.reset()
    assert feed(window, [(1.5, 1000.0), (2.5, 1000.0)]) == [False, True]
