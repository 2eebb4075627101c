from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "bangfu.arrears"
    label = "arrears"
    verbose_name = _("根治欠薪")
