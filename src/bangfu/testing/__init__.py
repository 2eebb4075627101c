"""Test infrastructure for bangfu: a pytest plugin (``bangfu.testing.fixtures``: PostgreSQL, Spark,
Playwright browser and live-server fixtures, the ``--pg-suite`` selection) and a throwaway
PostgreSQL cluster (``bangfu.testing.pgcluster``) that ``make test`` and the fixtures start."""
