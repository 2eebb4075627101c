"""Code lists of the service network, made from ``bangfu.codes``."""

from bangfu import codes
from bangfu.core.choices import text_choices

ServiceKind = text_choices(codes.SERVICE_KIND)
MarketKind = text_choices(codes.MARKET_KIND)
MarketScope = text_choices(codes.MARKET_SCOPE)
MarketOperation = text_choices(codes.MARKET_OPERATION)
MarketService = text_choices(codes.MARKET_SERVICE)
PayBasis = text_choices(codes.PAY_BASIS)
GigOutcome = text_choices(codes.GIG_OUTCOME)
WorkshopStatus = text_choices(codes.WORKSHOP_STATUS)
WorkshopType = text_choices(codes.WORKSHOP_TYPE)
WorkshopRating = text_choices(codes.WORKSHOP_RATING)
HelperRole = text_choices(codes.HELPER_ROLE)
HelperStatus = text_choices(codes.HELPER_STATUS)
CaseloadFilter = text_choices(codes.CASELOAD_FILTER)
