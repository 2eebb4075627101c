"""bangfu's batch engine: Django-free Ibis expressions that run on DuckDB, SQLite, PostgreSQL, Spark."""
