from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from bangfu.accounts.services import user_change_password
from bangfu.core.audit import audit_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(actor=user, action="user.login", area_code=user.area_code,
                     ip_address=self.request.META.get("REMOTE_ADDR"))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        # The service writes the password and its audit row in one transaction.
        user_change_password(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("密码已修改"))
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect(self.get_success_url())
