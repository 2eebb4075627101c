"""Training's two policies in the engine (免申即享, paid through ``payments`` as entitlements):

* ``training_living_allowance`` (培训期间生活费补贴): a poverty-alleviated trainee who completed a
  course with a certificate in the year gets the allowance per attended day, up to a number of
  days, once a year, unless the trainee drew unemployment benefit in a month of the course (the
  explanation then names that clause and its value);
* ``training_provider_subsidy`` (职业培训补贴): the provider of the courses gets, per certified
  trainee of the year, the amount of the course's level.

The amounts are parameters (``TRAINING_ALLOWANCE_*``, ``TRAINING_SUBSIDY_YUAN``) written into the
policy's CEL when it is loaded; a change of parameter loads as a new version of the policy. The
features are ``bangfu.engine.features.training``.
"""

from __future__ import annotations

from bangfu import codes
from bangfu.core.actors import Actor
from bangfu.engine.policy.definition import PolicyDefinition
from bangfu.training.params import param

ALLOWANCE = "training_living_allowance"
SUBSIDY = "training_provider_subsidy"
LEGAL_BASIS = "财社〔2017〕164号《就业补助资金管理办法》（职业培训补贴、培训期间生活费补贴）"
NOTE = "补贴标准由经办机构（运营方）在参数设置中按本地现行文件设定；启用前请核对金额和政策依据文件号。"


def allowance_definition() -> PolicyDefinition:
    per_day = int(param("TRAINING_ALLOWANCE_YUAN_PER_DAY"))
    max_days = int(param("TRAINING_ALLOWANCE_MAX_DAYS"))
    return PolicyDefinition(
        code=ALLOWANCE, name="脱贫人口培训期间生活费补贴", legal_basis=LEGAL_BASIS, beneficiary="person",
        condition=('category == "alleviated"\n&& training_certified_days >= 1\n'
                   "&& training_benefit_months == 0"),
        amount=(f"(training_certified_days >= {max_days} ? {max_days} : training_certified_days)"
                f" * {per_day}"),
        description=(f"脱贫人口参加职业技能培训并结业取得证书的，按培训出勤天数给予每人每天{per_day}元的生活费补贴，"
                     f"最多{max_days}天，每人每年享受一次；培训期间领取失业保险金的不重复享受。免申即享、直补到人。"),
        note=NOTE,
    )


def subsidy_definition() -> PolicyDefinition:
    table = param("TRAINING_SUBSIDY_YUAN")
    terms = " + ".join(f'trainees_certified("{level}") * {int(table[level])}'
                       for level in codes.SKILL_LEVEL.values if int(table.get(level, 0)))
    standards = "、".join(f"{codes.SKILL_LEVEL.label(level)}{int(table[level])}元"
                         for level in codes.SKILL_LEVEL.values if level in table)
    return PolicyDefinition(
        code=SUBSIDY, name="脱贫人口职业培训补贴（培训机构）", legal_basis=LEGAL_BASIS, beneficiary="enterprise",
        condition="trainees_certified >= 1", amount=terms or "0",
        description=(f"培训机构组织脱贫人口参加职业技能培训，学员结业并取得证书的，按培训等级给予机构职业培训补贴："
                     f"{standards}（每人次）。按年度核发，直补到机构对公账户。"),
        note=NOTE,
    )


def training_policies_load(*, actor: Actor) -> dict[str, str]:
    """Load (or update) the two policies from the parameters; {code: created|updated|unchanged}."""
    from bangfu.policies.services import policy_load

    return {d.code: policy_load(definition=d, actor=actor, change_reason="按培训参数载入")[1]
            for d in (allowance_definition(), subsidy_definition())}
