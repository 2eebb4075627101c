"""The Chinese reasons the cell parsers give (msgids; translated when raised) and their limits."""

from django.utils.translation import gettext_noop

ERR_TOO_LONG = gettext_noop("内容过长（最多 {limit} 个字）")
ERR_CHOICE = gettext_noop("“{value}”不是有效的选项，可选：{allowed}")
ERR_BOOLEAN = gettext_noop("“{value}”无法识别，请填写“是”或“否”")
ERR_AMOUNT = gettext_noop("“{value}”不是有效的金额")
ERR_NEGATIVE = gettext_noop("金额不能为负数")
ERR_AMOUNT_RANGE = gettext_noop("金额超出合理范围（{low}–{high} 元）")
ERR_AMOUNT_FEN = gettext_noop("金额“{value}”最多保留两位小数（精确到分）")
ERR_AMOUNT_EXPONENT = gettext_noop("金额“{value}”请直接填写数字，不要使用科学计数法")
# No single cell of any import holds more than this many yuan (a month's pay, a subsidy, a
# batch line): also what keeps every amount in fen inside a 32-bit integer column.
MAX_CELL_YUAN = 10_000_000
ERR_INTEGER = gettext_noop("“{value}”不是整数")
ERR_INTEGER_RANGE = gettext_noop("数值应在 {low} 到 {high} 之间")
ERR_DATE = gettext_noop("“{value}”不是有效的日期（例如 2024-09-01）")
ERR_MONTH = gettext_noop("“{value}”不是有效的月份（例如 2024-09）")
ERR_MONTH_FUTURE = gettext_noop("年月 {month} 晚于本月，不能填报未来月份")
ERR_MONTH_EARLY = gettext_noop("年月 {month} 早于{year}年")
ERR_YEAR = gettext_noop("年度应为{low}年至{high}年之间的四位数字")
ERR_USCC = gettext_noop("统一社会信用代码 {value} 校验不通过")
ERR_AREA = gettext_noop("无法识别的区域：{value}（请填写50、区县或乡镇代码，或区域名称）")
ERR_PLACE = gettext_noop("无法识别的务工地区：{value}（请填写行政区划代码或省市全称）")
ERR_DISTRICT = gettext_noop("未知的区县代码“{value}”")
ERR_TOWNSHIP_AS_DISTRICT = gettext_noop("“{value}”是乡镇代码，区县代码应为6位（如 500230）")
ERR_PHONE = gettext_noop("联系电话格式错误（应为11位手机号，或带区号的固定电话如 023-12345678）")
ERR_LIST_ITEM = gettext_noop("“{value}”不是有效的选项，可选：{allowed}")
