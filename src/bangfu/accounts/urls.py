from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from bangfu.accounts import manage_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_done")),
        name="password_change",
    ),
    path("users/", manage_views.user_list, name="user_list"),
    path("users/new/", manage_views.user_create, name="user_create"),
    path("users/<int:pk>/", manage_views.user_edit, name="user_edit"),
    path("users/<int:pk>/password-reset/", manage_views.user_password_reset, name="user_password_reset"),
    path("roles/", manage_views.role_list, name="role_list"),
    path("roles/new/", manage_views.role_create, name="role_create"),
    path("roles/<int:pk>/", manage_views.role_edit, name="role_edit"),
    path("areas/", manage_views.area_tree, name="area_tree"),
    path("tokens/", token_views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke_view, name="token_revoke"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
]
