from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "bangfu.policies"
    label = "policies"
    verbose_name = _("免申即享")
