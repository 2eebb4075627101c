"""Social insurance (社保): contributions and benefit months, insured lists and coverage gaps
(应保尽保), platforms' order declarations and injury cases (职业伤害保障), and employers'
unemployment-insurance contributions (失业保险减征). Premiums paid on behalf and the job-retention
refund are policies of ``policies`` (their entitlements are the one ledger, paid by ``payments``)."""

from bangfu.insurance.models.contributions import SocialInsuranceContribution, UnemploymentBenefitMonth
from bangfu.insurance.models.coverage import CoverageFollowUp, CoverageGap, InsuredRecord, VulnerableGroupMember
from bangfu.insurance.models.injury import InjuryCase, OrderDeclaration, Platform
from bangfu.insurance.models.unemployment import UnemploymentContribution

__all__ = [
    "CoverageFollowUp", "CoverageGap", "InjuryCase", "InsuredRecord", "OrderDeclaration", "Platform",
    "SocialInsuranceContribution", "UnemploymentBenefitMonth", "UnemploymentContribution",
    "VulnerableGroupMember",
]
