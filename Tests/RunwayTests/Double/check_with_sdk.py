#!/usr/bin/env python3
"""Drives the Runway double with the official `runwayml` SDK: the proof that the double speaks the real protocol.

Uses the double at RUNNER_TEST_RUNWAY_URL, or starts its own on a free 127.0.0.1 port when that is unset.
Every check runs in its own tenant (POST /__double__/tenants), so it can share a double with other tests.
Prints one line per check, `PASS <name>: ...` or `FAIL <name>: ...`, then `SUMMARY passed=N failed=M`, and
exits 1 when any check failed (2 when the double could not be reached or started).

The first check uses the SDK's own polling untouched (about 6 s between polls); the others shorten the SDK's
module-level poll interval (runwayml.lib.polling.POLL_TIME) to keep the run short.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path
from typing import Any, Callable, Optional

import runwayml
import runwayml.lib.polling as polling
from runwayml import RunwayML

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FRAME = ROOT / "examples" / "frames" / "frame_01_dawn.jpg"
SDK_POLL_TIME, SDK_POLL_JITTER = polling.POLL_TIME, polling.POLL_JITTER
# The newest runwayml the package index served (`pip index versions runwayml`) when this was last checked; setup.sh
# installs at least this one.
MINIMUM_SDK = (5, 24, 0)

CHECKS: list[tuple[str, Callable[["Double"], str]]] = []


def check(name: str) -> Callable[[Callable[["Double"], str]], Callable[["Double"], str]]:
    """Registers a check; it returns a detail string or raises AssertionError."""
    def register(function: Callable[["Double"], str]) -> Callable[["Double"], str]:
        CHECKS.append((name, function))
        return function
    return register


class Double:
    """The double's address and its control API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def control(self, method: str, path: str, body: Optional[dict[str, Any]] = None,
                key: Optional[str] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if key is not None:
            request.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def tenant(self, **config: Any) -> str:
        """A fresh isolated tenant with this config; returns its API key."""
        return self.control("POST", "/__double__/tenants", config)["key"]

    def stats(self, key: str) -> dict[str, Any]:
        return self.control("GET", "/__double__/stats", key=key)

    def client(self, key: str, **options: Any) -> RunwayML:
        return RunwayML(api_key=key, base_url=self.url, **options)


def data_uri(path: Path = FRAME) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()


def fast_polling() -> None:
    polling.POLL_TIME, polling.POLL_JITTER = 0.15, 0.1


def sdk_polling() -> None:
    polling.POLL_TIME, polling.POLL_JITTER = SDK_POLL_TIME, SDK_POLL_JITTER


def probe(path: str) -> dict[str, Any]:
    """ffprobe's view of a file: first video stream and format."""
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                             "stream=codec_type,codec_name,width,height,pix_fmt:format=format_name,duration",
                             "-of", "json", path], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"ffprobe refused the output: {result.stderr.strip()}"
    info = json.loads(result.stdout)
    video = next(s for s in info["streams"] if s.get("codec_type") == "video")
    return {**video, **info["format"]}


def download(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def expect_error(kind: type, action: Callable[[], Any]) -> Any:
    """Runs `action`, which must raise the SDK error `kind`; returns the error."""
    try:
        action()
    except kind as error:
        return error
    except Exception as error:  # the wrong error type is a failure that names both
        raise AssertionError(f"expected {kind.__name__}, got {type(error).__name__}: {error}") from None
    raise AssertionError(f"expected {kind.__name__}, but the call succeeded")


# ----------------------------------------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------------------------------------

@check("create-wait-mp4")
def create_wait_mp4(double: Double) -> str:
    key = double.tenant(generationSeconds=1.0)
    client = double.client(key)
    sdk_polling()
    started = time.monotonic()
    created = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720",
                                           duration=5, prompt_text="a slow sunrise over the sea", seed=42)
    assert created.estimated_cost.credits == 25, f"estimatedCost {created.estimated_cost}"
    task = created.wait_for_task_output(timeout=120)
    elapsed = time.monotonic() - started
    assert task.status == "SUCCEEDED" and len(task.output) == 1, f"task {task}"
    status, body = download(task.output[0])
    assert status == 200, f"download answered {status}"
    with tempfile.NamedTemporaryFile(suffix=".mp4") as handle:
        handle.write(body)
        handle.flush()
        info = probe(handle.name)
    assert "mp4" in info["format_name"], f"container {info['format_name']}"
    assert (info["codec_name"], info["pix_fmt"]) == ("h264", "yuv420p"), f"codec {info}"
    assert (info["width"], info["height"]) == (1280, 720), f"size {info['width']}x{info['height']}"
    assert abs(float(info["duration"]) - 5.0) < 0.05, f"duration {info['duration']}"
    polls = double.stats(key)["polls"][task.id]
    return (f"{info['codec_name']} {info['pix_fmt']} {info['width']}x{info['height']} {float(info['duration']):.2f}s "
            f"{len(body)} bytes, cost {task.cost.credits} credits, {polls} SDK poll(s) in {elapsed:.1f}s")


