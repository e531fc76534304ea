"""`clusterxchange setup`: the first account of a fresh install, then the address to open.

Non-interactive: `clusterxchange setup --email you@example.org --no-input` with the password in the
environment variable CLUSTERXCHANGE_SETUP_PASSWORD (never on the command line, where `ps` shows it).
Interactive: `clusterxchange setup` asks for the email address and the password (twice).
The account is a superuser with a verified email address; logged in, it is led through setting up
the first programme (`/programmes/new/`). Run it again with an existing address: that account
becomes a superuser (the password is left as it is) and the address is printed again.
"""

import getpass
import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from clusterxchange.core import audit
from clusterxchange.core.site_address import site_link
from clusterxchange.programmes.models import Programme

PASSWORD_VARIABLE = "CLUSTERXCHANGE_SETUP_PASSWORD"  # noqa: S105  # the name of a variable, not a password  # nosec B105

User = get_user_model()


class Command(BaseCommand):
    help = (
        "Create the first account (a superuser) of a fresh install and print the address where it sets up "
        f"the first programme. --email and --no-input with the password in {PASSWORD_VARIABLE}, or interactive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Email address of the first account.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Ask nothing (needs --email)."
        )

    def handle(self, *args, email=None, interactive=True, **options):
        if not email:
            if not interactive:
                raise CommandError("--email is required with --no-input.")
            email = input("Email address of the first account: ").strip()
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        user = User.objects.filter(email=email).first()
        if user is None:
            password = self._password(email, interactive)
            user = self._create(email, password)
            self.stdout.write(self.style.SUCCESS(f"Created the account {email} (superuser)."))
        elif not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
            audit.record(None, "accounts.user.superuser", user, comment="clusterxchange setup")
            self.stdout.write(self.style.SUCCESS(f"{email} is now a superuser; its password is unchanged."))
        else:
            self.stdout.write(f"{email} is already a superuser.")
        target = "programmes:list" if Programme.objects.exists() else "programmes:create"
        url = site_link(reverse("account_login")) + "?next=" + reverse(target)
        self.stdout.write(f"Open {url} and log in as {email}.")

    def _password(self, email: str, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password and interactive:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError(f"Give the password in the environment variable {PASSWORD_VARIABLE}.")
        try:
            validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password

    @transaction.atomic
    def _create(self, email: str, password: str) -> User:
        user = User.objects.create_superuser(email=email, password=password)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        audit.record(None, "accounts.user.create", user, comment="clusterxchange setup")
        return user
