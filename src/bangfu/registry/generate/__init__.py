"""Synthetic data: households and persons of Chongqing at any scale, then each app's own data.

``bangfu generate --people N --seed S [--out DIR] [--load] [--format csv|xlsx] [--scenario NAME]``
builds a ``GenerateContext`` and calls ``run_generate(ctx)``:

1. the registry step: households and persons as numpy columns in ``ctx.households`` and
   ``ctx.persons``; with ``ctx.out_dir`` it writes ``registry_<district>.csv`` (import format)
   and ``manifest.json``; with ``ctx.load`` it bulk-loads them and writes one audit row
   (``registry.generate``);
2. then ``generate_step(ctx)`` of ``bangfu.monitoring.generate``, ``bangfu.posts.generate``,
   ``bangfu.policies.generate``, ``bangfu.jobs.generate`` and ``bangfu.arrears.generate``, in
   that order; a missing module is skipped.

Contract for an app step (``bangfu/<app>/generate.py``)::

    def generate_step(ctx: GenerateContext) -> None:
        rng = ctx.rng_for("jobs")          # your own stream: independent of the other steps
        persons = ctx.persons              # numpy columns, see below; read, do not reorder
        ...
        if ctx.load:                       # the registry rows exist: ctx.persons["id"] are keys
            ...bulk insert, one transaction per chunk, one audit row for the step...
        if ctx.out_dir is not None:        # optional: write your own files next to the registry's
            ...
        ctx.counts["jobs"] = {"employers": 1200, "postings": 5400}
        ctx.say("…")                       # a progress line (Chinese) for the console

- Determinism: same ``ctx.seed`` → same data. Use ``ctx.rng_for(<app>)``, not ``ctx.rng``
  (the registry's stream), and no wall-clock dates: ages and months are relative to
  ``ctx.as_of`` (2024-12-31).
- ``ctx.scenario`` is ``""`` or a name from ``SCENARIOS`` (``"chongqing-2024"``: 1.9 million
  people; the monitoring step calibrates its employment to that scenario).
- ``ctx.load`` is False when only files are written: a step must then not touch the database.
- Scale: up to 1.9 million persons. Work column-wise with numpy; write with the raw cursor
  (``executemany`` / PostgreSQL ``COPY``), see ``loader._insert`` for a pattern.
- ``ctx.shared`` is a dict for handing data to later steps; ``ctx.progress(stage, done, total)``
  drives the console progress bar.

``ctx.households`` (one row per household, ordered by township then number):
``id`` (database key after load, else 1..H), ``number`` (户编号), ``district_code``,
``township_code``, ``village``, ``category``, ``region_group``, ``size``, ``first_person``
(index of its first member in ``ctx.persons``).

``ctx.persons`` (one row per person, grouped by household; all arrays of length N):

=================== ======================= ==============================================
column              dtype                   meaning
=================== ======================= ==============================================
id                  int64                   database key after load, else 1..N
household_index     int64                   row in ``ctx.households``
household_number    str                     户编号
name                str                     姓名
id_number           str                     18-character ID (address code = district)
relation            str                     ``Relation`` value (head, spouse, son, ...)
phone               str                     11-digit mobile or ""
district_code       <U6                     6-digit district/county code
township_code       <U9                     9-digit township code (inside the district)
village             str                     村
region_group        str                     main_metro | northeast | southeast
category            str                     alleviated | monitored
birth_date          datetime64[D]
age                 int16                   completed years on ``ctx.as_of``
sex                 <U1                     M | F
labour_ability      str                     ordinary | skilled | weak | lost | none
education           str                     ``Education`` value or ""
health              str                     ``Health`` value
in_school           bool
is_worker           bool                    16-65 on ``ctx.as_of`` with labour ability
skills              str                     occupation codes, comma-joined ("" for none)
certificates        str                     certificate names, comma-joined
accepted_places     str                     place classes, comma-joined (in_county,...)
place_mask          uint8                   the same as bits: 1 in_county, 2 in_city,
                                            4 out_of_city, 8 abroad
expected_wage_fen   int64                   expected monthly wage in fen; 0 = none
=================== ======================= ==============================================

``str`` columns are numpy ``StringDType`` arrays: compare with ``==``, index with masks,
``.tolist()`` for the database.
"""

from bangfu.registry.generate.context import AS_OF, SCENARIOS, STEP_APPS, GenerateContext


def run_generate(ctx: GenerateContext) -> GenerateContext:
    """The registry step, then every app's ``generate_step`` (imported lazily: it needs Django)."""
    from bangfu.registry.generate.pipeline import run_generate as run

    return run(ctx)


__all__ = ["AS_OF", "SCENARIOS", "STEP_APPS", "GenerateContext", "run_generate"]