@check("bad-request")
def bad_request(double: Double) -> str:
    key = double.tenant()
    client = double.client(key, max_retries=0)
    ratio = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="gen4_turbo", prompt_image=data_uri(), ratio="1280:768"))  # type: ignore[arg-type]
    assert "ratio" in ratio.body["error"] and "gen3a_turbo" in ratio.body["error"], ratio.body
    text = "\U0001F305" * 501  # 501 characters, 1002 UTF-16 code units
    long_text = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", prompt_text=text))
    assert "1002 UTF-16" in long_text.body["error"], long_text.body
    model = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="gen3a_turbo", prompt_image=data_uri(), ratio="1280:720"))  # type: ignore[arg-type]
    not_image = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="gen4_turbo", prompt_image=f"{double.url}/__double__/stats", ratio="1280:720"))
    assert "not a PNG, JPEG or WebP" in not_image.body["error"], not_image.body
    created = double.stats(key)["tasksCreated"]
    assert created == 0, f"{created} task(s) created by refused requests"
    return f"ratio, UTF-16 length, model and non-image link refused: {model.body['error'][:60]!r}..."


@check("authentication")
def authentication(double: Double) -> str:
    client = double.client("not-the-key", max_retries=0)
    error = expect_error(runwayml.AuthenticationError, lambda: client.organization.retrieve())
    assert error.status_code == 401 and "error" in error.body, error.body
    expect_error(runwayml.AuthenticationError, lambda: client.image_to_video.create(
        model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720"))
    return f"401 {error.body['error']!r}"


@check("runway-version")
def runway_version(double: Double) -> str:
    key = double.tenant()
    client = double.client(key, max_retries=0, runway_version="2023-01-01")
    error = expect_error(runwayml.BadRequestError, lambda: client.organization.retrieve())
    assert "X-Runway-Version" in error.body["error"], error.body
    return f"400 {error.body['error']!r}"


@check("organization")
def organization(double: Double) -> str:
    key = double.tenant(concurrencyLimit=2, dailyLimit=50, creditBalance=1000)
    org = double.client(key).organization.retrieve()
    limits = org.tier.models["gen4_turbo"]
    assert org.credit_balance == 1000, org
    assert (limits.max_concurrent_generations, limits.max_daily_generations) == (2, 50), limits
    assert org.usage.models["gen4_turbo"].daily_generations == 0, org.usage
    return f"creditBalance {org.credit_balance}, gen4_turbo limits 2/50"


@check("throttled-then-succeeded")
def throttled(double: Double) -> str:
    key = double.tenant(concurrencyLimit=1, generationSeconds=1.0)
    client = double.client(key)
    fast_polling()
    first = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5)
    second = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720",
                                          duration=5)
    early = client.tasks.retrieve(second.id).status
    assert early == "THROTTLED", f"the second task is {early}, not THROTTLED"
    done_first = first.wait_for_task_output(timeout=60)
    done_second = second.wait_for_task_output(timeout=60)
    assert done_first.status == done_second.status == "SUCCEEDED"
    stats = double.stats(key)
    seen = stats["tasks"][second.id]["statusesSeen"]
    assert seen[0] == "THROTTLED" and seen[-1] == "SUCCEEDED" and "RUNNING" in seen, seen
    assert stats["maxActive"] == 1, f"maxActive {stats['maxActive']}"
    return f"second task went {' -> '.join(seen)}; never more than 1 active"


