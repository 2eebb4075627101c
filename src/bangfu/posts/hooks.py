"""What 公益性岗位 contributes to other apps: its pay as payable claims (``payments``), its
code lists, its parameters (参数设置), its monthly tasks and its demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import CodeList, DemoStep
from bangfu.posts import choices as c
from bangfu.posts.demo import demo_posts
from bangfu.posts.payables import PostPayClaims

PAYABLE_CLAIMS = [PostPayClaims()]

DEMO_STEPS = [DemoStep("welfare_posts", demo_posts, order=35)]  # after the users: the demo officer acts

CODE_LISTS = [
    CodeList("welfare_post_type", _("公益性岗位类型"), c.PostType, order=90),
    CodeList("welfare_post_work_time", _("公益性岗位用工形式"), c.WorkTime, order=91),
    CodeList("welfare_post_funding", _("公益性岗位资金来源"), c.FundingSource, order=92),
    CodeList("welfare_post_rating", _("公益性岗位考核等次"), c.Rating, order=93),
    CodeList("welfare_post_exit_reason", _("公益性岗位退出原因"), c.ExitReason, order=94),
    CodeList("welfare_post_day_mark", _("考勤标记"), c.DayMark, order=95),
]

PARAMETERS = {
    "POSTS_MIN_MONTHLY_WAGE_FEN": _("公益性岗位：全日制月补贴（当地最低月工资，分；按区县，default 为其余区县）"),
    "POSTS_MIN_HOURLY_WAGE_FEN": _("公益性岗位：非全日制小时补贴（最低小时工资，分；按区县）"),
    "POSTS_MIN_DAYS_PRESENT": _("公益性岗位：当月发放补贴的最少出勤天数"),
    "POSTS_MIN_AGE": _("公益性岗位：安置最低年龄"),
    "POSTS_MAX_AGE": _("公益性岗位：新安置最高年龄"),
    "POSTS_MONTHS_OUTSIDE_COUNTY": _("公益性岗位：近几个月在县外务工视为稳定就业"),
    "POSTS_NOTICE_WORKING_DAYS": _("公益性岗位：公示工作日数"),
    "POSTS_MAX_CONTRACT_MONTHS": _("公益性岗位：连续安置最长月数"),
    "POSTS_RETIREMENT_AGE": _("公益性岗位：退休年龄（延至退休的依据）"),
    "POSTS_RETIREMENT_WITHIN_YEARS": _("公益性岗位：距退休不足几年可延至退休"),
}
