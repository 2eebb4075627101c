"""Cell parsers for ``Column(parse=...)``: each takes the cell's text and returns a value or
raises ``CellError`` with a Chinese reason. An empty cell of an optional column is passed as
``""``; each parser returns its empty value for it (``""``, ``None`` or ``False``).

    Column("labour_ability", "劳动技能", parse=choice(LabourAbility, aliases={"半劳动力": "weak"}))

The package: ``values`` (text, choices, yes/no, amounts, numbers, dates, code lists),
``identity`` (USCC, ID numbers, phones, areas, places), ``messages`` (the reasons, as msgids).
Import from ``bangfu.core.imports.parsers``.
"""

from bangfu.core.imports.parsers.identity import (
    area, district, id_number, id_number_info, phone, place, uscc,
)
from bangfu.core.imports.parsers.messages import (
    ERR_AMOUNT, ERR_AMOUNT_EXPONENT, ERR_AMOUNT_FEN, ERR_AMOUNT_RANGE, ERR_AREA, ERR_BOOLEAN,
    ERR_CHOICE, ERR_DATE, ERR_DISTRICT, ERR_INTEGER, ERR_INTEGER_RANGE, ERR_LIST_ITEM, ERR_MONTH,
    ERR_MONTH_EARLY, ERR_MONTH_FUTURE, ERR_NEGATIVE, ERR_PHONE, ERR_PLACE, ERR_TOO_LONG,
    ERR_TOWNSHIP_AS_DISTRICT, ERR_USCC, ERR_YEAR, MAX_CELL_YUAN,
)
from bangfu.core.imports.parsers.values import (
    DATE_PATTERNS, FALSE_WORDS, LIST_SEPARATORS, MONTH_PATTERNS, TRUE_WORDS, ascii_text, boolean,
    choice, choice_labels, choice_list, code_list, date, integer, month, text, text_list, year,
    yuan_to_fen,
)

__all__ = [
    "DATE_PATTERNS", "ERR_AMOUNT", "ERR_AMOUNT_EXPONENT", "ERR_AMOUNT_FEN", "ERR_AMOUNT_RANGE",
    "ERR_AREA", "ERR_BOOLEAN", "ERR_CHOICE", "ERR_DATE", "ERR_DISTRICT", "ERR_INTEGER",
    "ERR_INTEGER_RANGE", "ERR_LIST_ITEM", "ERR_MONTH", "ERR_MONTH_EARLY", "ERR_MONTH_FUTURE",
    "ERR_NEGATIVE", "ERR_PHONE", "ERR_PLACE", "ERR_TOO_LONG", "ERR_TOWNSHIP_AS_DISTRICT",
    "ERR_USCC", "ERR_YEAR", "FALSE_WORDS", "LIST_SEPARATORS", "MAX_CELL_YUAN", "MONTH_PATTERNS",
    "TRUE_WORDS", "area", "ascii_text", "boolean", "choice", "choice_labels", "choice_list",
    "code_list", "date", "district", "id_number", "id_number_info", "integer", "month", "phone",
    "place", "text", "text_list", "uscc", "year", "yuan_to_fen",
]
