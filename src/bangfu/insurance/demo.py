"""``bangfu demo``: the insurance data of the demo at its scale (filled in by ``generate`` for
scenarios; the demo gets a small insured list, platforms and UI contributions here)."""

from __future__ import annotations


def demo_insurance(ctx) -> None:
    from bangfu.insurance.generate import demo_step

    demo_step(ctx)
