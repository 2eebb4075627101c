"""The generator pipeline: the registry step, then one step per app that has one."""

from __future__ import annotations

import importlib
import time
from typing import Callable, Iterator

from bangfu.registry.generate.context import STEP_APPS, GenerateContext
from bangfu.registry.generate.population import make_households, make_persons

Step = Callable[[GenerateContext], None]


def registry_step(ctx: GenerateContext) -> None:
    """Households and persons into ``ctx``; then files (``out_dir``) and the database (``load``)."""
    started = time.perf_counter()
    ctx.households = make_households(ctx)
    ctx.persons = make_persons(ctx, ctx.households)
    ctx.counts["registry"] = {
        "households": ctx.household_count,
        "persons": ctx.person_count,
        "workers": int(ctx.persons["is_worker"].sum()),
    }
    ctx.say(f"已生成 {ctx.household_count} 户 {ctx.person_count} 人"
            f"（{time.perf_counter() - started:.1f} 秒）")
    if ctx.out_dir is not None:
        from bangfu.registry.generate.files import write_registry_files

        started = time.perf_counter()
        paths = write_registry_files(ctx)
        ctx.say(f"已写入 {len(paths)} 个文件到 {ctx.out_dir}（{time.perf_counter() - started:.1f} 秒）")
    if ctx.load:
        from bangfu.registry.generate.loader import registry_load_generated

        started = time.perf_counter()
        registry_load_generated(ctx)
        ctx.say(f"已装入数据库（{time.perf_counter() - started:.1f} 秒）")


def app_steps(apps: tuple[str, ...] | None = None) -> Iterator[tuple[str, Step]]:
    """``generate_step`` of every ``bangfu.<app>.generate`` that exists, in ``STEP_APPS`` order
    (an entry ``app:module`` names another module of the app, a second step of it)."""
    for entry in STEP_APPS if apps is None else apps:
        app, _sep, module_name = entry.partition(":")
        name = f"bangfu.{app}.{module_name or 'generate'}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name in (name, f"bangfu.{app}"):
                continue  # the app has no generator (yet)
            raise  # the generator exists but is broken: say so
        step = getattr(module, "generate_step", None)
        if step is not None:
            yield entry, step


def run_generate(ctx: GenerateContext) -> GenerateContext:
    registry_step(ctx)
    for app, step in app_steps():
        started = time.perf_counter()
        step(ctx)
        ctx.say(f"{app}：完成（{time.perf_counter() - started:.1f} 秒）")
    return ctx
