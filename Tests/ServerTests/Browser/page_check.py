#!/usr/bin/env python3
"""Loads `runner serve`'s page in headless Chromium (Debian's package) through the DevTools protocol, as a user
would: enters the token when the page asks for it, waits until the run shows as finished with its clips and its
film, then reports what the page shows as one JSON object on stdout and writes a screenshot. It asserts nothing:
the Swift test (PageInChromiumTests) judges the facts.

    page_check.py URL --token T [--run RUN_ID] --screenshot out.png [--timeout 120]

Without --run it watches the first run the page lists (a test starts the run after the page has loaded).

Facts reported: the run's id; each distinct (progress value, progress max, clips, clips showing a frame) the page
went through while the run went on; whether the token form was shown and the token kept in sessionStorage; the run's section (its
text, its progress bar's value and max, the number of clips and how many of them show a decoded frame, the film
player's src, readyState, duration and size); any script exception or console error; `window.__pwned` (set only
if markup from the server ran); the screenshot's size, distinct colours and the run section's distinct colours and
luminance spread (Pillow).
"""
import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websockets
from PIL import Image, ImageStat


class DevTools:
    """One page's DevTools connection: numbered commands, and the events seen so far."""

    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0
        self.pending = {}
        self.events = []
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        async for text in self.socket:
            message = json.loads(text)
            if "id" in message and message["id"] in self.pending:
                self.pending.pop(message["id"]).set_result(message)
            elif "method" in message:
                self.events.append(message)

    async def call(self, method, **params):
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        message = await asyncio.wait_for(future, 30)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message["result"]

    async def evaluate(self, expression):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression[:80]!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.evaluate(expression):
                return True
            await asyncio.sleep(0.25)
        return False


def start_chromium(profile):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        sys.exit("chromium is not installed; run scripts/setup.sh (Debian's chromium package)")
    process = subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", f"--user-data-dir={profile}",
         "--window-size=1280,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    for line in process.stderr:
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            # Keep draining stderr so Chromium never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()
            return process, found.group(1)
        if time.monotonic() > deadline:
            break
    process.kill()
    sys.exit("chromium did not print its DevTools address")


def page_socket(browser_url):
    port = re.search(r"ws://[^/]+:(\d+)/", browser_url).group(1)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
        targets = json.load(answer)
    return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")


# What the page shows for one run, read from the DOM.
FACTS = r"""
(() => {
  const run = document.querySelector(`section.run[data-run-id="${CSS.escape(RUN)}"]`);
  const film = run && run.querySelector(".film video");
  const clips = run ? [...run.querySelectorAll(".clips video")] : [];
  const box = run && run.getBoundingClientRect();
  return {
    tokenFormShown: window.__tokenFormSeen === true,
    tokenStored: sessionStorage.getItem("runner.token") === TOKEN,
    tokenFormVisible: !document.getElementById("token-form").hidden,
    runShown: !!run,
    runText: run ? run.innerText : "",
    status: run ? run.querySelector(".status").textContent : "",
    progressValue: run ? run.querySelector("progress").value : null,
    progressMax: run ? run.querySelector("progress").max : null,
    clipCount: clips.length,
    clipCaptions: run ? [...run.querySelectorAll(".clips figcaption")].map((c) => c.textContent) : [],
    clipsWithFrame: clips.filter((v) => v.readyState >= 2 && v.videoWidth > 0).length,
    filmSrc: film ? film.currentSrc || film.src : null,
    filmReadyState: film ? film.readyState : 0,
    filmDuration: film ? film.duration : null,
    filmWidth: film ? film.videoWidth : 0,
    filmHasControls: film ? film.controls : false,
    imagesInPage: document.images.length,
    pwned: window.__pwned === true,
    notice: document.getElementById("notice").textContent,
    runBox: box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null,
  };
})()
"""