@check("rate-limit")
def rate_limit(double: Double) -> str:
    key = double.tenant(dailyLimit=1, generationSeconds=0.0)
    client = double.client(key, max_retries=0)
    client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5)
    error = expect_error(runwayml.RateLimitError, lambda: client.image_to_video.create(
        model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5))
    assert error.status_code == 429 and "daily" in error.body["error"], error.body
    assert double.stats(key)["tasksCreated"] == 1
    return f"429 {error.body['error'][:60]!r}..."


@check("load-shedding-retried")
def load_shedding(double: Double) -> str:
    key = double.tenant(failNextPosts=[503, 502], generationSeconds=0.0)
    client = double.client(key, max_retries=2)
    client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5)
    stats = double.stats(key)
    assert stats["injected"] == {"503": 1, "502": 1} and stats["tasksCreated"] == 1, stats["injected"]
    return "503 then 502 retried by the SDK, one task created"


@check("dropped-post-answer")
def dropped_post_answer(double: Double) -> str:
    key = double.tenant(dropNextPostResponse=1, generationSeconds=0.0, precomputedClips=True)
    client = double.client(key, max_retries=2)
    created = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720",
                                           duration=5)
    stats = double.stats(key)
    assert stats["droppedResponses"] == 1 and stats["tasksCreated"] == 2, stats
    return (f"the SDK retried the unanswered POST: {stats['tasksCreated']} tasks created (paid twice), "
            f"kept {created.id[:8]}")


@check("task-failure")
def task_failure(double: Double) -> str:
    key = double.tenant(failTasks={"code": "SAFETY.INPUT.TEXT", "count": 1}, generationSeconds=0.2,
                        failMarkers={"#bad-output": "INTERNAL.BAD_OUTPUT.CODE01"})
    client = double.client(key)
    fast_polling()
    created = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720")
    error = expect_error(polling.TaskFailedError, lambda: created.wait_for_task_output(timeout=30))
    details = error.task_details
    assert details.failure_code == "SAFETY.INPUT.TEXT" and details.failure, details
    marked = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720",
                                          prompt_text="sunrise #bad-output")
    marked_error = expect_error(polling.TaskFailedError, lambda: marked.wait_for_task_output(timeout=30))
    assert marked_error.task_details.failure_code == "INTERNAL.BAD_OUTPUT.CODE01", marked_error.task_details
    assert details.cost.credits == 0
    return f"FAILED {details.failure_code} and {marked_error.task_details.failure_code}, refunded"


@check("cancel")
def cancel(double: Double) -> str:
    key = double.tenant(generationSeconds=30.0)
    client = double.client(key)
    created = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720")
    client.tasks.delete(created.id)
    task = client.tasks.retrieve(created.id)
    assert task.status == "CANCELLED", task
    missing = expect_error(runwayml.NotFoundError, lambda: client.tasks.retrieve(
        "00000000-0000-4000-8000-000000000000"))
    assert double.stats(key)["cancels"] == 1
    return f"CANCELLED after DELETE; unknown task 404 {missing.body['error']!r}"


@check("upload")
def upload(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0)
    client = double.client(key)
    fast_polling()
    uploaded = client.uploads.create_ephemeral(file=FRAME)
    assert uploaded.uri.startswith("runway://"), uploaded
    task = client.image_to_video.create(model="gen4_turbo", prompt_image=uploaded.uri, ratio="960:960",
                                        duration=5).wait_for_task_output(timeout=60)
    status, body = download(task.output[0])
    with tempfile.NamedTemporaryFile(suffix=".mp4") as handle:
        handle.write(body)
        handle.flush()
        info = probe(handle.name)
    assert (info["width"], info["height"]) == (960, 960), info
    assert double.stats(key)["uploads"] == 1
    return f"{uploaded.uri[:40]}... -> {info['width']}x{info['height']} clip"


@check("output-expiry")
def output_expiry(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, outputExpirySeconds=2.0, precomputedClips=True)
    client = double.client(key)
    fast_polling()
    task = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720",
                                        duration=5).wait_for_task_output(timeout=60)
    link = client.tasks.retrieve(task.id).output[0]
    fresh, _ = download(link)
    time.sleep(2.2)
    stale, body = download(link)
    assert (fresh, stale) == (200, 403), f"fresh {fresh}, stale {stale}"
    renewed, _ = download(client.tasks.retrieve(task.id).output[0])
    assert renewed == 200, f"a re-polled link answered {renewed}"
    return f"200 fresh, 403 after expiry ({body.decode()[:40]!r}), 200 with a re-polled link"


