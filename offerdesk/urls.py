from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from decisions import notification_views
from offerdesk import views

# django-allauth answers a request past one of its rate limits with this view.
handler429 = "offerdesk.views.rate_limited"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Whole-account export, import and deletion span every app, so they live at
    # project level, under the account's URLs where a user looks for them.
    path("accounts/data/", views.my_data, name="my_data"),
    path("accounts/data/export.json", views.export, name="export"),
    path("accounts/data/delete/", views.account_delete, name="account_delete"),
    path("accounts/", include("offerdesk.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("decisions/", include("decisions.urls")),
    path("decisions/", include("messaging.urls")),
    path("coach/", include("decisions.coach_urls")),
    # For a client and a coach alike, so outside either app's part of the site.
    path("news/", notification_views.news, name="news"),
    path("news/settings/", notification_views.notice_settings, name="notice_settings"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    path("admin/", admin.site.urls),
]
