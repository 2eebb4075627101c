"""The registry's steps of ``bangfu demo``: the reference data, then 20,000 generated persons."""

from __future__ import annotations

from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bangfu.core.hooks import DemoContext

DEMO_SEED = 2024


def reference_data(ctx: DemoContext) -> None:
    """The migrations load the divisions; reload them if someone emptied the table since."""
    from bangfu.registry import reference
    from bangfu.registry.models import Division, Place

    if not Division.objects.exists() or not Place.objects.exists():
        reference.load_reference_data(Division, Place)
    ctx.console.print("✓ 行政区划参考数据已就绪 / divisions ready")


def generate_persons(ctx: DemoContext) -> None:
    """Generate and load ``ctx.people`` persons (seed 2024, history up to today) unless persons
    are already there."""
    from bangfu.registry.generate import GenerateContext, run_generate
    from bangfu.registry.models import Person

    console = ctx.console
    existing = Person.objects.count()
    if existing:
        console.print(f"✓ 已有 {existing:,} 人，跳过生成 / {existing:,} persons already loaded")
        return
    # The demo's history ends today, so that postings are open, the policy pages' default year
    # has facts, and this month shows as not yet reported beside the months before it (which
    # the monitoring step of the generator closes for every district).
    gen = GenerateContext(seed=DEMO_SEED, people=ctx.people, load=True, as_of=timezone.localdate())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        tasks: dict[str, int] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        gen.say = lambda message: progress.console.print("  " + message)
        gen.progress = advance
        run_generate(gen)
    console.print(f"✓ 已生成并装入 {gen.person_count:,} 人（种子 {DEMO_SEED}，数据截至 {gen.as_of}） / "
                  f"{gen.person_count:,} persons generated and loaded (as of {gen.as_of})")