@check("durations")
def durations(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, precomputedClips=True)
    client = double.client(key)
    fast_polling()
    seven = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=7)
    assert seven.estimated_cost.credits == 35, f"a 7 s gen4_turbo clip estimated {seven.estimated_cost}"
    two = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=2)
    assert two.estimated_cost.credits == 10, f"a 2 s gen4_turbo clip estimated {two.estimated_cost}"
    for model, seconds in (("gen4_turbo", 11), ("gen4_turbo", 1), ("veo3.1", 5), ("veo3.1_fast", 10)):
        error = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
            model=model, prompt_image=data_uri(), ratio="1280:720", duration=seconds))
        assert "duration" in str(error), f"{model} {seconds} s: {error}"
    return "gen4_turbo 2 and 7 s accepted (10 and 35 credits); gen4_turbo 1 and 11 s, veo3.1 5 s, veo3.1_fast 10 s refused"


@check("audio-price")
def audio_price(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, precomputedClips=True)
    client = double.client(key)
    seen = {}
    for model, audio in (("veo3.1", False), ("veo3.1", True), ("veo3.1_fast", False), ("veo3.1_fast", True)):
        created = client.image_to_video.create(model=model, prompt_image=data_uri(), ratio="1280:720", duration=8, audio=audio)
        seen[(model, audio)] = created.estimated_cost.credits
    assert seen == {("veo3.1", False): 160, ("veo3.1", True): 320, ("veo3.1_fast", False): 80,
                    ("veo3.1_fast", True): 120}, f"8 s estimates {seen}"
    error = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5, audio=True))
    assert "audio" in str(error), f"gen4_turbo with audio: {error}"
    retired = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="veo3", prompt_image=data_uri(), ratio="1280:720", duration=8))  # type: ignore[arg-type]
    assert "veo3.1" in str(retired), f"veo3 refused without its replacement: {retired}"
    return "8 s: veo3.1 160/320, veo3.1_fast 80/120 credits without/with audio; gen4_turbo audio and veo3 refused"


@check("keyframes")
def keyframes(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, precomputedClips=True)
    client = double.client(key, max_retries=0)
    first, last = FRAME, FRAME.with_name("frame_02_fractal.jpg")
    created = client.image_to_video.create(
        model="veo3.1", ratio="1280:720", duration=4, audio=False,
        prompt_image=[{"uri": data_uri(first), "position": "first"}, {"uri": data_uri(last), "position": "last"}])
    sent = double.stats(key)["tasks"][created.id]["keyframes"]
    digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in (first, last)]
    assert [(frame["position"], frame["sha256"]) for frame in sent] == list(zip(["first", "last"], digests)), sent
    turbo = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="gen4_turbo", ratio="1280:720", duration=5,
        prompt_image=[{"uri": data_uri(first), "position": "first"}, {"uri": data_uri(last), "position": "last"}]))
    assert "position" in str(turbo) and "last" in str(turbo), f"gen4_turbo with a last keyframe: {turbo}"
    alone = expect_error(runwayml.BadRequestError, lambda: client.image_to_video.create(
        model="veo3.1", ratio="1280:720", duration=4, audio=False,
        prompt_image=[{"uri": data_uri(last), "position": "last"}]))
    assert "first" in str(alone), f"a last keyframe alone: {alone}"
    created_count = double.stats(key)["tasksCreated"]
    assert created_count == 1, f"{created_count} tasks created; the refused requests made some"
    return "veo3.1 first+last accepted, recorded in order; gen4_turbo with a last keyframe and a last alone refused"


@check("final-cost")
def final_cost(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, precomputedClips=True, chargedFraction=0.6,
                        failMarkers={"refund-me": "INTERNAL.BAD_OUTPUT.CODE01"})
    client = double.client(key)
    fast_polling()
    created = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5)
    assert created.estimated_cost.credits == 25, created
    task = created.wait_for_task_output(timeout=60)
    read = client.tasks.retrieve(task.id)
    assert read.status == "SUCCEEDED" and read.cost.credits == 15, f"succeeded task's cost {read}"
    failing = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720", duration=5,
                                           prompt_text="refund-me")
    expect_error(runwayml.TaskFailedError, lambda: failing.wait_for_task_output(timeout=60))
    failed = client.tasks.retrieve(failing.id)
    assert failed.status == "FAILED" and failed.cost.credits == 0, f"failed task's cost {failed}"
    return "estimate 25, final cost 15 (SUCCEEDED), 0 (FAILED, refunded), read through the SDK's typed `cost`"


