"""Who is at the page, their role, and whether they may change the plan.

Sign-in is Streamlit's own OpenID Connect (``st.login``, ``st.user``, ``st.logout``; Authlib speaks
the protocol), configured by an ``[auth]`` section of ``.streamlit/secrets.toml`` (``redirect_uri``,
``cookie_secret``, ``client_id``, ``client_secret``, ``server_metadata_url``). Editors are named in
the same file; everyone else who signs in is a viewer (browse, compare, download)::

    [landplan.roles]
    editors = ["wang@bureau.gov.cn"]      # by e-mail (unless the provider says it is unverified)
                                          # or by subject
    editor_groups = ["landplan-editors"]  # or by a group the provider puts in the ID token
    groups_claim = "groups"               # the claim that holds the groups (default "groups")

Without ``[auth]`` the page is one local user who may save, and says that changes are not signed.
The page script calls :func:`gate` at the top; every save (a scenario, a ledger entry or import)
calls :func:`require_editor`. Its words
are ``auth`` in ``landplan/present/text/zh.yaml`` and ``en.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from geo.errors import LandplanError

from ..present.text import text

EDITOR, VIEWER, LOCAL, SIGNED_OUT = "editor", "viewer", "local", "signed_out"
# what Streamlit's default provider needs in [auth] (st.login refuses without them)
AUTH_SETTINGS = (
    "redirect_uri",
    "cookie_secret",
    "client_id",
    "client_secret",
    "server_metadata_url",
)


@dataclass(frozen=True)
class Visitor:
    """Someone at the page: ``role`` is editor, viewer, local (sign-in not configured) or
    signed_out; ``identity`` the signed-in e-mail or subject (what the plan store records)."""

    role: str
    identity: str = ""
    name: str = ""

    @property
    def signed(self) -> bool:
        """Whether the identity comes from sign-in (not typed, not the login name)."""
        return self.role in (EDITOR, VIEWER)

    @property
    def admitted(self) -> bool:
        """Whether the page may show the plan and the store to them."""
        return self.role != SIGNED_OUT

    @property
    def may_edit(self) -> bool:
        """Whether they may change the plan (save scenarios, ledger entries)."""
        return self.role in (EDITOR, LOCAL)


@dataclass(frozen=True)
class Roles:
    """Who edits: e-mails or subjects, groups, and the ID-token claim holding the groups."""

    editors: frozenset[str] = frozenset()
    editor_groups: frozenset[str] = frozenset()
    groups_claim: str = "groups"


def _names(value) -> frozenset[str]:
    """A list of names from the configuration (one name alone is a list of one), compared in lower
    case."""
    if value is None:
        return frozenset()
    items = [value] if isinstance(value, str) else list(value)
    return frozenset(str(v).strip().lower() for v in items if str(v).strip())


def sign_in_configured(secrets: Mapping) -> bool:
    """Whether the secrets have an ``[auth]`` section (sign-in on)."""
    return isinstance(secrets.get("auth"), Mapping)


def missing_settings(secrets: Mapping) -> list[str]:
    """The settings of ``[auth]`` Streamlit's default provider needs and that are absent or empty
    (their names only)."""
    auth = secrets.get("auth") or {}
    return [k for k in AUTH_SETTINGS if not str(auth.get(k) or "").strip()]


def roles(secrets: Mapping) -> Roles:
    """The editors named in ``[landplan.roles]`` (none when the section is absent)."""
    section = (secrets.get("landplan") or {}).get("roles") or {}
    return Roles(
        editors=_names(section.get("editors")),
        editor_groups=_names(section.get("editor_groups")),
        groups_claim=str(section.get("groups_claim") or "groups"),
    )


def identity(user: Mapping) -> str:
    """The signed-in person as the plan store records them: the e-mail (unless the provider says it
    is unverified), else the subject."""
    email = user.get("email")
    if isinstance(email, str) and email.strip() and user.get("email_verified") is not False:
        return email.strip()
    return str(user.get("sub") or "").strip()


def visitor(user: Mapping, secrets: Mapping) -> Visitor:
    """Who ``user`` (``st.user`` as a mapping) is under ``secrets``: local without ``[auth]``,
    signed_out, or a signed-in editor or viewer."""
    if not sign_in_configured(secrets):
        return Visitor(LOCAL)
    if not user.get("is_logged_in"):
        return Visitor(SIGNED_OUT)
    who = identity(user)
    r = roles(secrets)
    groups = _names(user.get(r.groups_claim))
    by_name = bool(who) and (
        who.lower() in r.editors or str(user.get("sub", "")).lower() in r.editors
    )
    role = EDITOR if by_name or (groups & r.editor_groups) else VIEWER
    return Visitor(role, who, str(user.get("name") or "").strip())


def require_editor(v: Visitor) -> None:
    """Refuse (LandplanError) anyone who may not change the plan: the check of every save."""
    if not v.may_edit:
        raise LandplanError(
            f"只有编辑者可以修改规划（保存方案、填报进度台账）；{v.identity or '未登录的访问者'} "
            "不是编辑者。",
            f"Only editors may change the plan (save scenarios, enter figures in the ledger); "
            f"{v.identity or 'a signed-out visitor'} is not an editor.",
        )


def plain(s: str) -> str:
    """Text from the provider shown as written, not read as Markdown."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$])", r"\\\1", s)


def shown_identity(v: Visitor) -> str:
    """The signed-in identity as the page writes it: as code (an e-mail is not made a link)."""
    return "`" + v.identity.replace("`", "'") + "`"


def _secrets(st) -> Mapping:
    """The page's secrets (empty when there is no secrets file)."""
    return st.secrets if st.secrets.load_if_toml_exists() else {}


def gate(st, lang: str) -> Visitor:
    """Who is at the page, drawn in its language: a line that changes are not signed (no sign-in
    configured); the sign-in button and nothing else (signed out, or the configuration incomplete:
    then ``admitted`` is false and the page stops); who is signed in, their role and a sign-out
    button in the sidebar."""
    tx = text(lang)["auth"]
    secrets = _secrets(st)
    v = visitor(st.user.to_dict(), secrets)
    if v.role == LOCAL:
        st.sidebar.caption(tx["unsigned"])
        return v
    missing = missing_settings(secrets)
    if missing:
        st.error(tx["misconfigured"].format(keys=tx["sep"].join(missing)))
        return Visitor(SIGNED_OUT)
    if not v.admitted:
        st.info(tx["signed_out"])
        if st.button(tx["sign_in"], type="primary", key="auth_sign_in"):
            st.login()
        return v
    who = shown_identity(v)
    if v.name:
        who = f"{plain(v.name)}（{who}）" if lang == "zh" else f"{plain(v.name)} ({who})"
    st.sidebar.caption(tx["signed_in"].format(who=who, role=tx[v.role]))
    if st.sidebar.button(tx["sign_out"], key="auth_sign_out"):
        st.logout()
    return v
