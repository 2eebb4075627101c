"""The service network (零工市场 / 帮扶车间 / 帮扶队伍): gig markets and their services, assistance
workshops and who works in them, helpers (劳务经纪人、职业指导师 …) with their caseloads, the
service records that count as 就业服务人次, and organised outflow batches.

The engine reads the workshop tables in place under the names in ``bangfu.engine.features``."""

from bangfu.network.models.helpers import Caseload, Helper, OutflowBatch, OutflowMember, ServiceRecord
from bangfu.network.models.markets import GigMarket, GigMatch, GigPosting, MarketReview, MarketServiceRecord
from bangfu.network.models.workshops import Workshop, WorkshopMember, WorkshopRatingRecord

__all__ = [
    "Caseload", "GigMarket", "GigMatch", "GigPosting", "Helper", "MarketReview", "MarketServiceRecord",
    "OutflowBatch", "OutflowMember", "ServiceRecord", "Workshop", "WorkshopMember", "WorkshopRatingRecord",
]