@check("organization-limits")
def organization_limits(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, precomputedClips=True, concurrencyLimit=4, dailyLimit=3,
                        dailyGenerationsUsed=1)
    client = double.client(key)
    client.image_to_video.create(model="veo3.1_fast", prompt_image=data_uri(), ratio="1280:720", duration=4, audio=False)
    org = client.organization.retrieve()
    for model in ("gen4_turbo", "gen4.5", "veo3.1", "veo3.1_fast"):
        limits = org.tier.models[model]
        assert (limits.max_concurrent_generations, limits.max_daily_generations) == (4, 3), f"{model}: {limits}"
    used = {model: org.usage.models[model].daily_generations for model in ("gen4_turbo", "veo3.1_fast")}
    assert used == {"gen4_turbo": 1, "veo3.1_fast": 2}, f"usage {used}"
    client.image_to_video.create(model="veo3.1_fast", prompt_image=data_uri(), ratio="1280:720", duration=4, audio=False)
    expect_error(runwayml.RateLimitError, lambda: double.client(key, max_retries=0).image_to_video.create(
        model="veo3.1_fast", prompt_image=data_uri(), ratio="1280:720", duration=4, audio=False))
    return "every model 4 at once / 3 a day; usage per model; the daily limit is per model (429 on the 4th veo3.1_fast)"


@check("expired-link-refresh")
def expired_link_refresh(double: Double) -> str:
    key = double.tenant(generationSeconds=0.0, precomputedClips=True, expireNextOutputLinks=1)
    client = double.client(key)
    fast_polling()
    task = client.image_to_video.create(model="gen4_turbo", prompt_image=data_uri(), ratio="1280:720",
                                        duration=5).wait_for_task_output(timeout=60)
    dead, _ = download(task.output[0])
    fresh, _ = download(client.tasks.retrieve(task.id).output[0])
    stats = double.stats(key)
    assert (dead, fresh) == (403, 200), f"expired link {dead}, fresh link {fresh}"
    assert stats["tasksCreated"] == 1, stats
    return "the first link was dead (403); a re-read of the task gave a working one; 1 task"


# ----------------------------------------------------------------------------------------------------------

def start_own_double() -> tuple[subprocess.Popen[str], str]:
    """Starts runway_double.py on a free port; returns the process and its URL."""
    process = subprocess.Popen([sys.executable, str(HERE / "runway_double.py"), "--port", "0",
                                "--parent-pid", str(os.getpid())],
                               stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("listening "):
        process.kill()
        raise RuntimeError(f"the double did not start (first line {line!r})")
    return process, line.split(" ", 1)[1]


def main() -> int:
    url = os.environ.get("RUNNER_TEST_RUNWAY_URL")
    process = None
    try:
        if not url:
            process, url = start_own_double()
        double = Double(url)
        double.control("GET", "/__double__/config")
    except Exception as error:
        print(f"FAIL setup: the double at {url!r} is not usable: {error}", flush=True)
        return 2
    print(f"runwayml {runwayml.__version__} against {double.url}", flush=True)
    if tuple(int(part) for part in runwayml.__version__.split(".")[:3]) < MINIMUM_SDK:
        print(f"FAIL setup: runwayml {runwayml.__version__} is older than {'.'.join(map(str, MINIMUM_SDK))}, the newest "
              "the package index served when the double was last checked; run scripts/setup.sh", flush=True)
        return 2
    failed = 0
    try:
        for name, function in CHECKS:
            started = time.monotonic()
            try:
                detail = function(double)
                print(f"PASS {name}: {detail} [{time.monotonic() - started:.1f}s]", flush=True)
            except Exception as error:  # every failure is reported with its check's name
                failed += 1
                kind = "" if isinstance(error, AssertionError) else f"{type(error).__name__}: "
                print(f"FAIL {name}: {kind}{error}", flush=True)
                traceback.print_exc(file=sys.stderr)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    print(f"SUMMARY passed={len(CHECKS) - failed} failed={failed}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
