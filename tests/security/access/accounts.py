"""Accounts: allauth's pages, the API tokens, the members and roles pages and the invitations."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.access import USERS, E, Op, Url, action, form, kw

# The invitation and the file are the manager's (partner cluster A), to the owner's organisation A1.
INVITER = E(ok="coordinator manager", login="anonymous", rest="forbidden")
SEES_INVITATION = E(ok="coordinator manager", login="anonymous", rest="not_found")

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
    # Members and roles: the programme's coordinators and partner managers see the programme's page;
    # an organisation's people, its partner cluster's managers and the coordinators see its page.
    "accounts:members": Url(get=USERS),
    "accounts:programme_members": Url(
        get=E(ok="coordinator manager other_manager", login="anonymous", rest="forbidden"),
        kwargs=kw(slug="w.programme.slug"),
    ),
    "accounts:coordinator_appoint": action(
        E(redirect="coordinator", login="anonymous", rest="forbidden"),
        kwargs=kw(slug="w.programme.slug"),
        data=lambda s: {"account": s.users["owner"].email},
    ),
    # The last coordinator stays (a refusal on the page); partner managers see the role, may not remove it.
    "accounts:coordinator_remove": action(
        E(
            redirect="coordinator",
            forbidden="manager other_manager",
            login="anonymous",
            rest="not_found",
        ),
        kwargs=lambda s: {"pk": s.users["coordinator"].programme_roles.get().pk},
        changes="",
    ),
    "accounts:organisation_members": Url(
        get=E(ok="coordinator manager owner", login="anonymous", rest="forbidden"),
        kwargs=kw(slug="w.org_a1.slug"),
    ),
    "accounts:membership_add": action(
        E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=kw(slug="w.org_a1.slug"),
        data=lambda s: {"account": s.users["outsider"].email, "role": "organisation-member"},
    ),
    # Anyone may try to leave; only a member leaves (the others are told they are not one).
    "accounts:organisation_leave": action(
        E(login="anonymous", rest="redirect"),
        kwargs=kw(slug="w.org_a1.slug"),
        changes="owner",
    ),
    "accounts:membership_change": action(
        E(redirect="coordinator manager", forbidden="owner", login="anonymous", rest="not_found"),
        kwargs=lambda s: {"pk": s.users["owner"].memberships.get().pk},
        data=lambda s: {"role": "organisation-admin"},
    ),
    "accounts:membership_remove": action(
        E(redirect="coordinator manager", forbidden="owner", login="anonymous", rest="not_found"),
        kwargs=lambda s: {"pk": s.users["owner"].memberships.get().pk},
    ),
    "accounts:person_link": action(
        E(redirect="coordinator manager", login="anonymous", rest="not_found"),
        kwargs=kw(pk="w.person_a1.pk"),
        data=lambda s: {"account": s.users["owner"].email},
    ),
    # Not linked: refused on the page, nothing changes.
    "accounts:person_unlink": action(
        E(redirect="coordinator manager", login="anonymous", rest="not_found"),
        kwargs=kw(pk="w.person_a1.pk"),
        changes="",
    ),
    "invitations:list": Url(get=E(login="anonymous", rest="ok")),
    "invitations:invite": Url(
        get=INVITER,
        post=E(redirect="coordinator manager", login="anonymous", rest="forbidden"),
        kwargs=lambda s: {"target_type": "organisation", "slug": s.w.org_a1.slug},
        data=lambda s: {"email": "sweep@example.org", "role_kind": "organisation-member", "language": "en"},
    ),
    "invitations:invite_file": form(
        INVITER, kwargs=lambda s: {"target_type": "organisation", "slug": s.w.org_a1.slug}
    ),
    "invitations:batch": Url(
        get=E(ok="manager", login="anonymous", rest="not_found"), kwargs=kw(pk="invitation_batch.pk")
    ),
    "invitations:resend": action(
        E(redirect="coordinator manager", login="anonymous", rest="not_found"), kwargs=kw(pk="invitation.pk")
    ),
    "invitations:revoke": action(
        E(redirect="coordinator manager", login="anonymous", rest="not_found"), kwargs=kw(pk="invitation.pk")
    ),
    # Anyone may open a link; an unknown one is not found.
    "invitations:accept": form(E(rest="not_found"), kwargs=lambda s: {"token": "not-a-token"}),
}


def _owner_membership(s):
    return {"membership_id": s.users["owner"].memberships.get().pk}


def _coordinator_role(s):
    role = s.users["coordinator"].programme_roles.get()
    return {"slug": role.programme.slug, "role_id": role.pk}


API = {
    ("GET", "/api/invitations"): Op(expect=E(login="anonymous", rest="ok")),
    ("POST", "/api/invitations"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "email": "sweep@example.org",
            "role_kind": "organisation-member",
            "target": s.w.org_a1.slug,
        },
    ),
    ("GET", "/api/invitations/{invitation_id}"): Op(
        expect=SEES_INVITATION, params=kw(invitation_id="invitation.pk")
    ),
    ("POST", "/api/invitations/{invitation_id}/resend"): Op(
        expect=SEES_INVITATION, params=kw(invitation_id="invitation.pk")
    ),
    ("POST", "/api/invitations/{invitation_id}/revoke"): Op(
        expect=SEES_INVITATION, params=kw(invitation_id="invitation.pk")
    ),
    ("POST", "/api/invitations/files"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        multipart=True,
        body=lambda s: {
            "file": SimpleUploadedFile("people.csv", b"email\nsweep@example.org\n", "text/csv"),
            "role_kind": "organisation-member",
            "target": s.w.org_a1.slug,
            "dry_run": "false",
        },
    ),
    ("GET", "/api/invitations/files/{batch_id}"): Op(
        expect=E(ok="manager", login="anonymous", rest="not_found"), params=kw(batch_id="invitation_batch.pk")
    ),
    ("GET", "/api/memberships"): Op(expect=E(login="anonymous", rest="ok")),
    ("GET", "/api/memberships/{membership_id}"): Op(
        expect=E(ok="coordinator manager owner", login="anonymous", rest="not_found"),
        params=_owner_membership,
    ),
    ("POST", "/api/memberships"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="forbidden"),
        body=lambda s: {
            "organisation": s.w.org_a1.slug,
            "email": s.users["outsider"].email,
            "role": "organisation-member",
        },
    ),
    ("PATCH", "/api/memberships/{membership_id}"): Op(
        expect=E(ok="coordinator manager", forbidden="owner", login="anonymous", rest="not_found"),
        params=_owner_membership,
        body=lambda s: {"role": "organisation-admin"},
    ),
    ("DELETE", "/api/memberships/{membership_id}"): Op(
        expect=E(ok="coordinator manager", forbidden="owner", login="anonymous", rest="not_found"),
        params=_owner_membership,
    ),
    # Only a member leaves; the others are told they are not one.
    ("POST", "/api/memberships/leave"): Op(
        expect=E(ok="owner", login="anonymous", rest="conflict"),
        body=lambda s: {"organisation": s.w.org_a1.slug},
    ),
    ("GET", "/api/programmes/{slug}/coordinators"): Op(
        expect=E(ok="coordinator manager other_manager", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.w.programme.slug},
    ),
    ("POST", "/api/programmes/{slug}/coordinators"): Op(
        expect=E(ok="coordinator", login="anonymous", rest="forbidden"),
        params=lambda s: {"slug": s.w.programme.slug},
        body=lambda s: {"email": s.users["owner"].email},
    ),
    # The last coordinator stays.
    ("DELETE", "/api/programmes/{slug}/coordinators/{role_id}"): Op(
        expect=E(conflict="coordinator", login="anonymous", rest="forbidden"), params=_coordinator_role
    ),
    ("PUT", "/api/people/{person_id}/account"): Op(
        expect=E(ok="coordinator manager", login="anonymous", rest="not_found"),
        params=lambda s: {"person_id": s.w.person_a1.pk},
        body=lambda s: {"email": s.users["owner"].email},
    ),
    # Not linked: refused.
    ("DELETE", "/api/people/{person_id}/account"): Op(
        expect=E(conflict="coordinator manager", login="anonymous", rest="not_found"),
        params=lambda s: {"person_id": s.w.person_a1.pk},
    ),
}
