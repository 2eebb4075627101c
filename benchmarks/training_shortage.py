"""Benchmark: the shortage-trade list (紧缺工种清单) over the city's available workers and open
postings (``bangfu.engine.matching.shortage``).

    .venv/bin/python benchmarks/training_shortage.py [--workers 1000000] [--postings 300000]

Workers and postings come from the generators of ``benchmarks/matching.py`` (the registry's and
the jobs app's). Printed and written to benchmarks/results/training_shortage.json: the time to
collapse the worker profiles and rank the trades, the profile count and the top
trades.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--postings", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    import matching as bench  # benchmarks/matching.py: its generators

    from bangfu.engine.matching import WorkerGroups
    from bangfu.engine.matching import shortage

    with tempfile.TemporaryDirectory(prefix="bangfu-bench-shortage-") as tmp:
        out = Path(tmp)
        gen = bench.generate(args.workers, args.postings, args.seed, out)
        vocab, _certs, workers, jobs, encode_s = bench._load(out)
    started = time.perf_counter()
    groups = WorkerGroups.of(workers, vocab)
    w_rep, _ = shortage.worker_profiles(workers)
    profiles_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    rows = shortage.trade_shortages(workers, groups, jobs)
    rank_s, rank_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    top = [{"code": vocab.occupation_codes[r.occupation], "headcount": r.headcount, "candidates": r.candidates,
            "qualified": r.qualified, "gap": r.gap} for r in rows[:5]]
    result = {"benchmark": "training_shortage", "workers": args.workers, "postings": args.postings, **gen,
              "encode_s": round(encode_s, 1), "profiles_s": round(profiles_s, 1), "rank_s": round(rank_s, 1), "rank_cpu_s": round(rank_cpu_s, 1),
              "worker_profiles": int(len(w_rep)), "trades": len(rows),
              "top": top}
    path = ROOT / "benchmarks" / "results" / "training_shortage.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"training_shortage: {args.workers:,} workers ({len(w_rep):,} profiles), {args.postings:,} postings "
          f": {len(rows)} trades ranked in {rank_s:.1f} s "
          f"(CPU {rank_cpu_s:.1f} s; profiles {profiles_s:.1f} s) -> {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
