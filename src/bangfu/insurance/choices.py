"""Code lists (字典) of social insurance (the lists themselves are in ``bangfu.codes``, shared with the engine)."""

from bangfu import codes
from bangfu.core.choices import text_choices

InsuranceType = text_choices(codes.INSURANCE_TYPE)
VulnerableGroup = text_choices(codes.VULNERABLE_GROUP)
InsuredScheme = text_choices(codes.INSURED_SCHEME)
CoverageRule = text_choices(codes.COVERAGE_RULE)
CoverageFollowUp = text_choices(codes.COVERAGE_FOLLOW_UP)
PlatformIndustry = text_choices(codes.PLATFORM_INDUSTRY)
InjuryStage = text_choices(codes.INJURY_STAGE)
EnterpriseScale = text_choices(codes.ENTERPRISE_SCALE)
