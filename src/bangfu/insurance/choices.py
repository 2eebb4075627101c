"""Code lists (字典) of social insurance (the list itself is in ``bangfu.codes``, shared with the engine)."""

from bangfu import codes
from bangfu.core.choices import text_choices

InsuranceType = text_choices(codes.INSURANCE_TYPE)
