"""The feature catalogue: named, documented values per beneficiary, computed set-based.

A feature is what a policy author writes in CEL (``age >= 16``, ``months_worked("out_of_city")``).
Each one is an Ibis expression over the facts tables, evaluated for every beneficiary of one kind
(``person``, ``enterprise`` or ``workshop``) in one period at once: ``feature_table`` builds one
row per beneficiary with exactly the features a policy uses, so the database does the work.

Features that aggregate a facts table (employment months, contributions, entitlements,
workshop memberships) are grouped by their *source*: all features of one source are computed in
a single GROUP BY and joined once, so a policy reading three employment features scans the
12 million employment rows once. A beneficiary with no row in a source gets the feature's
default (0, false): features are never null, so CEL sees total values.

Django-free: table names come from ``bangfu.engine.schema`` and ``definitions`` (the database
names of bangfu's models), code lists and their labels from ``bangfu.codes``. Labels are
Chinese; ``gettext_noop`` only marks them for the translators' catalogue.

The package: ``definitions`` (kinds, tables, ``Period``, ``Param``, ``Feature``, ``FeatureCall``),
``sources`` (the facts tables each aggregate reads), ``catalogue`` (every feature and the
lookups), ``table`` (``feature_table``). Import from ``bangfu.engine.features``.
"""

from bangfu.engine.features.catalogue import (
    CATALOGUE, feature_arities, feature_lookup, feature_names, features_for,
)
from bangfu.engine.features.definitions import (
    CONTRIBUTION, EMPLOYER, ENTITLEMENT, HELPER, KIND_LABELS, KINDS, OUTFLOW_BATCH, OUTFLOW_MEMBER, PERIOD_RE,
    POLICY, POLICY_CODE_RE,
    POLICY_INPUT_TABLES, TYPE_LABELS, TYPES, UI_CONTRIBUTION, VULNERABLE_GROUP, WORKSHOP, WORKSHOP_MEMBER,
    WORKSHOP_RATING, Feature, FeatureCall, FeatureContext, Param, Period, PeriodError, TableSource, gettext_noop,
)
from bangfu.engine.features.sources import BASE_TABLES, SOURCE_TABLES, SOURCES
from bangfu.engine.features.table import feature_table, restrict_to_area, source_tables

__all__ = [
    "BASE_TABLES", "CATALOGUE", "CONTRIBUTION", "EMPLOYER", "ENTITLEMENT", "HELPER", "KIND_LABELS", "KINDS",
    "OUTFLOW_BATCH", "OUTFLOW_MEMBER",
    "PERIOD_RE", "POLICY", "POLICY_CODE_RE", "POLICY_INPUT_TABLES", "SOURCE_TABLES", "SOURCES",
    "TYPE_LABELS", "TYPES", "UI_CONTRIBUTION", "VULNERABLE_GROUP", "WORKSHOP", "WORKSHOP_MEMBER", "WORKSHOP_RATING",
    "Feature", "FeatureCall", "FeatureContext",
    "Param", "Period", "PeriodError", "TableSource", "feature_arities", "feature_lookup",
    "feature_names", "feature_table", "features_for", "gettext_noop", "restrict_to_area",
    "source_tables",
]