async def check(arguments):
    profile = tempfile.mkdtemp(prefix="runner-page-check-")
    process, browser_url = start_chromium(profile)
    try:
        async with websockets.connect(page_socket(browser_url), max_size=64 * 1024 * 1024) as socket:
            tools = DevTools(socket)
            await tools.call("Page.enable")
            await tools.call("Runtime.enable")
            await tools.call("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1,
                             mobile=False)
            # Notes whether the token form was ever visible, from the first script on.
            await tools.call("Page.addScriptToEvaluateOnNewDocument", source="""
              new MutationObserver(() => {
                const form = document.getElementById("token-form");
                if (form && !form.hidden) window.__tokenFormSeen = true;
              }).observe(document, { subtree: true, childList: true, attributes: true });
            """)
            await tools.call("Page.navigate", url=arguments.url)
            if arguments.token:
                if not await tools.wait_for('(f => !!f && !f.hidden)(document.getElementById("token-form"))', 30):
                    facts = {"error": "the page never asked for a token"}
                    print(json.dumps(facts))
                    return
                # Typed as a user would: into the field, then the form's button.
                await tools.evaluate(f"""(() => {{
                  document.getElementById("token").value = {json.dumps(arguments.token)};
                  document.querySelector("#token-form button").click();
                }})()""")
            # The page has listed the runs (the form hides once the server takes the token): say so, so that a
            # test can start its run now and see the page pick it up.
            listed = await tools.wait_for(
                '(f => !!f && f.hidden && !document.getElementById("empty").hidden || '
                '!!document.querySelector("section.run"))(document.getElementById("token-form"))', 15)
            print(json.dumps({"pageReady": listed}), flush=True)
            # The run to watch: the one named, or the first the page lists (the test starts it after the page
            # loaded, so the page must pick it up by itself).
            run_id = arguments.run
            if not run_id:
                if not await tools.wait_for('!!document.querySelector("section.run")', arguments.timeout):
                    facts = await tools.evaluate(FACTS.replace("RUN", '""').replace("TOKEN", json.dumps(arguments.token)))
                    facts["error"] = "no run appeared on the page"
                    print(json.dumps(facts))
                    return
                run_id = await tools.evaluate('document.querySelector("section.run").dataset.runId')
            expression = FACTS.replace("RUN", json.dumps(run_id)).replace("TOKEN", json.dumps(arguments.token or ""))
            # Until the run has ended, the film's player has its metadata and every clip shows a frame: each distinct state the
            # progress bar and the clip tiles go through on the way (the live progress, as the events arrive).
            seen = []
            deadline = time.monotonic() + arguments.timeout
            ready = False
            while time.monotonic() < deadline:
                facts = await tools.evaluate(expression)
                sample = [facts["progressValue"], facts["progressMax"], facts["clipCount"], facts["clipsWithFrame"]]
                if not seen or seen[-1] != sample:
                    seen.append(sample)
                if facts["runShown"] and facts["filmReadyState"] >= 1 and facts["clipCount"] > 0 \
                        and facts["clipsWithFrame"] == facts["clipCount"] \
                        and facts["status"] in ("succeeded", "failed", "cancelled"):
                    ready = True
                    break
                await asyncio.sleep(0.2)
            facts = await tools.evaluate(expression)
            facts["settled"] = ready
            facts["runId"] = run_id
            facts["progressSeen"] = seen
            shot = await tools.call("Page.captureScreenshot", format="png")
            with open(arguments.screenshot, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            image = Image.open(arguments.screenshot).convert("RGB")
            facts["screenshotSize"] = list(image.size)
            facts["screenshotColours"] = len(image.getcolors(maxcolors=1 << 24) or [])
            box = facts.get("runBox")
            if box and box["width"] > 0 and box["height"] > 0:
                region = image.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                                     int(min(box["y"] + box["height"], image.size[1]))))
                facts["runRegionColours"] = len(region.getcolors(maxcolors=1 << 24) or [])
                facts["runRegionLuminanceSpread"] = ImageStat.Stat(region.convert("L")).stddev[0]
            facts["exceptions"] = [e["params"]["exceptionDetails"].get("exception", {}).get("description", "")
                                   or e["params"]["exceptionDetails"].get("text", "")
                                   for e in tools.events if e["method"] == "Runtime.exceptionThrown"]
            facts["consoleErrors"] = [" ".join(str(a.get("value", a.get("description", ""))) for a in e["params"]["args"])
                                      for e in tools.events
                                      if e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] == "error"]
            print(json.dumps(facts))
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--token", default="")
    parser.add_argument("--run", default="")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    asyncio.run(check(parser.parse_args()))


if __name__ == "__main__":
    main()
