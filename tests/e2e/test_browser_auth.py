"""Sign-in on the page against a real OpenID Connect provider, in real headless Chromium.

The provider is PyPI's oidc-provider-mock (test extra), started as its own program on a loopback
port with client registration required: the page's client is registered with it (its client id and
secret are the provider's), and two people are defined there: 李工, a viewer, and 王工, an editor
by the group claim the configuration names. The page is served by ``streamlit run`` with a
secrets.toml in a temporary folder (``--secrets.files``) and a GeoPackage plan store holding one
scenario. Screenshots (signed out, viewer, editor; both languages) go to out/screenshots/. Skipped
like tests/e2e/test_browser.py without chromium.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .test_browser import CHROMIUM, SHOTS, _free_port, running_page

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
MAP = "iframe[data-testid=stIFrame]"
VIEWER = {"sub": "li@bureau.gov.cn", "email": "li@bureau.gov.cn", "name": "李工"}
EDITOR = {
    "sub": "wang@bureau.gov.cn",
    "email": "wang@bureau.gov.cn",
    "name": "王工",
    "groups": ["landplan-editors", "planning"],
}
SAVE = "保存当前情景为方案"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The OpenID Connect provider on loopback, with the viewer and the editor defined; its URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("provider") / "provider.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "oidc-provider-mock"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--require-registration",
                "--user-claims",
                json.dumps(VIEWER),
                "--user-claims",
                json.dumps(EDITOR),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    with urllib.request.urlopen(
                        f"{url}/.well-known/openid-configuration", timeout=1
                    ) as r:
                        if json.load(r)["issuer"] == url:
                            break
                except OSError:
                    time.sleep(0.5)
            else:
                pytest.fail(f"the OpenID Connect provider did not start: {log.read_text()}")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _register(provider: str, redirect_uri: str) -> dict:
    """Register the page as a client of the provider (OAuth 2.0 dynamic registration): its id and
    secret."""
    req = urllib.request.Request(
        f"{provider}/oauth2/clients",
        data=json.dumps({"redirect_uris": [redirect_uri]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def signed_page(provider, tmp_path_factory):
    """The page with sign-in configured: (url, store path, secrets, server log path)."""
    from layers.store import open_store

    folder = tmp_path_factory.mktemp("signed")
    store = folder / "plans.gpkg"
    open_store(store).save("城市基线", note="目录基线", by="王工")
    port = _free_port()
    redirect_uri = f"http://127.0.0.1:{port}/oauth2callback"
    client = _register(provider, redirect_uri)
    said = {
        "cookie_secret": secrets.token_urlsafe(32),
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect_uri}"\n'
        f'cookie_secret = "{said["cookie_secret"]}"\n'
        f'client_id = "{said["client_id"]}"\n'
        f'client_secret = "{said["client_secret"]}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[landplan.roles]\n"
        'editors = ["zhao@bureau.gov.cn"]\n'
        'editor_groups = ["landplan-editors"]\n'
        'groups_claim = "groups"\n',
        encoding="utf-8",
    )
    log = folder / "page.log"
    args = ("--secrets.files", str(folder / "secrets.toml"), "--logger.level", "debug")
    env = {**os.environ, "LANDPLAN_STORE": str(store)}
    with running_page(env, args=args, port=port, log=log) as url:
        yield url, store, said, log


def _settled(page):
    time.sleep(0.8)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=120_000)
    time.sleep(0.5)


class Wire:
    """The page's websocket to the server, passed through: what each side sent, and a way to send
    the server a message of our own (a crafted rerun)."""

    def __init__(self, context):
        self.sent, self.received, self.server = [], [], None
        context.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws):
        server = ws.connect_to_server()
        self.server = server

        def up(message):
            self.sent.append(message)
            server.send(message)

        def down(message):
            self.received.append(message)
            ws.send(message)

        ws.on_message(up)
        server.on_message(down)

    def ran_since(self, since: int) -> bool:
        """Whether the server finished a run of the page after its ``since``-th message."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        for raw in self.received[since:]:
            if isinstance(raw, bytes):
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                if msg.WhichOneof("type") == "script_finished":
                    return True
        return False

    def reruns(self, since: int = 0):
        """The rerun requests the page sent (from ``since``), parsed."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        out = []
        for raw in self.sent[since:]:
            if isinstance(raw, bytes):
                msg = BackMsg()
                msg.ParseFromString(raw)
                if msg.WhichOneof("type") == "rerun_script":
                    out.append((raw, msg))
        return out


def _renamed(raw: bytes, old: str, new: str) -> bytes:
    """A rerun request with the text ``old`` typed in a field changed to ``new`` (crafted)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.ParseFromString(raw)
    fields = [w for w in msg.rerun_script.widget_states.widgets if w.string_value == old]
    assert fields, "the field was not in the request"
    for w in fields:
        w.string_value = new
    return msg.SerializeToString()


