#!/usr/bin/env python3
"""Set up .venv (first run only), start a demo server on 127.0.0.1 and open the desktop app.

Usage: python3 tools/run_app.py [--screenshot FILE]
The demo server holds Kec. Tanjungpandan (Kab. Belitung) with three desa and one account per role
(operator1 / reviewer1 / supervisor1 / admin, password "<username>-demo-sandi"). The app opens as the
operator of Desa Buluh Tumbang (19.02.01.2003); log in as reviewer1 from the Sinkronisasi menu to
see the kecamatan review workspace. Data lives in .demo/ (delete it to start over).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qt_deps import ensure_qt_libraries
from venv_setup import ROOT, VENV, ensure_venv

DEMO = ROOT / ".demo"
DESA = "1902012003"
# Demo only: the store is encrypted; where no OS keyring exists (headless Linux) its key is derived from
# this passphrase, so the demo starts without a prompt. A real village PC keeps the key in its keyring.
DEMO_STORE_PASSPHRASE = "bansos-demo-kata-sandi"


def _tool(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else "")))


def _free_port(preferred: int = 8765) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the last demo run's TIME_WAIT
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise SystemExit("Tidak ada port bebas di 127.0.0.1.")


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"Server demo berhenti (kode {proc.returncode}); lihat {DEMO / 'server.log'}.")
        try:
            with urllib.request.urlopen(url + "/api/v1/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("Server demo tidak menjawab dalam 30 detik.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--screenshot", help="render the main window to this PNG and exit")
    args = parser.parse_args()

    py = ensure_venv()
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not args.screenshot:
        print("Tidak ada layar (DISPLAY kosong). Jalankan di desktop, atau: xvfb-run python3 tools/run_app.py\n"
              "No screen (DISPLAY is empty). Run it on a desktop, or: xvfb-run python3 tools/run_app.py")
        return 2
    platform = "offscreen" if headless else ("wayland" if os.environ.get("WAYLAND_DISPLAY") else "xcb")
    if not ensure_qt_libraries(py, platform):
        return 2
    DEMO.mkdir(exist_ok=True)
    server_dir, client_dir = DEMO / "server", DEMO / "desa"
    env = dict(os.environ, BANSOS_DATA_DIR=str(server_dir), BANSOS_ENVIRONMENT="development")

    subprocess.run([_tool("bansos-server"), "demo"], env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(DEMO / "server.log", "ab") as log:
        server = subprocess.Popen([_tool("bansos-server"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, server)
        prov = DEMO / "provision.json"
        subprocess.run([_tool("bansos-server"), "provision", "--desa", DESA, "--server-url", url,
                        "--out", str(prov)], env=env, check=True, stdout=subprocess.DEVNULL)
        app = [_tool("bansos"), "--data-dir", str(client_dir)]
        app_env = dict(os.environ)
        app_env.setdefault("BANSOS_STORE_PASSPHRASE", DEMO_STORE_PASSPHRASE)
        subprocess.run([*app, "provision", str(prov)], env=app_env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*app, "config", "--operator", "Operator Demo"], env=app_env, check=False,
                       stdout=subprocess.DEVNULL)
        login_env = dict(app_env, BANSOS_PASSWORD="operator1-demo-sandi")
        subprocess.run([*app, "login", "--server", url, "--username", "operator1"], env=login_env, check=False)
        subprocess.run([*app, "sync", "--once"], env=login_env, check=False)
        print(f"Server demo: {url}  (akun: operator1 / reviewer1 / supervisor1 / admin, sandi <nama>-demo-sandi)")
        gui = [*app, "gui"] + (["--screenshot", args.screenshot] if args.screenshot else [])
        # Demo only: where no OS keyring exists the app would ask for the password every session.
        gui_env = dict(login_env)
        if headless:
            gui_env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call(gui, env=gui_env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
