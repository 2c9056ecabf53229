"""Check that show_map stays interactive offline in JupyterLab and Notebook 7 (manual check).

Not part of the test suite: it needs JupyterLab and Notebook 7, which connectnet does not
depend on. Usage::

    python -m venv /tmp/jl && /tmp/jl/bin/pip install jupyterlab notebook
    python scripts/check_notebook_rendering.py --jupyter /tmp/jl/bin/jupyter

Steps: execute a notebook whose cell calls ``cn.show_map`` on two waves (nbclient, this
interpreter); mark it trusted (``jupyter trust``: front ends sanitise the HTML outputs of
untrusted notebooks); serve its folder with ``jupyter lab`` on localhost; open the notebook
in headless Chromium at ``/lab/tree/...`` (JupyterLab) and ``/notebooks/...`` (Notebook 7)
with every request that is not to that local server aborted and recorded; wait for the map
inside the output's iframe to draw, type in its search box, choose a suggestion, switch the
wave; print what was found. Exit status 0 only if every check passed in both front ends.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CELL = """\
import networkx as nx, connectnet as cn
G = nx.Graph()
G.add_node("a", name="<img src=x onerror=alert(1)>", sector="NHS")
G.add_node("b", name="Bob", sector="prison")
G.add_edge("a", "b")
H = G.copy(); H.add_node("c", name="Cat", sector="prison"); H.add_edge("b", "c")
cn.show_map({"before": G, "after": H}, seed=1, height="450px")
"""
DRAWN = "() => document.documentElement.hasAttribute('data-cn-drawn')"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook(folder: Path) -> Path:
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    path = folder / "explorer.ipynb"
    nbformat.write(nb, path)
    return path


def _check(browser, url: str, origin: str) -> list[str]:
    """Problems found (empty: all good)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    dialogs: list[str] = []

    def route(r):
        if r.request.url.startswith(origin) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    problems = []
    try:
        page.goto(url)
        iframe = page.locator("iframe[title='connectnet map']").first
        iframe.wait_for(state="attached", timeout=60_000)
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function(DRAWN, timeout=60_000)
        if frame.evaluate("connectnet.waves()") != ["before", "after"]:
            problems.append("waves() wrong")
        inner = page.frame_locator("iframe[title='connectnet map']").first
        inner.locator("#cn-search").fill("bo")
        inner.locator("#cn-suggest li").first.click()
        if inner.locator("#cn-panel h2").inner_text() != "Bob":
            problems.append("search + suggestion did not focus Bob")
        inner.locator("#cn-wave").select_option(label="after")
        if frame.evaluate("connectnet.visibleEdges()") != 2:
            problems.append("wave selector did not show the second wave's 2 ties")
        page.screenshot(path=str(Path(tempfile.gettempdir()) / (url.split("/")[3] + ".png")))
    except Exception as exc:
        problems.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
    if dialogs:
        problems.append(f"dialogs: {dialogs}")
    if blocked:
        problems.append(f"requests to other hosts: {blocked[:5]}")
    context.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jupyter", default=shutil.which("jupyter") or "jupyter")
    parser.add_argument(
        "--untrusted", action="store_true", help="skip `jupyter trust` (outputs sanitised)"
    )
    opts = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="cn_jupyter_"))
    path = _notebook(folder)
    if not opts.untrusted:
        subprocess.run([opts.jupyter, "trust", str(path)], check=True, capture_output=True)
    version = subprocess.run(
        [opts.jupyter, "--version"], check=True, capture_output=True, text=True
    ).stdout
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [opts.jupyter, "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={folder}", "--allow-root"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    failed = False
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"]
            )
            for name, url in (
                ("JupyterLab", f"{origin}/lab/tree/{path.name}"),
                ("Notebook 7", f"{origin}/notebooks/{path.name}"),
            ):
                problems = _check(browser, url, origin)
                failed |= bool(problems)
                print(f"{name}: {'OK' if not problems else '; '.join(problems)}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    print("versions:\n" + version.strip())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