def _browser(p):
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    )


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost")
            else r.abort()
        ),
    )
    return context


def _sign_in(page, url: str, sub: str):
    """Sign in through the provider's own form (the page's button, the provider's, back)."""
    page.goto(url)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{url}/**", timeout=60_000)
    page.frame_locator(MAP).first.locator(".leaflet-overlay-pane path").first.wait_for(
        timeout=180_000
    )
    _settled(page)


def _scenarios_box(page, title="方案（保存与对比）"):
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text(title).click()
    _settled(page)
    return sidebar


def _english(page):
    page.get_by_text("English").click()
    page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=60_000)
    _settled(page)


def test_viewer_editor_and_sign_out_against_a_real_provider(signed_page):
    sync_api = pytest.importorskip("playwright.sync_api")
    from layers.store import open_store

    url, store, said, log = signed_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages_html = []  # every page as served, to look for the secrets in
    with sync_api.sync_playwright() as p:
        browser = _browser(p)

        # signed out: the sign-in button and nothing of the store
        context = _context(browser)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="登录").wait_for(timeout=120_000)
        _settled(page)
        page.get_by_text("本页面需要登录").wait_for()
        html = page.content()
        pages_html.append(html)
        assert "城市基线" not in html and "目录基线" not in html and str(store) not in html
        assert page.locator(MAP).count() == 0
        assert page.get_by_text("方案（保存与对比）").count() == 0
        page.screenshot(path=str(SHOTS / "auth_signed_out_zh.png"), full_page=True)
        page.get_by_text("English").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        _settled(page)
        pages_html.append(page.content())
        assert "城市基线" not in page.content()
        page.screenshot(path=str(SHOTS / "auth_signed_out_en.png"), full_page=True)
        context.close()

        # the editor (by the group claim): saves under the signed-in identity, no typed name
        context = _context(browser)
        editor_wire = Wire(context)
        page = context.new_page()
        _sign_in(page, url, EDITOR["sub"])
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("已登录：王工（wang@bureau.gov.cn），编辑者").wait_for(timeout=60_000)
        _scenarios_box(page)
        assert sidebar.get_by_label("保存人（可留空）").count() == 0
        sidebar.get_by_text("保存人：wang@bureau.gov.cn（登录身份）").wait_for()
        sidebar.get_by_label("方案名称").fill("编辑者方案")
        sidebar.get_by_label("备注").fill("浏览器中保存")
        before = len(editor_wire.sent)
        sidebar.get_by_role("button", name=SAVE).click()
        page.get_by_text("已保存方案“编辑者方案”第 1 版", exact=False).wait_for(timeout=120_000)
        saved = open_store(store).open("编辑者方案")
        assert (saved.saved_by, saved.note) == ("wang@bureau.gov.cn", "浏览器中保存")
        # the rerun the editor's browser sent with the save button pressed
        save_rerun = [
            raw
            for raw, msg in editor_wire.reruns(before)
            if any(
                w.WhichOneof("value") == "trigger_value" and w.trigger_value
                for w in msg.rerun_script.widget_states.widgets
            )
        ]
        assert len(save_rerun) == 1
        _settled(page)
        pages_html.append(page.content())
        page.screenshot(path=str(SHOTS / "auth_editor_zh.png"), full_page=True)
        _english(page)
        _scenarios_box(page, "Scenarios (save and compare)")
        sidebar.get_by_text("Saved by: wang@bureau.gov.cn (signed-in identity)").wait_for()
        sidebar.get_by_role("button", name="Save the current what-if as a scenario").wait_for()
        pages_html.append(page.content())
        page.screenshot(path=str(SHOTS / "auth_editor_en.png"), full_page=True)

        # signing out ends the access: through the provider's end of session, back to the page
        sidebar.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/oauth2/end_session**", timeout=60_000)
        page.get_by_role("button", name="End session").click()
        page.get_by_role("button", name="登录").wait_for(timeout=120_000)
        _settled(page)
        assert "编辑者方案" not in page.content() and page.locator(MAP).count() == 0
        assert not [c for c in context.cookies() if c["name"].startswith("_streamlit_user")]
        page.reload()  # and stays ended
        page.get_by_role("button", name="登录").wait_for(timeout=120_000)
        _settled(page)
        assert "编辑者方案" not in page.content() and "城市基线" not in page.content()
        context.close()

        # the viewer: browses (the saved scenarios are listed), no save form; the editor's save
        # rerun replayed on the viewer's connection saves nothing
        context = _context(browser)
        viewer_wire = Wire(context)
        page = context.new_page()
        _sign_in(page, url, VIEWER["sub"])
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("已登录：李工（li@bureau.gov.cn），查看者").wait_for(timeout=60_000)
        _scenarios_box(page)
        sidebar.get_by_text("查看者不能保存方案").wait_for()
        assert sidebar.get_by_role("button", name=SAVE).count() == 0
        assert sidebar.get_by_label("方案名称").count() == 0
        sidebar.locator("[data-testid=stSelectbox]").filter(has_text="打开已保存的方案").click()
        page.get_by_role("option").filter(has_text="城市基线").wait_for()
        page.keyboard.press("Escape")
        _settled(page)
        versions = len(open_store(store).versions())
        assert viewer_wire.server is not None
        received = len(viewer_wire.received)
        viewer_wire.server.send(_renamed(save_rerun[0], "编辑者方案", "查看者冒存"))
        time.sleep(1.5)
        _settled(page)
        assert viewer_wire.ran_since(received)  # the server ran the page for the crafted rerun
        names = open_store(store).versions()["name"].tolist()
        assert len(names) == versions and "查看者冒存" not in names
        assert page.get_by_text("已保存方案", exact=False).count() == 0
        assert page.locator("[data-testid=stException]").count() == 0
        pages_html.append(page.content())
        page.screenshot(path=str(SHOTS / "auth_viewer_zh.png"), full_page=True)
        _english(page)
        _scenarios_box(page, "Scenarios (save and compare)")
        sidebar.get_by_text("Signed in: 李工 (li@bureau.gov.cn), viewer").wait_for()
        sidebar.get_by_text("Viewers cannot save scenarios").wait_for()
        pages_html.append(page.content())
        page.screenshot(path=str(SHOTS / "auth_viewer_en.png"), full_page=True)
        context.close()
        browser.close()

    # the secrets reach neither the page (its HTML, everything the server sent it) nor the log
    served = [h.encode() for h in pages_html] + [
        m if isinstance(m, bytes) else m.encode()
        for m in editor_wire.received + viewer_wire.received
    ]
    assert len(served) > 10
    logged = log.read_bytes()
    assert b"Running script" in logged  # the page's log, at debug level
    for name in ("client_secret", "cookie_secret"):
        secret = said[name].encode()
        assert not any(secret in s for s in served), name
        assert secret not in logged, name
