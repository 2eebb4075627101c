"""The code lists of the programmes (skills training, social insurance, the service network):
the second half of ``bangfu.codes``, which re-exports every name here. Django-free, like it."""

from __future__ import annotations

from bangfu.codes import CodeList, gettext_noop

# ---- skills training (培训) -------------------------------------------------------------------------
# 职业技能等级 of a course (国家职业资格五级到一级) and 专项职业能力; the provider subsidy is by level.
SKILL_LEVEL = CodeList(
    "SkillLevel",
    ("junior", gettext_noop("初级")),
    ("intermediate", gettext_noop("中级")),
    ("senior", gettext_noop("高级")),
    ("technician", gettext_noop("技师")),
    ("senior_technician", gettext_noop("高级技师")),
    ("special", gettext_noop("专项职业能力")),
)

# Chongqing's skill brands (技能品牌); "none" for a course outside them.
TRAINING_BRAND = CodeList(
    "TrainingBrand",
    ("bayu_craftsman", gettext_noop("巴渝工匠")),
    ("yu_jiaren", gettext_noop("渝家人")),
    ("yu_nengren", gettext_noop("渝能人")),
    ("none", gettext_noop("无品牌")),
)

ENROLMENT_STATUS = CodeList(
    "EnrolmentStatus",
    ("enrolled", gettext_noop("在训")),
    ("completed", gettext_noop("已结业")),
    ("dropped", gettext_noop("退训")),
)

# What a follow-up call (跟踪回访) after a course found.
FOLLOW_UP_OUTCOME = CodeList(
    "FollowUpOutcome",
    ("employed", gettext_noop("已就业")),
    ("seeking", gettext_noop("求职中")),
    ("not_seeking", gettext_noop("暂无就业意愿")),
    ("unreachable", gettext_noop("联系不上")),
)

# ---- social insurance (insurance/) ----------------------------------------------------------
# Groups whose residents' pension premium the government may pay (代缴城乡居民养老保险费).
# 返贫致贫 and 脱贫人口 are the registry's categories; the others come from civil affairs lists.
VULNERABLE_GROUP = CodeList(
    "VulnerableGroup",
    ("dibao", gettext_noop("低保对象")),
    ("tekun", gettext_noop("特困人员")),
    ("monitored", gettext_noop("返贫致贫人口")),
    ("severe_disability", gettext_noop("重度残疾人")),
    ("alleviated", gettext_noop("脱贫人口")),
)
# The groups kept in the insurance app's own list (the others are registry categories).
LISTED_VULNERABLE_GROUPS = ("dibao", "tekun", "severe_disability")

INSURED_SCHEME = CodeList(
    "InsuredScheme",
    ("resident_pension", gettext_noop("城乡居民养老保险")),
    ("employee_pension", gettext_noop("城镇职工养老保险")),
    ("medical", gettext_noop("基本医疗保险")),
)
PENSION_SCHEMES = ("resident_pension", "employee_pension")

# Why a registry person should be insured (应保尽保): the rule a coverage gap names.
COVERAGE_RULE = CodeList(
    "CoverageRule",
    ("pension_working_age", gettext_noop("16至59周岁、非在校生应参加基本养老保险")),
    ("pension_elderly", gettext_noop("60周岁及以上应参加基本养老保险并领取待遇")),
    ("medical", gettext_noop("应参加基本医疗保险")),
)
COVERAGE_FOLLOW_UP = CodeList(
    "CoverageFollowUp",
    ("contacted", gettext_noop("已入户动员")),
    ("enrolled", gettext_noop("已办理参保")),
    ("insured_elsewhere", gettext_noop("已在外地参保")),
    ("declined", gettext_noop("本人暂不参保")),
    ("other", gettext_noop("其他")),
)

# Occupational-injury protection for platform workers (职业伤害保障, pilot since 2022-07-01).
PLATFORM_INDUSTRY = CodeList(
    "PlatformIndustry",
    ("ride_hailing", gettext_noop("出行")),
    ("instant_delivery", gettext_noop("即时配送")),
    ("freight", gettext_noop("同城货运")),
)
INJURY_STAGE = CodeList(
    "InjuryStage",
    ("reported", gettext_noop("已受理")),
    ("confirmed", gettext_noop("已确认职业伤害")),
    ("not_confirmed", gettext_noop("不予确认")),
    ("assessed", gettext_noop("已完成劳动能力鉴定")),
    ("paid", gettext_noop("待遇已支付")),
)
# 劳动能力鉴定: grade 1 (most severe) to 10, or none.
DISABILITY_GRADES = tuple(range(1, 11))

