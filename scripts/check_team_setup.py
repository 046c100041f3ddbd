"""Check README's "Running it for a team" on this machine: its nginx block in front of two page
processes, one PostGIS plan store, sign-in through a real OpenID Connect provider, in Chromium.

Everything runs on loopback and is stopped at the end: a private PostgreSQL + PostGIS server (as the
tests start it), oidc-provider-mock (test extra) with a viewer and an editor (by group), the page
registered as its client, two ``streamlit run`` processes sharing one secrets.toml, and nginx with
README's block as written, but for its ports and a self-signed certificate. It prints what it finds:

1. with ``ip_hash``: the editor signs in through the proxy (HTTPS, the websocket upgraded) and
   saves; the store records the save under the editor's e-mail;
2. round robin: a viewer's sign-in begun on one process ends on the other (one ``cookie_secret``);
   new pages are opened until one's websocket reaches the process the editor did not use, and its
   list of scenarios shows the editor's save (read from the store on every run);
3. the client and cookie secrets are in neither process's log.

Needs nginx, openssl, Debian's postgresql and postgis, chromium and the test extra::

    python scripts/check_team_setup.py
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pg_server import PgServer, free_port, pg_bin  # noqa: E402

BIN = Path(sys.executable).parent
EDITOR = {"sub": "wang@bureau.gov.cn", "email": "wang@bureau.gov.cn", "name": "王工"}
EDITOR["groups"] = ["landplan-editors"]
VIEWER = {"sub": "li@bureau.gov.cn", "email": "li@bureau.gov.cn", "name": "李工"}


def answer(url: str) -> bytes:
    """The body at ``url`` once it answers (two minutes at most; certificates not checked)."""
    for _ in range(240):
        try:
            with urllib.request.urlopen(
                url, timeout=1, context=ssl._create_unverified_context()
            ) as r:
                return r.read()
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"no answer from {url}")


def nginx_conf(folder: Path, ports, proxy_port: int, sticky: bool) -> str:
    """README's nginx block with this machine's ports and certificate, in a whole configuration."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", readme, re.S).group(1)
    for old, new in (
        ("server 127.0.0.1:8501;", f"server 127.0.0.1:{ports[0]};"),
        ("server 127.0.0.1:8502;", f"server 127.0.0.1:{ports[1]};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{proxy_port} ssl;"),
        ("/etc/ssl/certs/landplan.bureau.local.pem", str(folder / "cert.pem")),
        ("/etc/ssl/private/landplan.bureau.local.key", str(folder / "key.pem")),
        *([] if sticky else [("    ip_hash;", "    # round robin")]),
    ):
        assert old in block, old
        block = block.replace(old, new)
    t = folder / "nginx-temp"
    t.mkdir(exist_ok=True)
    os.chmod(t, 0o777)
    return (
        f"daemon off;\nerror_log {folder}/nginx-error.log;\npid {folder}/nginx.pid;\nevents {{}}\n"
        "http {\nlog_format up '$request_uri -> $upstream_addr $status';\n"
        f"access_log {folder}/nginx-access.log up;\n"
        f"client_body_temp_path {t}/b; proxy_temp_path {t}/p; fastcgi_temp_path {t}/f;\n"
        f"uwsgi_temp_path {t}/u; scgi_temp_path {t}/s;\n{block}}}\n"
    )


def settled(page) -> None:
    time.sleep(2)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=120_000)


