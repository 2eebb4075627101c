"""What the benchmarks share: fact generators, not benchmarks themselves (``make bench`` runs
``benchmarks/*.py``, so this folder is skipped). A benchmark run as a script has its own folder
on ``sys.path`` and imports ``facts.<module>``."""


def say(message: str) -> None:
    """A progress line, shown at once even when the output is piped."""
    print(message, flush=True)
