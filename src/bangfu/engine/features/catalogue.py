"""The catalogue: every feature a policy author may write, with its label and an example."""

from __future__ import annotations

import ibis

from bangfu import codes
from bangfu.engine.features import training
from bangfu.engine.features.definitions import (
    POLICY_CODE_RE, Feature, FeatureContext, Param, gettext_noop,
)
from bangfu.engine.features.insurance import features as insurance_features


_PLACE = Param("place", "string", gettext_noop("务工地点"), choices=codes.PLACE_CLASS.labels)
_CHANNEL = Param("channel", "string", gettext_noop("就业渠道"), choices=codes.CHANNEL.labels)
_POLICY = Param("policy", "string", gettext_noop("政策代码"), pattern=POLICY_CODE_RE)
_MONTHS = Param("months", "int", gettext_noop("月数"), minimum=1, maximum=240)


def _age(ctx: FeatureContext, t):
    end = ctx.period.last_day
    born = t.birth_date
    before_birthday = (born.month() > end.month) | ((born.month() == end.month) & (born.day() > end.day))
    return ibis.literal(end.year) - born.year() - before_birthday.ifelse(1, 0)


def _count(ctx, rows, *args):
    return rows.count()


def _received_this_year(ctx, rows, code):
    return ((rows.policy_code == code) & (rows.period == ctx.period.code)).ifelse(1, 0).sum()


def _received_times(ctx, rows, code):
    return (rows.policy_code == code).ifelse(1, 0).sum()


def _at_least_one(value):
    return value >= 1


def _fen_to_yuan(value):
    return value.cast("float64") / 100.0


