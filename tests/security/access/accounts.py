"""Accounts: allauth's pages and the API tokens."""

from tests.security.access import E, Url, action, form

URLS = {
    "account_login": Url(get=E(ok="anonymous", rest="redirect")),
    "account_logout": Url(get=E(redirect="anonymous", rest="ok")),
    "account_inactive": Url(get=E(rest="ok")),
    "account_signup": Url(get=E(ok="anonymous", rest="redirect")),
    "account_reauthenticate": Url(get=E(login="anonymous", rest="ok")),
    "account_request_reauthentication_code": Url(get=E(login="anonymous", rest="redirect")),
    "account_confirm_reauthentication_code": Url(get=E(login="anonymous", rest="redirect")),
    "account_email": Url(get=E(login="anonymous", rest="ok")),
    "account_email_verification_sent": Url(get=E(rest="ok")),
    "account_change_password": Url(get=E(login="anonymous", rest="ok")),
    "account_set_password": Url(get=E(login="anonymous", rest="redirect")),
    "account_reset_password": Url(get=E(rest="ok")),
    "account_confirm_login_code": Url(get=E(login="anonymous", rest="redirect")),
    "account_request_login_code": Url(get=E(ok="anonymous", rest="redirect")),
    "account_confirm_email": Url(get=E(rest="ok"), kwargs=lambda s: {"key": "not-a-key"}),
    "account_reset_password_from_key_done": Url(get=E(rest="ok")),
    "account_reset_password_from_key": Url(
        get=E(rest="ok"), kwargs=lambda s: {"uidb36": "1", "key": "not-a-key"}
    ),
    "account_reset_password_done": Url(get=E(rest="ok")),
    "mfa_index": Url(get=E(login="anonymous", rest="ok")),
    "mfa_authenticate": Url(get=E(login="anonymous", rest="redirect")),
    "mfa_reauthenticate": Url(get=E(login="anonymous", rest="redirect")),
    "mfa_activate_totp": Url(get=E(login="anonymous", rest="redirect")),
    "mfa_deactivate_totp": Url(get=E(login="anonymous", rest="not_found")),
    "mfa_view_recovery_codes": Url(get=E(login="anonymous", rest="not_found")),
    "mfa_generate_recovery_codes": Url(get=E(login="anonymous", rest="redirect")),
    "mfa_download_recovery_codes": Url(get=E(login="anonymous", rest="not_found")),
    "accounts:me": Url(get=E(login="anonymous", rest="ok")),
    "accounts:api_tokens": form(
        E(login="anonymous", rest="ok"),
        data=lambda s: {"name": "sweep"},
    ),
    "accounts:programme_tokens": Url(get=E(ok="coordinator", login="anonymous", rest="forbidden")),
    # The owner, and the coordinator of the owner's programme.
    "accounts:api_token_revoke": action(
        E(redirect="owner coordinator", login="anonymous", rest="not_found"),
        kwargs=lambda s: {"pk": s.token.pk},
    ),
}
