from __future__ import annotations

from allauth.account import views as allauth_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as rc_views
from allauth.mfa.totp import views as totp_views
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from nightspine.web.api import api
from nightspine.web.views import (
    accounts,
    assessment,
    diary,
    experiments_view,
    pages,
    reminders_view,
    sharing,
    uploads,
)


def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1"))


urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("openapi.json", openapi, name="openapi"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # assessment
    path("assess/", assessment.start, name="assess_start"),
    path("assess/restart", assessment.restart, name="assess_restart"),
    path("assess/check", assessment.live_check, name="assess_check"),
    path("assess/result", assessment.result_view, name="assess_result"),
    path("assess/save", assessment.save, name="assess_save"),
    path("assess/<slug:section_id>/", assessment.section_view, name="assess_section"),
    # accounts
    path("signup", accounts.signup, name="signup"),
    path("login", accounts.signin, name="login"),
    path("logout", accounts.signout, name="logout"),
    path("account", accounts.account, name="account"),
    # The second step of a sign-in and two-step sign-in's pages: django-allauth's MFA views
    path("login/code", mfa_views.authenticate, name="mfa_authenticate"),
    path("login/code", mfa_views.authenticate, name="login_code"),
    path("account/two-factor", totp_views.activate_totp, name="mfa_activate_totp"),
    path("account/two-factor", totp_views.activate_totp, name="two_factor"),
    path("account/two-factor/off", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path("account/two-factor/codes", rc_views.view_recovery_codes, name="mfa_view_recovery_codes"),
    path(
        "account/two-factor/codes/new",
        rc_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "account/two-factor/codes/download",
        rc_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("account/confirm-password", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("account/confirm-code", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("login/recover", accounts.recover, name="recover"),
    path("account/email", accounts.email, name="email"),
    # django-allauth's views, at our addresses (its names are what its code reverses)
    re_path(
        r"^account/email/confirm/(?P<key>[-:\w]+)$",
        allauth_views.confirm_email,
        name="account_confirm_email",
    ),
    path("account/email/confirmed", accounts.email_confirmed, name="email_confirmed"),
    path("account/password", accounts.password_change, name="password_change"),
    path("account/password/done", accounts.password_change_done, name="password_change_done"),
    path("account/recovery-codes", accounts.recovery_codes, name="recovery_codes"),
    path("account/sessions", accounts.sessions_page, name="sessions"),
    path("password-reset", allauth_views.password_reset, name="account_reset_password"),
    path(
        "password-reset/sent", allauth_views.password_reset_done, name="account_reset_password_done"
    ),
    re_path(
        r"^password-reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)$",
        allauth_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password-reset/done",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    # The names allauth's own code reverses, for our pages that do the same job
    path("login", accounts.signin, name="account_login"),
    path("signup", accounts.signup, name="account_signup"),
    path("logout", accounts.signout, name="account_logout"),
    path("account/email", accounts.email, name="account_email"),
    path("account/password", accounts.password_change, name="account_change_password"),
    path("account", accounts.account, name="mfa_index"),
    path("account/reference", accounts.reference, name="account_reference"),
    path("me", pages.dashboard, name="dashboard"),
    path("me/assessments", pages.assessments, name="assessments"),
    path("me/assessments/<int:assessment_id>", pages.assessment_detail, name="assessment_detail"),
    # diary
    path("diary/", diary.entry_view, name="diary_entry"),
    path("diary/history", diary.history, name="diary_history"),
    path("diary/insights", diary.insights, name="diary_insights"),
    path("diary/export/<slug:fmt>", diary.export, name="diary_export"),
    path("diary/experiments", experiments_view.experiments_page, name="experiments"),
    path("diary/experiments/<slug:how>", experiments_view.stop, name="experiment_stop"),
    path("diary/<str:date>/edit", diary.entry_view, name="diary_edit"),
    path("diary/<str:date>/delete", diary.delete, name="diary_delete"),
    # recordings (sensor files and phone exports)
    path("me/recordings", uploads.uploads_page, name="uploads"),
    path("me/recordings/<int:upload_id>", uploads.upload_detail, name="upload_detail"),
    path("me/recordings/<int:upload_id>/status", uploads.upload_status, name="upload_status"),
    path("me/recordings/<int:upload_id>/again", uploads.upload_again, name="upload_again"),
    path("me/recordings/<int:upload_id>/delete", uploads.upload_delete, name="upload_delete"),
    # reminders
    path("me/reminders", reminders_view.reminders_page, name="reminders"),
    path("reminders/feed/<str:token>.ics", reminders_view.feed, name="reminders_feed"),
    path(
        "reminders/unsubscribe/<str:token>",
        reminders_view.unsubscribe,
        name="reminders_unsubscribe",
    ),
    # sharing
    path("me/sharing", sharing.shares, name="shares"),
    path("me/sharing/<int:share_id>/revoke", sharing.revoke, name="share_revoke"),
    path("me/audit", sharing.audit, name="audit"),
    path("clinician/", sharing.people, name="clinician_people"),
    path("clinician/<int:profile_id>/", sharing.person, name="clinician_person"),
    path(
        "clinician/<int:profile_id>/export/<slug:fmt>",
        sharing.person_report,
        name="clinician_export",
    ),
]
