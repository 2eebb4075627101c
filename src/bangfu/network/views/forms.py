"""What the network's form pages share."""

from django.utils.translation import gettext_noop

# said at the top of a form page sent back with errors (the fields say what is wrong)
ERR_NOT_SAVED = gettext_noop("未保存：请按下方提示修改后重新提交")