ENTERPRISE_SCALE = CodeList(
    "EnterpriseScale",
    ("large", gettext_noop("大型企业")),
    ("sme", gettext_noop("中小微企业")),
)

# ---- the service network (零工市场 / 帮扶车间 / 帮扶队伍) -----------------------------------------
# Services to a worker, each one 就业服务人次: written by jobs (referrals, hires) and by the
# network's helpers (visits, calls, organised outflow); one list for both.
SERVICE_KIND = CodeList(
    "ServiceKind",
    ("registration", gettext_noop("求职登记")),
    ("visit", gettext_noop("上门走访")),
    ("call", gettext_noop("电话联系")),
    ("job_push", gettext_noop("岗位推送")),
    ("referral", gettext_noop("推荐岗位")),
    ("accompany", gettext_noop("陪同求职")),
    ("guidance", gettext_noop("职业指导")),
    ("follow_up", gettext_noop("跟踪回访")),
    ("outflow", gettext_noop("有组织劳务输出")),
    ("hire", gettext_noop("推荐上岗")),
)
MARKET_KIND = CodeList(
    "MarketKind",
    ("market", gettext_noop("零工市场")),
    ("station", gettext_noop("零工驿站")),
)
MARKET_SCOPE = CodeList(
    "MarketScope",
    ("general", gettext_noop("综合性")),
    ("sector", gettext_noop("行业性")),
)
MARKET_OPERATION = CodeList(
    "MarketOperation",
    ("bureau", gettext_noop("人社部门自办")),
    ("desk", gettext_noop("公共就业服务机构窗口")),
    ("purchased", gettext_noop("政府购买服务")),
)
# The five core services of a gig market (人社部发〔2023〕65号).
MARKET_SERVICE = CodeList(
    "MarketService",
    ("matching", gettext_noop("岗位供求信息撮合")),
    ("guidance", gettext_noop("零工职业指导")),
    ("training_info", gettext_noop("培训信息推介")),
    ("training_needs", gettext_noop("培训需求收集")),
    ("rights", gettext_noop("权益维护指引")),
)
PAY_BASIS = CodeList(
    "PayBasis",
    ("day", gettext_noop("按日计酬")),
    ("piece", gettext_noop("计件计酬")),
)
GIG_OUTCOME = CodeList(
    "GigOutcome",
    ("pending", gettext_noop("待对接")),
    ("worked", gettext_noop("已上工")),
    ("declined", gettext_noop("未达成")),
    ("no_show", gettext_noop("未到岗")),
)
WORKSHOP_STATUS = CodeList(
    "WorkshopStatus",
    ("applied", gettext_noop("申报")),
    ("recognised", gettext_noop("认定")),
    ("running", gettext_noop("运行")),
    ("exited", gettext_noop("退出认定")),
)
WORKSHOP_ACTIVE = ("recognised", "running")
WORKSHOP_TYPE = CodeList(
    "WorkshopType",
    ("factory", gettext_noop("厂房式")),
    ("home", gettext_noop("居家式")),
    ("farming", gettext_noop("种养式")),
    ("trade", gettext_noop("贸易流通式")),
    ("tourism", gettext_noop("文旅式")),
)
WORKSHOP_RATING = CodeList(
    "WorkshopRating",
    ("excellent", gettext_noop("优秀")),
    ("good", gettext_noop("良好")),
    ("qualified", gettext_noop("合格")),
    ("unqualified", gettext_noop("不合格")),
)
HELPER_ROLE = CodeList(
    "HelperRole",
    ("broker", gettext_noop("劳务经纪人")),
    ("career_guide", gettext_noop("职业指导师")),
    ("info_officer", gettext_noop("就业信息员")),
    ("other", gettext_noop("其他帮扶人员")),
)
# 备案: application, village recommendation, training, public notice, registered; or withdrawn.
HELPER_STATUS = CodeList(
    "HelperStatus",
    ("applied", gettext_noop("已申请")),
    ("recommended", gettext_noop("村级已推荐")),
    ("trained", gettext_noop("已培训")),
    ("notice", gettext_noop("公示中")),
    ("registered", gettext_noop("已备案")),
    ("withdrawn", gettext_noop("已注销")),
)
# The filters of a helper's "my people" (我的服务对象) page.
CASELOAD_FILTER = CodeList(
    "CaseloadFilter",
    ("unemployed", gettext_noop("未就业")),
    ("back_home", gettext_noop("返乡在家")),
    ("unserved", gettext_noop("本月未服务")),
    ("zero_household", gettext_noop("零就业家庭")),
)
