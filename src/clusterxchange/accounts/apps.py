from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clusterxchange.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from clusterxchange.accounts.models import ApiToken
        from clusterxchange.accounts.roles import compute_roles
        from clusterxchange.core import api_auth, roles

        # Core asks for roles and API tokens; they live here, above core and the directory.
        roles.read_roles.register(compute_roles)
        api_auth.find_token.register(ApiToken.find)

        from django.contrib.auth.signals import user_logged_in

        from clusterxchange.accounts.language import remember_language_on_login

        user_logged_in.connect(remember_language_on_login, dispatch_uid="cx_remember_language_on_login")

        from allauth.account.signals import password_changed, password_reset
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_save

        from clusterxchange.accounts import tokens

        password_reset.connect(tokens.on_password_reset, dispatch_uid="cx_revoke_tokens_on_password_reset")
        password_changed.connect(
            tokens.on_password_changed, dispatch_uid="cx_revoke_tokens_on_password_change"
        )
        post_save.connect(
            tokens.on_authenticator_saved, sender=Authenticator, dispatch_uid="cx_revoke_tokens_on_two_factor"
        )
