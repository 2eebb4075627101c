"""The insurance imports (``bangfu import KIND FILE`` and 数据导入): 社保缴费明细, 参保名单,
平台订单申报, 单位失业保险缴费明细 and 失业保险金领取名单."""

from bangfu.insurance.importers.contributions import ContributionImporter
from bangfu.insurance.importers.lists import BenefitMonthImporter, InsuredListImporter
from bangfu.insurance.importers.employers import OrderDeclarationImporter, UiContributionImporter

IMPORTERS = {
    "social_insurance": ContributionImporter(),
    "insured_list": InsuredListImporter(),
    "unemployment_benefit": BenefitMonthImporter(),
    "platform_orders": OrderDeclarationImporter(),
    "ui_contributions": UiContributionImporter(),
}

__all__ = ["IMPORTERS", "BenefitMonthImporter", "ContributionImporter", "InsuredListImporter",
           "OrderDeclarationImporter", "UiContributionImporter"]
