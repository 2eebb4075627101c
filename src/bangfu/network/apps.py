from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bangfu.network"
    label = "network"
    verbose_name = _("零工市场与帮扶车间")