def _features() -> list[Feature]:
    working = codes.WORKING_ABILITIES
    person = [
        Feature("age", "person", "int", gettext_noop("年龄"),
                gettext_noop("期末（所选年度的12月31日）的周岁年龄"), _age, example="age >= 16"),
        Feature("sex", "person", "string", gettext_noop("性别"), gettext_noop("M 男，F 女"),
                lambda ctx, t: t.sex, value_labels=codes.SEX.labels, example='sex == "F"'),
        Feature("category", "person", "string", gettext_noop("人口类型"),
                gettext_noop("alleviated 脱贫人口，monitored 防返贫监测对象"),
                lambda ctx, t: t.category, value_labels=codes.CATEGORY.labels,
                example='category in ["alleviated", "monitored"]'),
        Feature("labour_ability", "person", "string", gettext_noop("劳动技能"),
                gettext_noop("ordinary 普通劳动力，skilled 技能劳动力，weak 弱劳动力或半劳动力，lost 丧失劳动力，none 无劳动力"),
                lambda ctx, t: t.labour_ability, value_labels=codes.LABOUR_ABILITY.labels,
                example='labour_ability != "none"'),
        Feature("has_labour_ability", "person", "bool", gettext_noop("有劳动能力"),
                gettext_noop("劳动技能为普通劳动力、技能劳动力或弱劳动力（半劳动力）"),
                lambda ctx, t: t.labour_ability.isin(working), example="has_labour_ability"),
        Feature("is_worker", "person", "bool", gettext_noop("脱贫劳动力"),
                gettext_noop("期末年满16周岁、不超过65周岁且有劳动能力"),
                lambda ctx, t: t.labour_ability.isin(working)
                & (_age(ctx, t) >= codes.WORKER_MIN_AGE) & (_age(ctx, t) <= codes.WORKER_MAX_AGE),
                example="is_worker"),
        Feature("in_school", "person", "bool", gettext_noop("在校生"), gettext_noop("花名册中标记为在校生"),
                lambda ctx, t: t.in_school.fill_null(False), example="!in_school"),
        Feature("health", "person", "string", gettext_noop("健康状况"),
                gettext_noop("healthy 健康，chronic 长期慢性病，serious 患有大病，disabled 残疾"),
                lambda ctx, t: t.health.fill_null(""), value_labels=codes.HEALTH.labels,
                example='health == "disabled"'),
        Feature("is_disabled", "person", "bool", gettext_noop("残疾人"), gettext_noop("健康状况为残疾"),
                lambda ctx, t: t.health == "disabled", example="is_disabled"),
        Feature("district_code", "person", "string", gettext_noop("所在区县代码"),
                gettext_noop("花名册登记的区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("township_code", "person", "string", gettext_noop("所在乡镇代码"),
                gettext_noop("花名册登记的乡镇（街道）（9位代码）"), lambda ctx, t: t.township_code,
                example='township_code == "500230101"'),
        Feature("region_group", "person", "string", gettext_noop("一区两群"),
                gettext_noop("户籍区县所在片区：main_metro 主城都市区，northeast 渝东北，southeast 渝东南"),
                lambda ctx, rows: rows.region_group.max(), source="home_division", default="",
                value_labels=codes.REGION_GROUP.labels, example='region_group == "northeast"'),
        Feature("months_worked", "person", "int", gettext_noop("务工月数"),
                gettext_noop("本期有务工记录的月数（任何地点、任何渠道）"), _count, source="employment",
                example="months_worked >= 6"),
        Feature("months_worked", "person", "int", gettext_noop("在指定地点务工月数"),
                gettext_noop("本期在指定务工地点类型的月数：in_county 县内，in_city 市内县外，out_of_city 市外，abroad 境外"),
                lambda ctx, rows, place: (rows.place_class == place).ifelse(1, 0).sum(),
                source="employment", params=(_PLACE,), example='months_worked("out_of_city") >= 1'),
        Feature("months_worked_outside_county", "person", "int", gettext_noop("县外务工月数"),
                gettext_noop("本期在户籍区县以外务工的月数（市内县外、市外、境外）"),
                lambda ctx, rows: rows.place_class.isin(codes.OUTSIDE_COUNTY).ifelse(1, 0).sum(),
                source="employment", example="months_worked_outside_county >= 3"),
        Feature("worked_outside_county", "person", "bool", gettext_noop("跨区县务工"),
                gettext_noop("本期至少有一个月在户籍区县以外务工"),
                lambda ctx, rows: rows.place_class.isin(codes.OUTSIDE_COUNTY).ifelse(1, 0).sum(),
                source="employment", finish=_at_least_one, example="worked_outside_county"),
        Feature("worked_outside_city", "person", "bool", gettext_noop("市外务工"),
                gettext_noop("本期至少有一个月在重庆市以外（含境外）务工"),
                lambda ctx, rows: rows.place_class.isin(codes.OUTSIDE_CITY).ifelse(1, 0).sum(),
                source="employment", finish=_at_least_one, example="worked_outside_city"),
        Feature("months_in_channel", "person", "int", gettext_noop("指定渠道务工月数"),
                gettext_noop("本期通过指定就业渠道务工的月数"),
                lambda ctx, rows, channel: (rows.channel == channel).ifelse(1, 0).sum(),
                source="employment", params=(_CHANNEL,), example='months_in_channel("workshop") >= 6'),
        Feature("employment_income", "person", "double", gettext_noop("务工收入（元）"),
                gettext_noop("本期各月填报的务工收入之和，单位元"),
                lambda ctx, rows: rows.income_fen.sum(), source="employment",
                finish=_fen_to_yuan, example="employment_income >= 10000.0"),
        Feature("employer_contribution_months", "person", "int", gettext_noop("单位参保月数"),
                gettext_noop("本期有用人单位为其缴纳社会保险的月数"), _count, source="person_contributions",
                example="employer_contribution_months >= 6"),
        Feature("employee_pension_months", "person", "int", gettext_noop("职工养老保险月数"),
                gettext_noop("本期用人单位为其缴纳职工基本养老保险的月数"),
                lambda ctx, rows: rows.pension.sum(), source="person_contributions",
                example="employee_pension_months == 0"),
        Feature("received_this_year", "person", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("transport_subsidy")'),
        Feature("received_times", "person", "int", gettext_noop("累计享受次数"),
                gettext_noop("历年获得（未被驳回的）指定政策补贴的次数"), _received_times,
                source="entitlements", params=(_POLICY,), example='received_times("pension_premium_on_behalf") < 3'),
    ]
    enterprise = [
        Feature("district_code", "enterprise", "string", gettext_noop("所在区县代码"),
                gettext_noop("企业登记所在区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("poverty_workers_employed", "enterprise", "int", gettext_noop("吸纳脱贫人口人数"),
                gettext_noop("本期企业为其缴纳社会保险的脱贫人口（含监测对象）人数"),
                lambda ctx, rows: rows.person_id.nunique(), source="enterprise_contributions",
                example="poverty_workers_employed >= 1"),
        Feature("poverty_worker_months", "enterprise", "int", gettext_noop("吸纳脱贫人口人月数"),
                gettext_noop("本期企业为脱贫人口缴纳社会保险的人月数"), _count,
                source="enterprise_contributions", example="poverty_worker_months >= 12"),
        Feature("employer_share_paid", "enterprise", "double", gettext_noop("单位缴纳社保费（元）"),
                gettext_noop("本期企业为脱贫人口实际缴纳的单位部分社会保险费（养老、医疗、失业、工伤，不含个人缴纳部分），"
                             "每名职工自首次缴费起最多计算指定月数，单位元"),
                lambda ctx, rows, months: (rows.nth <= months).ifelse(rows.employer_fen, 0).sum(),
                source="enterprise_contributions", params=(_MONTHS,), finish=_fen_to_yuan,
                example="employer_share_paid(36)"),
        Feature("received_this_year", "enterprise", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("employer_insurance_subsidy")'),
    ]
    workshop = [
        Feature("district_code", "workshop", "string", gettext_noop("所在区县代码"),
                gettext_noop("帮扶车间所在区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("is_active", "workshop", "bool", gettext_noop("认定有效"),
                gettext_noop("帮扶车间认定有效、未被撤销"), lambda ctx, t: t.active.fill_null(False),
                example="is_active"),
        Feature("poverty_workers_employed", "workshop", "int", gettext_noop("吸纳脱贫人口人数"),
                gettext_noop("本期在车间务工的脱贫人口（含监测对象）人数"),
                lambda ctx, rows: (rows.months >= 1).ifelse(1, 0).sum(), source="workshop_members",
                example="poverty_workers_employed >= 10"),
        Feature("poverty_workers_employed", "workshop", "int", gettext_noop("稳定吸纳脱贫人口人数"),
                gettext_noop("本期在车间务工满指定月数的脱贫人口（含监测对象）人数"),
                lambda ctx, rows, months: (rows.months >= months).ifelse(1, 0).sum(),
                source="workshop_members", params=(_MONTHS,), example="poverty_workers_employed(6) >= 5"),
        Feature("received_this_year", "workshop", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("workshop_award")'),
        Feature("received_ever", "workshop", "bool", gettext_noop("曾享受"),
                gettext_noop("任一期已获得（未被驳回的）指定政策补贴"), _received_times,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_ever("workshop_build_grant_operation")'),
        Feature("rating", "workshop", "string", gettext_noop("年度评定等次"),
                gettext_noop("本期所在年度的帮扶车间评定等次（未评定为空）"),
                lambda ctx, rows: rows.rating.max(), source="workshop_ratings", default="",
                value_labels=codes.WORKSHOP_RATING.labels, example='rating == "excellent"'),
        Feature("review_passed", "workshop", "bool", gettext_noop("稳定运行复核通过"),
                gettext_noop("本期所在年度的稳定运行复核已通过"),
                lambda ctx, rows: rows.review_passed.max(), source="workshop_ratings",
                finish=_at_least_one, example="review_passed"),
        Feature("recognised_this_year", "workshop", "bool", gettext_noop("本期认定"),
                gettext_noop("帮扶车间在本期所在年度获得认定"),
                lambda ctx, t: (t.recognised_on.year() == ctx.period.year).fill_null(False),
                example="recognised_this_year"),
        Feature("years_since_recognition", "workshop", "int", gettext_noop("认定后年数"),
                gettext_noop("本期所在年度减去认定年度（未认定为 -1）"),
                lambda ctx, t: (ibis.literal(ctx.period.year) - t.recognised_on.year()).fill_null(-1),
                example="years_since_recognition >= 1"),
    ]
    helper = [
        Feature("district_code", "helper", "string", gettext_noop("所在区县代码"),
                gettext_noop("帮扶人员备案所在区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("role", "helper", "string", gettext_noop("帮扶人员类别"),
                gettext_noop("broker 劳务经纪人，career_guide 职业指导师，info_officer 就业信息员，other 其他帮扶人员"),
                lambda ctx, t: t.role, value_labels=codes.HELPER_ROLE.labels, example='role == "broker"'),
        Feature("is_registered", "helper", "bool", gettext_noop("备案有效"),
                gettext_noop("帮扶人员已备案、未注销"), lambda ctx, t: (t.status == "registered").fill_null(False),
                example="is_registered"),
        Feature("organised_workers", "helper", "int", gettext_noop("有组织输出人数"),
                gettext_noop("本期由其组织的有组织劳务输出批次的输出人数（同一人只计一次）"),
                _count, source="outflow_members", example="organised_workers >= 10"),
        Feature("organised_workers_stayed", "helper", "int", gettext_noop("有组织输出稳定就业人数"),
                gettext_noop("本期由其组织输出、自输出当月起就业满指定月数的人数（同一人只计一次）"),
                lambda ctx, rows, months: (rows.months >= months).ifelse(1, 0).sum(),
                source="outflow_members", params=(_MONTHS,), example="organised_workers_stayed(3) >= 1"),
        Feature("received_this_year", "helper", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("broker_outflow_award")'),
        Feature("received_ever", "helper", "bool", gettext_noop("曾享受"),
                gettext_noop("任一期已获得（未被驳回的）指定政策补贴"), _received_times,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_ever("broker_outflow_award")'),
    ]
    return person + enterprise + workshop + helper + training.features() + insurance_features()


CATALOGUE: tuple[Feature, ...] = tuple(_features())
_BY_KEY: dict[tuple[str, str, int], Feature] = {f.key: f for f in CATALOGUE}
assert len(_BY_KEY) == len(CATALOGUE), "duplicate feature"


def features_for(kind: str) -> list[Feature]:
    """The catalogue of one beneficiary kind, in catalogue order."""
    return [f for f in CATALOGUE if f.kind == kind]


def feature_lookup(kind: str, name: str, arity: int) -> Feature | None:
    return _BY_KEY.get((kind, name, arity))


def feature_names(kind: str) -> set[str]:
    return {f.name for f in CATALOGUE if f.kind == kind}


def feature_arities(kind: str, name: str) -> list[int]:
    return sorted(f.key[2] for f in CATALOGUE if f.kind == kind and f.name == name)
