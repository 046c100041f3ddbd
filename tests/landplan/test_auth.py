"""Who may change the plan: roles from the sign-in configuration, the check in the save path, and
the page's gate (streamlit.testing AppTest with ``st.user`` as a signed-in provider would give it).

The sign-in itself, against a real OpenID Connect provider in a real browser, is in
tests/e2e/test_browser_auth.py.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.errors import LandplanError
from landplan.web import auth, scenario_page as scen
from layers.store import open_store

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
SECRETS = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-of-some-length",
        "client_id": "landplan",
        "client_secret": "a-test-client-secret",
        "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
    },
    "landplan": {
        "roles": {
            "editors": ["Wang@Bureau.gov.cn", "sub-of-zhou"],
            "editor_groups": ["landplan-editors"],
            "groups_claim": "roles",
        }
    },
}
WANG = {"is_logged_in": True, "sub": "u1", "email": "wang@bureau.gov.cn", "name": "王工"}
LI = {"is_logged_in": True, "sub": "u2", "email": "li@bureau.gov.cn", "name": "李工"}
ZHAO = {**LI, "sub": "u3", "email": "zhao@bureau.gov.cn", "roles": ["landplan-editors"]}


def test_roles_come_from_the_configuration_by_email_subject_or_group():
    v = auth.visitor(WANG, SECRETS)  # named by e-mail (any case)
    assert (v.role, v.identity, v.name, v.may_edit, v.signed) == (
        "editor",
        "wang@bureau.gov.cn",
        "王工",
        True,
        True,
    )
    assert auth.visitor(ZHAO, SECRETS).role == "editor"  # by the group in the named claim
    assert auth.visitor({**LI, "groups": ["landplan-editors"]}, SECRETS).role == "viewer"
    assert auth.visitor({**LI, "roles": "landplan-editors"}, SECRETS).role == "editor"  # one group
    li = auth.visitor(LI, SECRETS)
    assert (li.role, li.may_edit, li.admitted) == ("viewer", False, True)
    # a subject named as editor; the identity is the e-mail when there is one
    assert auth.visitor({**LI, "sub": "sub-of-zhou"}, SECRETS).role == "editor"
    # an e-mail the provider says is unverified names no one: the subject is the identity
    unverified = auth.visitor({**WANG, "email_verified": False}, SECRETS)
    assert (unverified.role, unverified.identity) == ("viewer", "u1")
    assert auth.visitor({"is_logged_in": False}, SECRETS).role == "signed_out"
    assert not auth.visitor({}, SECRETS).admitted
    # no [auth]: one local user, who may save; no [landplan.roles]: every signed-in person views
    assert auth.visitor(WANG, {}).role == "local" and auth.visitor({}, {}).may_edit
    assert auth.visitor(WANG, {"auth": SECRETS["auth"]}).role == "viewer"
    assert auth.missing_settings({"auth": {"client_id": "x", "client_secret": ""}}) == [
        "redirect_uri",
        "cookie_secret",
        "client_secret",
        "server_metadata_url",
    ]


def test_the_save_path_refuses_a_viewer_and_records_the_signed_in_identity(tmp_path, monkeypatch):
    store = tmp_path / "plans.gpkg"
    monkeypatch.setenv("LANDPLAN_STORE", str(store))
    viewer, editor = auth.visitor(LI, SECRETS), auth.visitor(WANG, SECRETS)
    for who in (viewer, auth.Visitor("signed_out")):
        with pytest.raises(LandplanError) as err:
            scen.save_whatif(who, "方案甲", note="查看者", by="王工")
        assert "编辑者" in err.value.message_zh and "editors" in str(err.value)
    assert not store.exists() or open_store(store).versions().empty  # nothing written
    # an editor's save is recorded under the signed-in e-mail, whatever name is passed as typed
    sc = scen.save_whatif(editor, "方案甲", note="编辑者", by="冒名")
    assert sc.saved_by == "wang@bureau.gov.cn"
    assert open_store(store).open("方案甲").saved_by == "wang@bureau.gov.cn"
    # without sign-in configured, the name typed (as before)
    assert scen.save_whatif(auth.Visitor("local"), "方案甲", by="王工").saved_by == "王工"


def _page(user=None, secrets=None, lang="zh"):
    at = AppTest.from_file(APP, default_timeout=240)
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    at.run()
    if lang == "en":
        at.sidebar.radio[0].set_value("en").run()
    return at


def _all_text(at) -> str:
    parts = [e.value for e in at.main if isinstance(getattr(e, "value", None), str)]
    parts += [str(getattr(e, "value", "")) for e in at.sidebar]
    parts += [str(getattr(e, "label", "")) for e in at.sidebar]
    parts += [str(getattr(e, "label", "")) for e in at.main]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return " ".join(parts)


@pytest.fixture
def saved_store(tmp_path, monkeypatch):
    store = tmp_path / "plans.gpkg"
    monkeypatch.setenv("LANDPLAN_STORE", str(store))
    open_store(store).save("城市基线", note="目录基线", by="王工")
    return store


def test_a_signed_out_visitor_sees_the_sign_in_button_and_nothing_of_the_store(saved_store):
    for lang, button in (("zh", "登录"), ("en", "Sign in")):
        at = _page({"is_logged_in": False}, SECRETS, lang)
        assert [b.label for b in at.button] == [button]
        shown = _all_text(at)
        assert "城市基线" not in shown and "目录基线" not in shown and str(saved_store) not in shown
        assert not at.expander and not at.tabs and not at.selectbox  # no scenarios, no tables
        assert not at.exception


def test_an_incomplete_configuration_shows_nothing_and_says_what_is_missing(saved_store):
    broken = {"auth": {k: v for k, v in SECRETS["auth"].items() if k != "client_secret"}}
    at = _page(WANG, broken)
    assert "client_secret" in at.error[0].value and not at.button and not at.tabs
    assert "城市基线" not in _all_text(at) and SECRETS["auth"]["cookie_secret"] not in _all_text(at)


def test_a_viewer_browses_without_a_save_form_and_an_editor_saves_as_themselves(saved_store):
    at = _page(LI, SECRETS)
    assert "查看者" in " ".join(c.value for c in at.sidebar.caption)
    assert "保存当前情景为方案" not in [b.label for b in at.button]
    assert not [t for t in at.text_input if t.key in ("scenario_name", "scenario_by")]
    assert any("城市基线" in o for s in at.selectbox for o in s.options)  # a viewer browses
    assert [b.label for b in at.sidebar.button if b.key == "auth_sign_out"] == ["退出登录"]

    at = _page(WANG, SECRETS)
    assert "编辑者" in " ".join(c.value for c in at.sidebar.caption)
    assert not [t for t in at.text_input if t.key == "scenario_by"]  # no typed name
    at.text_input(key="scenario_name").set_value("编辑者方案")
    at.text_input(key="scenario_note").set_value("AppTest")
    next(b for b in at.button if b.label == "保存当前情景为方案").click().run()
    assert any("已保存方案“编辑者方案”第 1 版" in s.value for s in at.success)
    assert open_store(saved_store).open("编辑者方案").saved_by == "wang@bureau.gov.cn"
    assert not at.exception


def test_without_sign_in_the_page_is_one_user_and_says_changes_are_not_signed(saved_store):
    at = _page()
    assert any("修改不经签名" in c.value for c in at.sidebar.caption)
    assert at.text_input(key="scenario_by").label == "保存人（可留空）"
    assert not [b for b in at.button if b.key in ("auth_sign_in", "auth_sign_out")]