def sign_in(page, base: str, sub: str, name: str) -> None:
    page.goto(base)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{base}/**", timeout=60_000)
    page.locator("[data-testid=stSidebar]").get_by_text(f"已登录：{name}").wait_for(timeout=180_000)
    settled(page)


def saved_list(page) -> list[str]:
    """The scenarios the page offers to open (the sidebar's 方案 box)."""
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("方案（保存与对比）").click()
    box = sidebar.locator("[data-testid=stSelectbox]").filter(has_text="打开已保存的方案")
    box.wait_for(timeout=120_000)
    settled(page)
    for _ in range(5):
        box.click()
        try:
            page.get_by_role("option").first.wait_for(timeout=15_000)
            break
        except Exception:  # noqa: BLE001 - the page was still redrawing: try again
            page.keyboard.press("Escape")
            time.sleep(3)
    listed = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return listed


def main() -> None:
    from playwright.sync_api import sync_playwright

    from layers.store import open_store

    for tool in ("nginx", "openssl", "chromium"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed")
    folder = Path(tempfile.mkdtemp(prefix="landplan-team-"))
    os.chmod(folder, 0o755)
    running = []
    pg = PgServer(pg_bin()).start()
    try:
        store = pg.create_db("landplan")
        pport = free_port()
        provider = f"http://127.0.0.1:{pport}"
        cmd = [str(BIN / "oidc-provider-mock"), "--host", "127.0.0.1", "--port", str(pport), "-r"]
        for user in (VIEWER, EDITOR):
            cmd += ["--user-claims", json.dumps(user)]
        with open(folder / "provider.log", "wb") as log:
            running.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
        answer(f"{provider}/.well-known/openid-configuration")
        proxy_port, ports = free_port(), [free_port(), free_port()]
        base = f"https://127.0.0.1:{proxy_port}"
        request = urllib.request.Request(
            f"{provider}/oauth2/clients",
            data=json.dumps({"redirect_uris": [f"{base}/oauth2callback"]}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request) as r:
            client = json.load(r)
        cookie_secret = secrets.token_urlsafe(32)
        (folder / "secrets.toml").write_text(
            f'[auth]\nredirect_uri = "{base}/oauth2callback"\ncookie_secret = "{cookie_secret}"\n'
            f'client_id = "{client["client_id"]}"\nclient_secret = "{client["client_secret"]}"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n\n'
            '[landplan.roles]\neditor_groups = ["landplan-editors"]\ngroups_claim = "groups"\n',
            encoding="utf-8",
        )
        for port in ports:
            with open(folder / f"page-{port}.log", "wb") as log:
                running.append(
                    subprocess.Popen(
                        [
                            str(BIN / "streamlit"),
                            "run",
                            "streamlit_app.py",
                            "--server.address",
                            "127.0.0.1",
                            "--server.port",
                            str(port),
                            "--server.headless",
                            "true",
                            "--secrets.files",
                            str(folder / "secrets.toml"),
                        ],
                        cwd=ROOT,
                        env={**os.environ, "LANDPLAN_STORE": store},
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            answer(f"http://127.0.0.1:{port}/_stcore/health")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
            + ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True,
            capture_output=True,
        )

        def proxy(sticky: bool):
            (folder / "nginx.conf").write_text(nginx_conf(folder, ports, proxy_port, sticky))
            (folder / "nginx-access.log").write_text("")
            proc = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")])
            running.append(proc)
            answer(f"{base}/_stcore/health")
            return proc

        def upstreams(prefix: str) -> list[str]:
            lines = (folder / "nginx-access.log").read_text().splitlines()
            return [line.split()[2] for line in lines if line.startswith(prefix)]

        nginx = proxy(sticky=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--ignore-certificate-errors"],
            )
            ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
            page = ctx.new_page()
            sockets = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            sign_in(page, base, EDITOR["sub"], EDITOR["name"])
            sidebar = page.locator("[data-testid=stSidebar]")
            sidebar.get_by_text("方案（保存与对比）").click()
            settled(page)
            sidebar.get_by_label("方案名称").fill("团队方案")
            sidebar.get_by_role("button", name="保存当前情景为方案").click()
            page.get_by_text("已保存方案“团队方案”第 1 版", exact=False).wait_for(timeout=120_000)
            saved = open_store(store).versions()[["name", "saved_by"]].to_dict("records")
            editors_process = sorted(set(upstreams("/")))  # every request of that browser
            ctx.close()
            print(f"1. ip_hash: websockets {sockets}; in the store: {saved}")
            print(f"   the editor's requests all went to {editors_process}")
            nginx.terminate()
            nginx.wait()
            proxy(sticky=False)
            ctx = browser.new_context(viewport={"width": 1400, "height": 1300})
            page = ctx.new_page()
            sign_in(page, base, VIEWER["sub"], VIEWER["name"])
            page.close()
            print(
                f"2. round robin: sign-in begun on {upstreams('/auth/login')}, "
                f"ended on {upstreams('/oauth2callback')}"
            )
            for i in range(8):
                page = ctx.new_page()
                page.goto(base)
                page.locator("[data-testid=stSidebar]").get_by_text("已登录：李工").wait_for(
                    timeout=180_000
                )
                settled(page)
                listed = saved_list(page)
                page.close()
                time.sleep(1.5)
                where = upstreams("/_stcore/stream")[-1]
                print(f"   page {i}: websocket to {where}, scenarios offered: {listed}")
                if where not in editors_process:
                    break
            browser.close()
        logs = b"".join((folder / f"page-{port}.log").read_bytes() for port in ports)
        found = [
            name
            for name, value in (
                ("client_secret", client["client_secret"]),
                ("cookie", cookie_secret),
            )
            if value.encode() in logs
        ]
        print(f"3. secrets in the page processes' logs: {found or 'none'}")
    finally:
        for proc in reversed(running):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
