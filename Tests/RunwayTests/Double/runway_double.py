#!/usr/bin/env python3
"""A strict test double of Runway's developer API (image-to-video subset), standard library only.

It refuses what the real API refuses (facts: shared/reference/runway-api.md and the official `runwayml`
Python SDK 5.24), runs tasks with real timing, and renders a REAL H.264 MP4 from the prompt image with the
`ffmpeg` program. It listens on 127.0.0.1 only.

Usage:
    python3 runway_double.py [--port 0] [--key KEY] [--generation-seconds S] [--concurrency-limit N]
                             [--daily-limit N] [--precomputed-clips] [--parent-pid PID]
                             [--exit-on-stdin-close] [--max-lifetime S] [--verbose]
The first line on stdout is `listening http://127.0.0.1:PORT` (flushed); nothing else goes to stdout.
It stops by itself when --parent-pid is gone, when stdin closes (--exit-on-stdin-close), after
--max-lifetime seconds, or on SIGTERM/SIGINT.

Runway endpoints (every one needs `Authorization: Bearer <key>` (401) and `X-Runway-Version: 2024-11-06`
(400); POST bodies must be JSON with `Content-Type: application/json` (400)):
    POST   /v1/image_to_video   -> 200 {"id", "estimatedCost": {"credits"}}; 400 {"error"}; 429 daily limit
    GET    /v1/tasks/{id}       -> task object (PENDING|THROTTLED|RUNNING|SUCCEEDED|FAILED|CANCELLED); 404
    DELETE /v1/tasks/{id}       -> 204 (cancels a queued/running task, deletes a finished one); 404
    POST   /v1/uploads          -> {"uploadUrl", "fields", "runwayUri"}; the file then goes by multipart POST
                                   to uploadUrl (no auth, like a presigned S3 POST; 204), as the SDK does
    GET    /v1/organization     -> {"creditBalance", "tier": {"maxMonthlyCreditSpend", "models"}, "usage"}
Served by the double, no auth (like presigned links):
    GET|HEAD /outputs/<task>.mp4?expires=<epoch ms>&sig=<hmac>   the clip; 403 when expired or tampered
    POST     /__uploads__/<upload id>                            the multipart upload target

Tenants: each API key is an isolated organization with its own config, tasks, uploads and counters. The
launch key (--key) always exists; tests that change the config should make their own tenant, so tests running
in parallel against one double never disturb each other.

Control API (paths the real API does not have; no X-Runway-Version needed). config, stats and reset act on the
tenant of the `Authorization: Bearer <key>` header, or on the launch key's tenant when there is none:
    POST /__double__/tenants  JSON config values (as below, all optional) -> {"key", "config"}: a new tenant
                              with a fresh random key unless `key` is given
    POST /__double__/config   JSON object, every key optional, unknown keys or bad values -> 400 (nothing is
                              applied). Returns the whole config. Changes apply at once, also to running tasks.
        key: str                     the tenant's API key
        generationSeconds: float     RUNNING time of a task (default 1.0); a task also stays RUNNING until its
                                     clip is rendered
        pendingSeconds: float        PENDING time once a task has a slot (default 0.1)
        concurrencyLimit: int        tasks in PENDING/RUNNING at once; more wait THROTTLED and start by
                                     themselves in submission order when a slot frees (default 3)
        dailyLimit: int              tasks accepted per model per "day" (since start/reset, plus dailyGenerationsUsed);
                                     beyond -> 429 (default 500)
        creditBalance: int           credits; estimatedCost is taken at creation, refunded on FAILED/CANCELLED;
                                     a task the balance cannot cover -> 400 (default 100000)
        failNextPosts: [int]         scripted statuses (429/500/502/503/504) for the next image_to_video POSTs,
                                     answered before anything else; no task is created (e.g. [503, 503])
        failNextGets: [int]          the same for the next GET /v1/tasks/{id}
        failRate: float              probability 0..1 that a /v1 request answers one of failRateStatuses
        failRateStatuses: [int]      default [502, 503, 504]
        randomSeed: int              seeds failRate's generator: the same seed gives the same sequence
        retryAfterSeconds: float|null  Retry-After header on injected 429/503 and the daily-limit 429
        failTasks: {code, count} | [{code, count}]  the next `count` created tasks FAIL with failure code `code`
                                     (SAFETY.INPUT.* fail when they would start running, others at the end)
        failMarkers: {marker: code}  tasks whose promptText contains `marker` FAIL with `code`
        outputExpirySeconds: float   lifetime of output links (default 600); every poll signs a fresh link
        precomputedClips: bool       serve one pre-made test-pattern clip per (ratio, duration), rendered once
                                     and shared, instead of rendering each prompt image (for benchmarks)
        dropNextPostResponse: int    the next N image_to_video POSTs create their task, then the connection is
                                     closed without an answer ("the POST whose answer never arrived")
        truncateNextOutputs: int     the next N clip downloads serve only the first half of the file (a valid
                                     HTTP answer, a broken MP4)
        uploadMaxBytes: int          size limit of one upload (default 16 MiB)
        chargedFraction: float       0..1: the final `cost` of a SUCCEEDED task is this share of its estimate, rounded
                                     (default 1); FAILED and CANCELLED tasks cost 0 (refunded)
        expireNextOutputLinks: int   the next N output links handed out are already expired (403 on download); a
                                     new read of the task gives a fresh one
        dailyGenerationsUsed: int    generations counted against each model's daily limit before this tenant's own
                                     (usage from "earlier today"); dailyLimit is per model, as Runway's tiers are
    GET  /__double__/config   the tenant's config
    GET  /__double__/stats    counters: tasksCreated, polls (per task id), pollsTotal, cancels (of queued or
                              running tasks), deletes (of finished ones), uploads (completed), rejected (per
                              HTTP status, /v1 only), injected (per status), droppedResponses, outputsServed,
                              outputsRefused, maxActive, maxInFlight (tasks accepted and not finished at once: PENDING, RUNNING or
                              THROTTLED), everThrottled, concurrentPolls (a poll of a task arrived
                              while another poll of it was being answered), ambiguous (per behaviour: where the
                              API's documentation leaves room, see docs/runway-double.md), requests, active,
                              throttled, creditBalance, and per task: status, polls, statusesSeen (the statuses
                              polls returned, in order, repeats collapsed), everThrottled, failureCode, model,
                              ratio, duration, estimatedCost, cost (the final charge; null until terminal) and
                              keyframes (each promptImage as sent, in order: position, sha256 of its bytes, kind)
                              and times (monotonic seconds, this host's clock: created, admitted to a slot,
                              finished, seenFinished = the first poll that answered the terminal status).
    POST /__double__/reset    forgets the tenant's tasks, uploads and counters; config back to its creation
                              values (the key is kept).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import email.parser
import email.policy
import hashlib
import hmac
import http.server
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields, asdict
from datetime import datetime, timezone
from typing import Any, Callable, Optional

RUNWAY_VERSION = "2024-11-06"
HOST = "127.0.0.1"
DATA_URI_MAX_CHARS = 5_000_000          # strictest reading of "5 MB" (see ambiguous `dataUriOver5MBUnder5MiB`)
DATA_URI_MAX_CHARS_LENIENT = 5 * 1024 * 1024
LINK_IMAGE_MAX_BYTES = 16 * 1024 * 1024
JSON_BODY_MAX_BYTES = 32 * 1024 * 1024     # larger bodies answer 413 (a data URI over 5 MB below this: 400)
MAX_TENANTS = 10_000
PROMPT_TEXT_MAX_UTF16 = 1000
SEED_MAX = 4_294_967_295
FPS = 24
TASK_FAILURE_TEXT = {
    "SAFETY.INPUT": "The input did not pass content moderation.",
    "SAFETY.OUTPUT": "The output did not pass content moderation.",
    "INTERNAL.BAD_OUTPUT": "The output did not meet our quality bar. Please retry.",
    "INTERNAL": "An internal error occurred. Please retry.",
    "ASSET.INVALID": "The input image could not be used.",
    "INPUT": "The input is invalid.",
}


# ----------------------------------------------------------------------------------------------------------
# Model catalog: loaded from catalog.json beside this file, which is the runner's own table as data
# (`runner models --format json`; a test checks the committed file equals the runner's output). One row per model:
# ratios, durations, required and optional fields, keyframe positions, credits per second by option.
# ----------------------------------------------------------------------------------------------------------

CATALOG_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalog.json")


@dataclass(frozen=True)
class ModelSpec:
    """What one model accepts at POST /v1/image_to_video (from SDK 5.24's request types)."""

    ratios: tuple[str, ...]
    durations: tuple[int, ...]
    default_duration: Optional[int]          # None: `duration` is required
    required: frozenset[str]
    optional: frozenset[str]
    positions: tuple[str, ...]               # allowed promptImage[].position values
    credits_per_second: int                  # without audio
    credits_per_second_audio: Optional[int]  # with `audio: true`, for the models that take it

    def credits(self, duration: int, audio: bool) -> int:
        """The most a task can cost: the estimate."""
        per_second = self.credits_per_second_audio if audio and self.credits_per_second_audio is not None \
            else self.credits_per_second
        return per_second * duration


def load_catalog(path: str = CATALOG_PATH) -> tuple[dict[str, ModelSpec], dict[str, str], dict[str, str]]:
    """(models, retired model -> replacement, retired ratio -> retired model) for the runway provider."""
    with open(path, encoding="utf-8") as handle:
        catalog = json.load(handle)
    models: dict[str, ModelSpec] = {}
    for entry in catalog["models"]:
        if entry["provider"] != "runway":
            continue
        price = entry["creditsPerSecond"]
        models[entry["name"]] = ModelSpec(
            ratios=tuple(entry["ratios"]), durations=tuple(entry["durations"]),
            default_duration=entry["apiDefaultDuration"], required=frozenset(entry["requiredFields"]),
            optional=frozenset(entry["optionalFields"]), positions=tuple(entry["keyframePositions"]),
            credits_per_second=price["default"], credits_per_second_audio=price.get("audio"))
    retired = {entry["name"]: entry["replacement"] for entry in catalog["retired"] if entry["provider"] == "runway"}
    retired_ratios = {ratio: entry["name"] for entry in catalog["retired"] if entry["provider"] == "runway"
                      for ratio in entry["ratios"]}
    return models, retired, retired_ratios


MODELS, RETIRED_MODELS, REMOVED_RATIOS = load_catalog()


class ApiError(Exception):
    """An HTTP error answer: status, message, and optional extra headers."""

    def __init__(self, status: int, message: str, headers: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def bad_request(message: str) -> ApiError:
    """A 400 with the API's `{"error": ...}` body."""
    return ApiError(400, message)


# ----------------------------------------------------------------------------------------------------------
# Configuration, tasks, uploads
# ----------------------------------------------------------------------------------------------------------

@dataclass
class DoubleConfig:
    """Everything the control API can change. Field names are the control API's JSON keys."""

    key: str = "runner-test-key"
    generationSeconds: float = 1.0
    pendingSeconds: float = 0.1
    concurrencyLimit: int = 3
    dailyLimit: int = 500
    creditBalance: int = 100_000
    failNextPosts: list[int] = field(default_factory=list)
    failNextGets: list[int] = field(default_factory=list)
    failRate: float = 0.0
    failRateStatuses: list[int] = field(default_factory=lambda: [502, 503, 504])
    randomSeed: int = 0
    retryAfterSeconds: Optional[float] = None
    failTasks: list[dict[str, Any]] = field(default_factory=list)
    failMarkers: dict[str, str] = field(default_factory=dict)
    outputExpirySeconds: float = 600.0
    precomputedClips: bool = False
    dropNextPostResponse: int = 0
    truncateNextOutputs: int = 0
    uploadMaxBytes: int = 16 * 1024 * 1024
    chargedFraction: float = 1.0
    expireNextOutputLinks: int = 0
    dailyGenerationsUsed: int = 0


INJECTABLE_STATUSES = {429, 500, 502, 503, 504}


def _check_type(name: str, value: Any, kind: str) -> None:
    """Raises a 400 unless `value` is of the control API's type `kind`."""
    ok = {
        "str": isinstance(value, str) and value != "",
        "float": isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0,
        "int": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "bool": isinstance(value, bool),
        "statuses": isinstance(value, list) and all(v in INJECTABLE_STATUSES for v in value),
        "rate": isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1,
        "optfloat": value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)),
        "markers": isinstance(value, dict) and all(isinstance(k, str) and k and isinstance(v, str) and v
                                                   for k, v in value.items()),
    }[kind]
    if not ok:
        raise bad_request(f"config {name}: invalid value {value!r} (expected {kind})")


CONFIG_KINDS = {
    "key": "str", "generationSeconds": "float", "pendingSeconds": "float", "concurrencyLimit": "int",
    "dailyLimit": "int", "creditBalance": "int", "failNextPosts": "statuses", "failNextGets": "statuses",
    "failRate": "rate", "failRateStatuses": "statuses", "randomSeed": "int", "retryAfterSeconds": "optfloat",
    "failMarkers": "markers", "outputExpirySeconds": "float", "precomputedClips": "bool",
    "dropNextPostResponse": "int", "truncateNextOutputs": "int", "uploadMaxBytes": "int",
    "chargedFraction": "rate", "expireNextOutputLinks": "int", "dailyGenerationsUsed": "int",
}


def normalize_fail_tasks(value: Any) -> list[dict[str, Any]]:
    """Accepts `{code, count}` or a list of them; returns the list form."""
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if (not isinstance(item, dict) or set(item) - {"code", "count"} or not isinstance(item.get("code"), str)
                or not item["code"] or not isinstance(item.get("count", 1), int) or item.get("count", 1) < 0):
            raise bad_request(f"config failTasks: expected {{code: str, count: int}} items, got {item!r}")
        result.append({"code": item["code"], "count": item.get("count", 1)})
    return result


@dataclass
class Task:
    """One generation task. Times are time.monotonic() values; None until they happen."""

    id: str
    key: str
    model: str
    ratio: str
    duration: int
    prompt_text: str
    credits: int
    created_wall: str
    created: float
    admitted: Optional[float] = None         # got a concurrency slot (PENDING from then on)
    finished: Optional[float] = None
    status_final: Optional[str] = None       # SUCCEEDED | FAILED | CANCELLED once terminal
    failure_code: Optional[str] = None       # injected failure, decided at creation
    render: Optional[Future] = None
    render_done: Optional[float] = None
    output_path: Optional[str] = None
    render_error: Optional[str] = None
    deleted: bool = False
    ever_throttled: bool = False
    polls: int = 0
    polls_in_flight: int = 0
    seen_final: Optional[float] = None       # the first poll that answered a terminal status (the client learnt)
    statuses_seen: list[str] = field(default_factory=list)
    charged: Optional[int] = None            # the final cost once terminal (0 when refunded)
    keyframes: list[dict[str, str]] = field(default_factory=list)  # the request's images: position, sha256, kind


@dataclass
class Upload:
    """An ephemeral upload: announced by POST /v1/uploads, filled by the multipart POST."""

    id: str
    filename: str
    token: str
    created: float
    path: Optional[str] = None


# ----------------------------------------------------------------------------------------------------------
# Images and clips
# ----------------------------------------------------------------------------------------------------------

def image_kind(data: bytes) -> Optional[str]:
    """'png', 'jpeg' or 'webp' from the magic bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def ratio_size(ratio: str) -> tuple[int, int]:
    """'1280:720' -> (1280, 720)."""
    width, height = ratio.split(":")
    return int(width), int(height)


def run_ffmpeg(args: list[str], timeout: float = 180) -> None:
    """Runs ffmpeg quietly; raises RuntimeError with its stderr on failure."""
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    result = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace").strip()[-400:] or "ffmpeg failed")


def encoder_args(duration: int, output: str) -> list[str]:
    """H.264, yuv420p, 24 fps, exact duration, light on CPU."""
    return ["-t", str(duration), "-r", str(FPS), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage",
            "-crf", "26", "-pix_fmt", "yuv420p", "-threads", "1", "-movflags", "+faststart", output]


def render_from_image(image_path: str, ratio: str, duration: int, output: str,
                      last_path: Optional[str] = None) -> None:
    """A slow horizontal pan over the image scaled to cover the ratio's size (crop, no bars). The image is
    decoded and scaled once, then repeated (`loop`), so a clip costs about half a CPU second. With a `last`
    keyframe the clip fades, over its last second and a quarter, into that image as its own clip opens (the pan at
    its start), which it holds for the last quarter second: a chained film is continuous, as the real model's is."""
    width, height = ratio_size(ratio)
    over_w, over_h = math.ceil(width * 1.06 / 2) * 2, math.ceil(height * 1.06 / 2) * 2

    def pan(x: str) -> str:
        return (f"scale={over_w}:{over_h}:force_original_aspect_ratio=increase,format=yuv420p,"
                f"loop=loop=-1:size=1:start=0,setpts=N/{FPS}/TB,"
                f"crop={width}:{height}:x='{x}':y='(ih-oh)/2',setsar=1")
    if last_path is None:
        run_ffmpeg(["-i", image_path, "-vf", pan(f"(iw-ow)*t/{duration}"), *encoder_args(duration, output)])
        return
    fade, hold = 1.0, 0.25
    graph = (f"[0:v]{pan(f'(iw-ow)*t/{duration}')},settb=1/{FPS},trim=duration={duration}[first];"
             f"[1:v]{pan('0')},settb=1/{FPS},trim=duration={duration}[last];"
             f"[first][last]xfade=transition=fade:duration={fade}:offset={duration - fade - hold}")
    run_ffmpeg(["-i", image_path, "-i", last_path, "-filter_complex", graph, *encoder_args(duration, output)])


def render_test_pattern(ratio: str, duration: int, output: str) -> None:
    """A test-pattern clip of the ratio's size (the precomputed-clip mode)."""
    width, height = ratio_size(ratio)
    run_ffmpeg(["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={FPS}", *encoder_args(duration, output)])


# ----------------------------------------------------------------------------------------------------------
# The state: every mutable thing, guarded by one lock
# ----------------------------------------------------------------------------------------------------------

class Shared:
    """What every tenant shares: the address, the link-signing secret, the render pool, the precomputed clips
    and the working folder."""

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.base_url = ""
        self.secret = secrets.token_bytes(32)
        self.renderer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="render")
        self.lock = threading.Lock()
        self.precomputed: dict[tuple[str, int], Future] = {}


class DoubleState:
    """One tenant (an organization with one API key): tasks, uploads, config and counters behind one lock.
    Task timing is computed from the clock on each access (`_advance`), so a status never depends on when
    anyone happened to look."""

    def __init__(self, config: DoubleConfig, shared: Shared) -> None:
        self.lock = threading.RLock()
        self.launch_config = config
        self.shared = shared
        self.workdir = shared.workdir
        self._reset_locked()

    # -- configuration and counters ------------------------------------------------------------------------

    def _reset_locked(self) -> None:
        self.config = DoubleConfig(**{f.name: _copy(getattr(self.launch_config, f.name))
                                      for f in fields(DoubleConfig)})
        self.rng = random.Random(self.config.randomSeed)
        self.tasks: dict[str, Task] = {}
        self.order: list[str] = []                      # every task, in submission order
        self.active: dict[str, Task] = {}               # PENDING or RUNNING: holding a concurrency slot
        self.waiting: deque[str] = deque()              # THROTTLED, first in first out
        self.uploads: dict[str, Upload] = {}
        self.credits_spent = 0
        self.stats: dict[str, Any] = {
            "tasksCreated": 0, "pollsTotal": 0, "cancels": 0, "deletes": 0, "uploads": 0, "rejected": {},
            "injected": {}, "droppedResponses": 0, "outputsServed": 0, "outputsRefused": 0, "maxActive": 0,
            "everThrottled": 0, "concurrentPolls": 0, "ambiguous": {}, "requests": 0, "maxInFlight": 0,
        }

    def reset(self) -> None:
        """Forgets tasks, uploads and counters; config back to the tenant's creation values (key kept)."""
        with self.lock:
            for task in self.tasks.values():
                if task.render is not None:
                    task.render.cancel()
            key = self.config.key
            self._reset_locked()
            self.config.key = key

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Applies control-API changes (all validated before any is applied)."""
        unknown = sorted(set(changes) - set(CONFIG_KINDS) - {"failTasks"})
        if unknown:
            raise bad_request(f"config: unknown keys {unknown}; known: {sorted([*CONFIG_KINDS, 'failTasks'])}")
        validated: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "failTasks":
                validated[name] = normalize_fail_tasks(value)
            else:
                _check_type(name, value, CONFIG_KINDS[name])
                validated[name] = value
        with self.lock:
            for name, value in validated.items():
                setattr(self.config, name, value)
            if "randomSeed" in validated:
                self.rng = random.Random(self.config.randomSeed)
            self._advance(time.monotonic())
            return self.public_config()

    def public_config(self) -> dict[str, Any]:
        """The config as JSON (the key included: the control API is for tests only)."""
        with self.lock:
            return asdict(self.config)

    def count(self, group: str, name: str) -> None:
        """Increments a named counter in a counter group (rejected, injected, ambiguous)."""
        with self.lock:
            bucket = self.stats[group]
            bucket[name] = bucket.get(name, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        """Counters and per-task details for GET /__double__/stats."""
        with self.lock:
            now = time.monotonic()
            self._advance(now)
            result = json.loads(json.dumps(self.stats))
            result["polls"] = {task_id: self.tasks[task_id].polls for task_id in self.order}
            result["tasks"] = {
                task_id: {"status": self._status(self.tasks[task_id], now)[0], "polls": self.tasks[task_id].polls,
                          "statusesSeen": self.tasks[task_id].statuses_seen,
                          "everThrottled": self.tasks[task_id].ever_throttled,
                          "failureCode": self.tasks[task_id].failure_code,
                          "model": self.tasks[task_id].model, "ratio": self.tasks[task_id].ratio,
                          "duration": self.tasks[task_id].duration, "estimatedCost": self.tasks[task_id].credits,
                          "cost": self.tasks[task_id].charged, "keyframes": self.tasks[task_id].keyframes,
                          "times": {"created": self.tasks[task_id].created, "admitted": self.tasks[task_id].admitted,
                                    "finished": self.tasks[task_id].finished,
                                    "seenFinished": self.tasks[task_id].seen_final}}
                for task_id in self.order}
            result["active"] = len(self.active)
            result["throttled"] = len(self.waiting)
            result["creditBalance"] = self.config.creditBalance
            return result

    # -- injections ----------------------------------------------------------------------------------------

    def injected_status(self, scripted: str) -> Optional[int]:
        """The injected HTTP status for this request, if any: a scripted one first, then failRate."""
        with self.lock:
            queue: list[int] = getattr(self.config, scripted) if scripted else []
            status: Optional[int] = queue.pop(0) if queue else None
            if status is None and self.config.failRate > 0 and self.rng.random() < self.config.failRate:
                statuses = self.config.failRateStatuses or [503]
                status = statuses[min(int(self.rng.random() * len(statuses)), len(statuses) - 1)]
            if status is not None:
                self.stats["injected"][str(status)] = self.stats["injected"].get(str(status), 0) + 1
            return status

    def retry_after_headers(self) -> dict[str, str]:
        """A Retry-After header when configured."""
        value = self.config.retryAfterSeconds
        return {} if value is None else {"Retry-After": f"{value:g}"}

    def take_drop(self) -> bool:
        """True when this POST's answer must be dropped (consumes one)."""
        with self.lock:
            if self.config.dropNextPostResponse > 0:
                self.config.dropNextPostResponse -= 1
                self.stats["droppedResponses"] += 1
                return True
            return False

    def take_truncate(self) -> bool:
        """True when this download must be truncated (consumes one)."""
        with self.lock:
            if self.config.truncateNextOutputs > 0:
                self.config.truncateNextOutputs -= 1
                return True
            return False

    def _failure_for(self, prompt_text: str) -> Optional[str]:
        for marker, code in self.config.failMarkers.items():
            if marker in prompt_text:
                return code
        for plan in self.config.failTasks:
            if plan["count"] > 0:
                plan["count"] -= 1
                return plan["code"]
        return None

    # -- uploads ---------------------------------------------------------------------------------------------

    def announce_upload(self, filename: str) -> dict[str, Any]:
        """POST /v1/uploads: the presigned-POST description the SDK expects."""
        upload = Upload(id=str(uuid.uuid4()), filename=filename, token=secrets.token_hex(16),
                        created=time.monotonic())
        with self.lock:
            self.uploads[upload.id] = upload
        return {"uploadUrl": f"{self.shared.base_url}/__uploads__/{upload.id}",
                "fields": {"key": f"uploads/{upload.id}/{filename}", "policy": upload.token},
                "runwayUri": f"runway://uploads/{upload.id}/{urllib.parse.quote(filename)}"}

    def complete_upload(self, upload_id: str, form: dict[str, str], data: bytes) -> None:
        """The multipart POST to uploadUrl: checks the fields, stores the file."""
        with self.lock:
            upload = self.uploads.get(upload_id)
            limit = self.config.uploadMaxBytes
        if upload is None:
            raise ApiError(404, "no such upload")
        if form.get("policy") != upload.token or form.get("key") != f"uploads/{upload.id}/{upload.filename}":
            raise ApiError(403, "the upload's form fields do not match the ones POST /v1/uploads returned")
        if len(data) > limit:
            raise ApiError(413, f"the file is {len(data)} bytes; the limit is {limit}")
        path = os.path.join(self.workdir, f"upload-{upload.id}")
        with open(path, "wb") as handle:
            handle.write(data)
        with self.lock:
            upload.path = path
            self.stats["uploads"] += 1

    def upload_bytes(self, uri: str) -> bytes:
        """The bytes behind a runway:// URI this double issued (400 otherwise)."""
        match = re.fullmatch(r"runway://uploads/([0-9a-f-]{36})/[^/]+", uri)
        with self.lock:
            upload = self.uploads.get(match.group(1)) if match else None
        if upload is None or upload.path is None:
            raise bad_request(f"promptImage {uri[:80]!r} is not a completed upload of this organization")
        with open(upload.path, "rb") as handle:
            return handle.read()

    # -- tasks -----------------------------------------------------------------------------------------------

    def daily_generations(self, model: str) -> int:
        """Tasks of `model` accepted "today" (since start/reset), plus the configured earlier usage."""
        with self.lock:
            return self.config.dailyGenerationsUsed + sum(1 for task in self.tasks.values() if task.model == model)

    def check_budget(self, credits: int, model: str) -> None:
        """400 when the balance cannot cover the task; 429 beyond the model's daily limit."""
        with self.lock:
            if credits > self.config.creditBalance:
                raise bad_request(f"You do not have enough credits to run this task: it needs {credits}, "
                                  f"the balance is {self.config.creditBalance}.")
            if self.daily_generations(model) >= self.config.dailyLimit:
                raise ApiError(429, f"You have reached the daily generation limit of {self.config.dailyLimit} "
                                    "tasks for your tier.", self.retry_after_headers())

    def create_task(self, key: str, request: "VideoRequest") -> Task:
        """Registers a validated request as a task (THROTTLED or PENDING) and starts its render."""
        now = time.monotonic()
        with self.lock:
            self._advance(now)
            self.check_budget(request.credits, request.model)
            task = Task(id=str(uuid.uuid4()), key=key, model=request.model, ratio=request.ratio,
                        duration=request.duration, prompt_text=request.prompt_text, credits=request.credits,
                        created_wall=datetime.now(timezone.utc).isoformat(timespec="milliseconds")
                        .replace("+00:00", "Z"), created=now, keyframes=list(request.keyframes))
            task.failure_code = self._failure_for(request.prompt_text)
            self.config.creditBalance -= request.credits
            self.tasks[task.id] = task
            self.order.append(task.id)
            self.stats["tasksCreated"] += 1
            in_flight = len(self.active) + len(self.waiting) + 1
            self.stats["maxInFlight"] = max(self.stats["maxInFlight"], in_flight)
            if len(self.active) < self.config.concurrencyLimit:
                self._admit(task, now)
            else:
                self.waiting.append(task.id)
                task.ever_throttled = True
                self.stats["everThrottled"] += 1
            if task.failure_code is None:
                task.render = self._start_render(task, request.image, request.image_ext, request.last_image)
            return task

    def _start_render(self, task: Task, image: bytes, ext: str,
                      last: Optional[tuple[bytes, str]] = None) -> Future:
        precomputed = self.config.precomputedClips

        def work() -> None:
            try:
                if precomputed:
                    path = self._precomputed_clip(task.ratio, task.duration)
                else:
                    image_path = os.path.join(self.workdir, f"in-{task.id}.{ext}")
                    with open(image_path, "wb") as handle:
                        handle.write(image)
                    last_path = None
                    if last is not None:
                        last_path = os.path.join(self.workdir, f"in-{task.id}-last.{last[1]}")
                        with open(last_path, "wb") as handle:
                            handle.write(last[0])
                    path = os.path.join(self.workdir, f"out-{task.id}.mp4")
                    try:
                        render_from_image(image_path, task.ratio, task.duration, path, last_path)
                    finally:
                        os.unlink(image_path)
                        if last_path is not None:
                            os.unlink(last_path)
                with self.lock:
                    task.output_path, task.render_done = path, time.monotonic()
            except Exception as error:  # the image decoded badly, or ffmpeg failed: the task fails
                with self.lock:
                    task.render_error, task.render_done = str(error), time.monotonic()

        return self.shared.renderer.submit(work)

    def _precomputed_clip(self, ratio: str, duration: int) -> str:
        with self.shared.lock:
            future = self.shared.precomputed.get((ratio, duration))
            owner = future is None
            if owner:
                future = Future()
                self.shared.precomputed[(ratio, duration)] = future
        if owner:
            path = os.path.join(self.workdir, f"pattern-{ratio.replace(':', 'x')}-{duration}s.mp4")
            try:
                render_test_pattern(ratio, duration, path)
                future.set_result(path)
            except Exception as error:
                future.set_exception(error)
        return future.result(timeout=300)

    def _admit(self, task: Task, at: float) -> None:
        task.admitted = at
        self.active[task.id] = task
        self.stats["maxActive"] = max(self.stats["maxActive"], len(self.active))

    def _end_time(self, task: Task) -> Optional[float]:
        """When an admitted task becomes terminal, or None while its render is not done yet."""
        assert task.admitted is not None
        cfg = self.config
        started = task.admitted + cfg.pendingSeconds
        if task.failure_code is not None:
            return started if task.failure_code.startswith("SAFETY.INPUT") else started + cfg.generationSeconds
        if task.render_done is None:
            return None
        return max(started + cfg.generationSeconds, task.render_done)

    def _advance(self, now: float) -> None:
        """Finishes every task whose time has come, in time order, and gives freed slots to THROTTLED tasks in
        submission order at the moment the slot freed. Bounded: each pass finishes one task."""
        for _ in range(len(self.tasks) + 1):
            self._admit_waiting(now)
            due = [(end, task) for task in self.active.values()
                   if (end := self._end_time(task)) is not None and end <= now]
            if not due:
                return
            end, task = min(due, key=lambda pair: (pair[0], pair[1].created))
            self._finish(task, end)
            self._admit_waiting(end)

    def _admit_waiting(self, at: float) -> None:
        while self.waiting and len(self.active) < self.config.concurrencyLimit:
            task = self.tasks[self.waiting.popleft()]
            if task.finished is None:
                self._admit(task, max(at, task.created))

    def _finish(self, task: Task, at: float) -> None:
        task.finished = at
        self.active.pop(task.id, None)
        if task.failure_code is not None:
            task.status_final = "FAILED"
        elif task.render_error is not None:
            task.status_final, task.failure_code = "FAILED", "ASSET.INVALID"
        else:
            task.status_final = "SUCCEEDED"
        # The final cost: a failure is refunded (0); a success is charged `chargedFraction` of its estimate (Runway
        # hands back unused prepaid credits), the rest returned to the balance.
        task.charged = round(task.credits * self.config.chargedFraction) if task.status_final == "SUCCEEDED" else 0
        self.credits_spent += task.charged
        self.config.creditBalance += task.credits - task.charged

    def _status(self, task: Task, now: float) -> tuple[str, float]:
        """(status, progress) at `now`; call after _advance."""
        if task.deleted or task.status_final == "CANCELLED":
            return "CANCELLED", 0.0
        if task.status_final is not None:
            return task.status_final, 1.0
        if task.admitted is None:
            return "THROTTLED", 0.0
        running_since = task.admitted + self.config.pendingSeconds
        if now < running_since:
            return "PENDING", 0.0
        generation = self.config.generationSeconds
        progress = 0.99 if generation <= 0 else min(0.99, (now - running_since) / generation)
        return "RUNNING", round(progress, 3)

    def find(self, key: str, task_id: str) -> Task:
        """The caller's task, or 404 (another key's task is not found either)."""
        task = self.tasks.get(task_id)
        if task is None or task.key != key:
            raise ApiError(404, f"Task {task_id} not found.")
        return task

    def poll(self, key: str, task_id: str) -> dict[str, Any]:
        """GET /v1/tasks/{id}: the task object, with a freshly signed output link when SUCCEEDED."""
        now = time.monotonic()
        with self.lock:
            self._advance(now)
            task = self.find(key, task_id)
            task.polls += 1
            self.stats["pollsTotal"] += 1
            task.polls_in_flight += 1      # until poll_done: the answer is still being sent
            if task.polls_in_flight > 1:
                self.stats["concurrentPolls"] += 1
            status, progress = self._status(task, now)
            if task.seen_final is None and task.status_final is not None:
                task.seen_final = now
            if not task.statuses_seen or task.statuses_seen[-1] != status:
                task.statuses_seen.append(status)
            return self._task_object(task, status, progress)

    def poll_done(self, task_id: str) -> None:
        """The answer to a poll has been sent (see `concurrentPolls`)."""
        with self.lock:
            task = self.tasks.get(task_id)
            if task is not None:
                task.polls_in_flight -= 1

    def _task_object(self, task: Task, status: str, progress: float) -> dict[str, Any]:
        body: dict[str, Any] = {"id": task.id, "status": status, "createdAt": task.created_wall}
        if status in ("PENDING", "THROTTLED", "RUNNING"):
            body["estimatedCost"] = {"credits": task.credits}
        else:
            body["cost"] = {"credits": task.charged or 0}
        if status == "RUNNING":
            body["progress"] = progress
        if status == "SUCCEEDED":
            body["output"] = [self._signed_output_url(task.id)]
        if status == "FAILED":
            code = task.failure_code or "INTERNAL"
            body["failure"] = failure_text(code, task.render_error)
            body["failureCode"] = code
        return body

    def cancel(self, key: str, task_id: str) -> None:
        """DELETE /v1/tasks/{id}: cancels a queued/running task (slot freed, credits refunded) or deletes a
        finished one (it then reads CANCELLED)."""
        now = time.monotonic()
        with self.lock:
            self._advance(now)
            task = self.find(key, task_id)
            if task.deleted or task.status_final == "CANCELLED":
                self.stats["ambiguous"]["deleteAgain"] = self.stats["ambiguous"].get("deleteAgain", 0) + 1
                return
            if task.finished is None:
                task.finished, task.status_final, task.charged = now, "CANCELLED", 0
                self.active.pop(task.id, None)
                if task.id in self.waiting:
                    self.waiting.remove(task.id)
                self.config.creditBalance += task.credits
                if task.render is not None:
                    task.render.cancel()
                self.stats["cancels"] += 1
                self._advance(now)
            else:
                task.deleted = True
                self.stats["deletes"] += 1

    def organization(self) -> dict[str, Any]:
        """GET /v1/organization in the SDK's field names."""
        with self.lock:
            self._advance(time.monotonic())
            return {
                "creditBalance": self.config.creditBalance,
                "tier": {"maxMonthlyCreditSpend": 100_000,
                         "models": {name: {"maxConcurrentGenerations": self.config.concurrencyLimit,
                                           "maxDailyGenerations": self.config.dailyLimit} for name in MODELS}},
                "usage": {"models": {name: {"dailyGenerations": self.daily_generations(name)} for name in MODELS}},
            }

    # -- outputs ---------------------------------------------------------------------------------------------

    def _signature(self, task_id: str, expires: str) -> str:
        return hmac.new(self.shared.secret, f"{task_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]

    def _signed_output_url(self, task_id: str) -> str:
        lifetime = self.config.outputExpirySeconds
        if self.config.expireNextOutputLinks > 0:   # a link that is already dead when it is handed out
            self.config.expireNextOutputLinks -= 1
            lifetime = -60.0
        expires = str(int((time.time() + lifetime) * 1000))
        return f"{self.shared.base_url}/outputs/{task_id}.mp4?expires={expires}&sig={self._signature(task_id, expires)}"

    def output_file(self, task_id: str, query: dict[str, list[str]]) -> str:
        """The clip's path for a valid, unexpired link; 403/404 otherwise."""
        expires, sig = query.get("expires", [""])[0], query.get("sig", [""])[0]
        with self.lock:
            task = self.tasks.get(task_id)
            if task is None or task.output_path is None or task.status_final != "SUCCEEDED" or task.deleted:
                self.stats["outputsRefused"] += 1
                raise ApiError(404, "NoSuchKey: the output does not exist")
            if not hmac.compare_digest(sig, self._signature(task_id, expires)):
                self.stats["outputsRefused"] += 1
                raise ApiError(403, "AccessDenied: the link's signature does not match")
            if not expires.isdigit() or int(expires) < time.time() * 1000:
                self.stats["outputsRefused"] += 1
                raise ApiError(403, "AccessDenied: Request has expired")
            self.stats["outputsServed"] += 1
            return task.output_path


class Registry:
    """The tenants by API key. The launch key's tenant always exists; tests may add isolated ones with
    POST /__double__/tenants so that parallel tests never see each other's config, tasks or counters."""

    def __init__(self, launch_config: DoubleConfig, shared: Shared) -> None:
        self.lock = threading.Lock()
        self.shared = shared
        self.launch_config = launch_config
        self.default = DoubleState(launch_config, shared)
        self.tenants: dict[str, DoubleState] = {launch_config.key: self.default}

    def by_key(self, key: Optional[str]) -> Optional[DoubleState]:
        """The tenant whose key this is (constant-time compare), or None."""
        if key is None:
            return None
        with self.lock:
            for candidate, state in self.tenants.items():
                if hmac.compare_digest(candidate.encode(), key.encode()):
                    return state
        return None

    def create_tenant(self, overrides: dict[str, Any]) -> DoubleState:
        """A new tenant: the launch config plus `overrides` (a fresh random key unless one is given)."""
        overrides = dict(overrides)
        overrides.setdefault("key", f"key_{secrets.token_hex(16)}")
        probe = DoubleState(DoubleConfig(**asdict(self.launch_config)), self.shared)
        probe.configure(overrides)
        state = DoubleState(DoubleConfig(**_copy(asdict(probe.config))), self.shared)
        with self.lock:
            if state.config.key in self.tenants:
                raise bad_request("config key: another tenant already uses this key")
            if len(self.tenants) >= MAX_TENANTS:
                raise bad_request(f"tenants: at most {MAX_TENANTS}; reset the double (restart it) to start over")
            self.tenants[state.config.key] = state
        return state

    def configure(self, state: DoubleState, changes: dict[str, Any]) -> dict[str, Any]:
        """Applies config changes to a tenant, re-keying it when `key` changes."""
        with self.lock:
            new_key = changes.get("key")
            if isinstance(new_key, str) and new_key != state.config.key and new_key in self.tenants:
                raise bad_request("config key: another tenant already uses this key")
            old_key = state.config.key
            result = state.configure(changes)
            if state.config.key != old_key:
                del self.tenants[old_key]
                self.tenants[state.config.key] = state
            return result

    def all(self) -> list[DoubleState]:
        with self.lock:
            return list(self.tenants.values())

    def task_owner(self, task_id: str) -> Optional[DoubleState]:
        """The tenant holding this task (for output links, which carry no key)."""
        return next((state for state in self.all() if task_id in state.tasks), None)

    def upload_owner(self, upload_id: str) -> Optional[DoubleState]:
        """The tenant that announced this upload."""
        return next((state for state in self.all() if upload_id in state.uploads), None)


def failure_text(code: str, detail: Optional[str]) -> str:
    """The human `failure` text for a failure code."""
    for prefix in sorted(TASK_FAILURE_TEXT, key=len, reverse=True):
        if code.startswith(prefix):
            text = TASK_FAILURE_TEXT[prefix]
            return f"{text} ({detail[:200]})" if detail else text
    return "The task failed."


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


# ----------------------------------------------------------------------------------------------------------
# Request validation (POST /v1/image_to_video)
# ----------------------------------------------------------------------------------------------------------

@dataclass
class VideoRequest:
    """A validated image_to_video request."""

    model: str
    ratio: str
    duration: int
    prompt_text: str
    credits: int
    image: bytes
    image_ext: str
    keyframes: tuple[dict[str, str], ...] = ()   # each image as sent, in request order: position, sha256, kind
    last_image: Optional[tuple[bytes, str]] = None  # the `last` keyframe's bytes and kind, when there is one


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_video_request(body: Any, fetch_image: Callable[[str], tuple[bytes, str]],
                           note_ambiguous: Callable[[str], None]) -> VideoRequest:
    """Checks a request body like the API does; returns it validated or raises a 400."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    model = body.get("model")
    if isinstance(model, str) and model in RETIRED_MODELS:
        raise bad_request(f"model: invalid value {model!r}: {model} is no longer offered; use {RETIRED_MODELS[model]} "
                          f"(valid models: {', '.join(MODELS)})")
    if not isinstance(model, str) or model not in MODELS:
        raise bad_request(f"model: invalid value {model!r}; valid models: {', '.join(MODELS)}")
    spec = MODELS[model]
    unknown = sorted(set(body) - spec.required - spec.optional)
    if unknown:
        raise bad_request(f"Unrecognized key(s) in object: {', '.join(repr(k) for k in unknown)} "
                          f"(model {model} accepts {', '.join(sorted(spec.required | spec.optional))})")
    missing = sorted(spec.required - set(body))
    if missing:
        raise bad_request(f"{', '.join(missing)}: Required (model {model})")

    ratio = body["ratio"]
    if ratio not in spec.ratios:
        hint = (f" ({ratio} belonged to {REMOVED_RATIOS[ratio]}, which the API no longer offers)"
                if ratio in REMOVED_RATIOS else "")
        raise bad_request(f"ratio: invalid value {ratio!r} for {model}{hint}; valid: {', '.join(spec.ratios)}")

    duration = body.get("duration", spec.default_duration)
    if isinstance(duration, float) and duration.is_integer():
        note_ambiguous("floatNumber")
    if not _is_int(duration) or duration not in spec.durations:
        raise bad_request(f"duration: invalid value {duration!r} for {model}; valid: "
                          f"{', '.join(str(d) for d in spec.durations)}")

    prompt_text = body.get("promptText", "")
    if "promptText" in body:
        if not isinstance(prompt_text, str) or prompt_text == "":
            raise bad_request("promptText: must be a non-empty string")
        if prompt_text.strip() == "":
            note_ambiguous("whitespaceOnlyPromptText")
            raise bad_request("promptText: must not be only whitespace")
        units = len(prompt_text.encode("utf-16-le")) // 2
        if units > PROMPT_TEXT_MAX_UTF16:
            raise bad_request(f"promptText: {units} UTF-16 code units; at most {PROMPT_TEXT_MAX_UTF16} allowed")

    if "seed" in body:
        seed = body["seed"]
        if not _is_int(seed) or not 0 <= seed <= SEED_MAX:
            raise bad_request(f"seed: invalid value {seed!r}; an integer from 0 to {SEED_MAX}")

    _validate_extras(model, body)
    keyframes = _validate_prompt_image(body["promptImage"], spec, fetch_image, note_ambiguous)
    image, ext = keyframes["first"]
    audio = body.get("audio") is True
    if "audio" not in body and spec.credits_per_second_audio is not None:
        note_ambiguous("audioOmitted")   # its default is not documented; the double prices it as false
    return VideoRequest(model=model, ratio=ratio, duration=duration, prompt_text=prompt_text,
                        credits=spec.credits(duration, audio), image=image, image_ext=ext,
                        keyframes=tuple({"position": position, "sha256": hashlib.sha256(data).hexdigest(), "kind": kind}
                                        for position, (data, kind) in keyframes.items()),
                        last_image=keyframes.get("last"))


def _validate_extras(model: str, body: dict[str, Any]) -> None:
    """contentModeration, and the veo/gen4.5-only fields."""
    if "contentModeration" in body:
        moderation = body["contentModeration"]
        if not isinstance(moderation, dict) or set(moderation) - {"publicFigureThreshold"}:
            raise bad_request("contentModeration: an object with only publicFigureThreshold")
        if "publicFigureThreshold" in moderation and moderation["publicFigureThreshold"] not in ("auto", "low"):
            raise bad_request("contentModeration.publicFigureThreshold: 'auto' or 'low'")
    if "audio" in body and not isinstance(body["audio"], bool):
        raise bad_request("audio: must be a boolean")
    if "negativePrompt" in body and not isinstance(body["negativePrompt"], str):
        raise bad_request("negativePrompt: must be a string")
    if "outputFormat" in body and body["outputFormat"] != "mp4":
        raise bad_request(f"outputFormat: the double renders only 'mp4' (got {body['outputFormat']!r})")
    if "proresProfile" in body:
        raise bad_request("proresProfile: only valid when outputFormat is prores or hdr_prores")


def _validate_prompt_image(value: Any, spec: ModelSpec, fetch_image: Callable[[str], tuple[bytes, str]],
                           note_ambiguous: Callable[[str], None]) -> dict[str, tuple[bytes, str]]:
    """A URI string, or an array of {uri, position}; returns each position's bytes and kind, in request order.
    A `last` image needs a model that takes it (veo3.1, veo3.1_fast) and a `first` beside it, as the real API says."""
    if isinstance(value, str):
        return {"first": load_image(value, fetch_image, note_ambiguous)}
    if not isinstance(value, list) or not value:
        raise bad_request("promptImage: a URI string or a non-empty array of {uri, position}")
    seen: dict[str, tuple[bytes, str]] = {}
    for item in value:
        if not isinstance(item, dict) or set(item) != {"uri", "position"} or not isinstance(item["uri"], str):
            raise bad_request("promptImage[]: each item is exactly {uri: string, position}")
        if item["position"] not in spec.positions:
            raise bad_request(f"promptImage[].position: invalid value {item['position']!r}; valid: "
                              f"{', '.join(spec.positions)}")
        if item["position"] in seen:
            raise bad_request(f"promptImage: position {item['position']!r} appears twice")
        seen[item["position"]] = load_image(item["uri"], fetch_image, note_ambiguous)
    if "first" not in seen:
        raise bad_request("promptImage: a 'first' image is required")
    return seen


DATA_URI = re.compile(r"data:image/(png|jpeg|jpg|webp);base64,(.*)", re.DOTALL)


def load_image(uri: str, fetch_image: Callable[[str], tuple[bytes, str]],
               note_ambiguous: Callable[[str], None]) -> tuple[bytes, str]:
    """The image bytes behind a data:, http(s): or runway: URI, checked by magic bytes; 400 otherwise."""
    if uri.startswith("data:"):
        if len(uri) > DATA_URI_MAX_CHARS:
            if len(uri) <= DATA_URI_MAX_CHARS_LENIENT:
                note_ambiguous("dataUriOver5MBUnder5MiB")
            raise bad_request(f"promptImage: the data URI is {len(uri)} characters; at most 5 MB "
                              f"({DATA_URI_MAX_CHARS}) allowed. Use an upload or an HTTPS URL instead.")
        match = DATA_URI.fullmatch(uri)
        if match is None:
            raise bad_request("promptImage: a data URI must be data:image/(png|jpeg|webp);base64,<data>")
        try:
            data = base64.b64decode(match.group(2), validate=True)
        except (binascii.Error, ValueError):
            raise bad_request("promptImage: the data URI's base64 is invalid") from None
        label = "data URI"
    elif uri.startswith(("https://", "http://", "runway://")):
        data, label = fetch_image(uri)
    else:
        raise bad_request("promptImage: must be an HTTPS URL, a runway:// upload URI or a data:image URI")
    kind = image_kind(data)
    if kind is None:
        raise bad_request(f"promptImage: the {label} is not a PNG, JPEG or WebP image")
    return data, kind


def fetch_link(uri: str, note_ambiguous: Callable[[str], None]) -> tuple[bytes, str]:
    """GETs a promptImage link (HTTPS; plain HTTP only on loopback, for tests) with a timeout and size cap."""
    parsed = urllib.parse.urlsplit(uri)
    if parsed.scheme == "http":
        if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise bad_request("promptImage: links must be HTTPS")
        note_ambiguous("httpLoopbackLink")
    try:
        request = urllib.request.Request(uri, headers={"User-Agent": "runway-double/1"})
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read(LINK_IMAGE_MAX_BYTES + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        raise bad_request(f"promptImage: fetching the link answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise bad_request(f"promptImage: the link could not be fetched ({error})") from None
    if len(data) > LINK_IMAGE_MAX_BYTES:
        raise bad_request(f"promptImage: the linked image is over {LINK_IMAGE_MAX_BYTES} bytes")
    if image_kind(data) is not None and not content_type.startswith("image/"):
        note_ambiguous("linkContentTypeNotImage")
    return data, "link"


# ----------------------------------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------------------------------

TASK_PATH = re.compile(r"/v1/tasks/([^/]+)")
OUTPUT_PATH = re.compile(r"/outputs/([0-9a-f-]{36})\.mp4")
UPLOAD_PATH = re.compile(r"/__uploads__/([0-9a-f-]{36})")
ALLOWED = {"/v1/image_to_video": "POST", "/v1/uploads": "POST", "/v1/organization": "GET"}


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes one request; every answer has a Content-Length so keep-alive works."""

    protocol_version = "HTTP/1.1"
    server_version = "runway-double/1"
    disable_nagle_algorithm = True         # headers and body go out in separate writes: no 40 ms stalls
    registry: Registry
    verbose = False
    tenant: Optional[DoubleState] = None   # set once the request's key is known
    body: Optional[bytes] = None

    # -- plumbing --------------------------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        if self.verbose:
            sys.stderr.write(f"runway-double: {self.command} {self.path.split('?')[0]} {format % args}\n")

    def send_json(self, status: int, body: Any, headers: Optional[dict[str, str]] = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_empty(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_error_body(self, error: ApiError) -> None:
        if error.status >= 400 and self.path.startswith("/v1/"):
            (self.tenant or self.registry.default).count("rejected", str(error.status))
        if error.status in (502, 504):   # a gateway's answer, not the API's JSON
            data = f"<html><body><h1>{error.status} {error.message}</h1></body></html>".encode()
            self.send_response(error.status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            for name, value in error.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_json(error.status, {"error": error.message}, error.headers)

    def read_body(self) -> bytes:
        """The body, read once (dispatch reads it before routing, so an early answer never leaves unread bytes
        on a kept-alive connection)."""
        if self.body is not None:
            return self.body
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise ApiError(411, "chunked request bodies are not accepted; send Content-Length")
        length_text = self.headers.get("Content-Length", "0")
        if not length_text.isdigit():
            self.close_connection = True
            raise bad_request("invalid Content-Length")
        length = int(length_text)
        if length > JSON_BODY_MAX_BYTES:
            self.close_connection = True
            raise ApiError(413, f"The request body is {length} bytes; at most {JSON_BODY_MAX_BYTES} allowed.")
        self.body = self.rfile.read(length)
        return self.body

    def read_json(self) -> Any:
        body = self.read_body()
        content_type = self.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise bad_request(f"Content-Type must be application/json (got {content_type or 'none'!r})")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise bad_request("The request body is not valid JSON.") from None

    def bearer(self) -> Optional[str]:
        header = self.headers.get("Authorization", "")
        return header[len("Bearer "):] if header.startswith("Bearer ") else None

    def authenticate(self) -> str:
        """401 on a missing or wrong key, then 400 on a missing or wrong X-Runway-Version."""
        key = self.bearer()
        if key is None or self.tenant is None:
            raise ApiError(401, "Invalid API key. Check the Authorization header: Bearer <key>.")
        version = self.headers.get("X-Runway-Version")
        if version is None:
            raise bad_request(f"The X-Runway-Version header is required; use {RUNWAY_VERSION}.")
        if version != RUNWAY_VERSION:
            raise bad_request(f"Invalid X-Runway-Version {version!r}; use {RUNWAY_VERSION}.")
        return key

    def inject(self, scripted: str) -> None:
        if self.tenant is None:
            return
        status = self.tenant.injected_status(scripted)
        if status is not None:
            headers = self.tenant.retry_after_headers() if status in (429, 503) else {}
            reasons = {429: "Too many requests (injected)", 500: "Internal server error (injected)",
                       502: "Bad Gateway", 503: "Service temporarily unavailable (injected)", 504: "Gateway Timeout"}
            raise ApiError(status, reasons[status], headers)

    def dispatch(self, method: str) -> None:
        self.tenant = self.registry.by_key(self.bearer())
        with (self.tenant or self.registry.default).lock:
            (self.tenant or self.registry.default).stats["requests"] += 1
        parsed = urllib.parse.urlsplit(self.path)
        self.body = None
        try:
            self.read_body()
            self.route(method, parsed.path, urllib.parse.parse_qs(parsed.query))
        except ApiError as error:
            self.send_error_body(error)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # a bug in the double: say so loudly rather than hang the client
            sys.stderr.write(f"runway-double: internal error on {method} {parsed.path}: {error!r}\n")
            self.send_json(500, {"error": f"runway-double internal error: {error}"})

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_HEAD(self) -> None:
        self.dispatch("HEAD")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    def do_PATCH(self) -> None:
        self.dispatch("PATCH")

    # -- routing ---------------------------------------------------------------------------------------------

    def route(self, method: str, path: str, query: dict[str, list[str]]) -> None:
        if path.startswith("/__double__/"):
            return self.control(method, path)
        if (match := OUTPUT_PATH.fullmatch(path)) and method in ("GET", "HEAD"):
            return self.serve_output(match.group(1), query)
        if (match := UPLOAD_PATH.fullmatch(path)) and method == "POST":
            return self.receive_upload(match.group(1))
        task_match = TASK_PATH.fullmatch(path)
        if path in ALLOWED or task_match:
            allowed = "GET, DELETE" if task_match else ALLOWED[path]
            if method not in allowed.split(", "):
                raise ApiError(405, f"Method {method} is not allowed on {path}.", {"Allow": allowed})
            if path == "/v1/image_to_video":
                return self.create_video()
            self.inject("failNextGets" if task_match and method == "GET" else "")
            key = self.authenticate()
            state = self.tenant
            assert state is not None
            if task_match and method == "GET":
                body = state.poll(key, task_match.group(1))
                try:
                    return self.send_json(200, body)
                finally:
                    state.poll_done(task_match.group(1))
            if task_match:
                state.cancel(key, task_match.group(1))
                return self.send_empty(204)
            if path == "/v1/uploads":
                return self.send_json(200, state.announce_upload(validate_upload_request(self.read_json())))
            return self.send_json(200, state.organization())
        raise ApiError(404, f"Not found: {method} {path}")

    def create_video(self) -> None:
        self.inject("failNextPosts")
        key = self.authenticate()
        state = self.tenant
        assert state is not None
        body = self.read_json()
        note = lambda name: state.count("ambiguous", name)  # noqa: E731
        request = validate_video_request(body, lambda uri: self.fetch(state, uri, note), note)
        task = state.create_task(key, request)
        if state.take_drop():
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_json(200, {"id": task.id, "estimatedCost": {"credits": task.credits}})

    @staticmethod
    def fetch(state: DoubleState, uri: str, note: Callable[[str], None]) -> tuple[bytes, str]:
        """A promptImage's bytes: from this tenant's uploads for runway:// URIs, else by HTTP."""
        if uri.startswith("runway://"):
            return state.upload_bytes(uri), "upload"
        return fetch_link(uri, note)

    def receive_upload(self, upload_id: str) -> None:
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            raise bad_request("the upload must be multipart/form-data")
        body = self.read_body()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        form: dict[str, str] = {}
        data: Optional[bytes] = None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if name == "file":
                data = payload
            elif isinstance(name, str):
                form[name] = payload.decode("utf-8", "replace")
        if data is None:
            raise bad_request("the upload has no `file` part")
        owner = self.registry.upload_owner(upload_id)
        if owner is None:
            raise ApiError(404, "no such upload")
        owner.complete_upload(upload_id, form, data)
        self.send_empty(204)

    def serve_output(self, task_id: str, query: dict[str, list[str]]) -> None:
        owner = self.registry.task_owner(task_id)
        if owner is None:
            raise ApiError(404, "NoSuchKey: the output does not exist")
        path = owner.output_file(task_id, query)
        size = os.path.getsize(path)
        length = size // 2 if self.command == "GET" and owner.take_truncate() else size
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(path, "rb") as handle:
            remaining = length
            while remaining > 0:
                chunk = handle.read(min(65536, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)

    def control(self, method: str, path: str) -> None:
        """The control API. The tenant is the one of the Authorization header's key, else the launch key's."""
        if path == "/__double__/tenants" and method == "POST":
            body = self.read_json()
            if not isinstance(body, dict):
                raise bad_request("tenants: a JSON object of config values")
            state = self.registry.create_tenant(body)
            return self.send_json(200, {"key": state.config.key, "config": state.public_config()})
        if self.bearer() is not None and self.tenant is None:
            raise ApiError(404, "no tenant has this key")
        state = self.tenant or self.registry.default
        if path == "/__double__/config" and method == "POST":
            body = self.read_json()
            if not isinstance(body, dict):
                raise bad_request("config: a JSON object")
            return self.send_json(200, self.registry.configure(state, body))
        if path == "/__double__/config" and method == "GET":
            return self.send_json(200, state.public_config())
        if path == "/__double__/stats" and method == "GET":
            return self.send_json(200, state.snapshot())
        if path == "/__double__/reset" and method == "POST":
            self.read_body()
            state.reset()
            return self.send_json(200, {"reset": True})
        raise ApiError(404, f"Not found: {method} {path}")


def validate_upload_request(body: Any) -> str:
    """POST /v1/uploads body: exactly {filename, type: "ephemeral"}; returns the filename."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    unknown = sorted(set(body) - {"filename", "type"})
    if unknown:
        raise bad_request(f"Unrecognized key(s) in object: {', '.join(repr(k) for k in unknown)}")
    filename = body.get("filename")
    if not isinstance(filename, str) or not filename or "/" in filename or len(filename) > 255:
        raise bad_request("filename: a non-empty file name without '/'")
    if body.get("type") != "ephemeral":
        raise bad_request("type: must be 'ephemeral'")
    return filename


# ----------------------------------------------------------------------------------------------------------
# Process lifetime
# ----------------------------------------------------------------------------------------------------------

def start_watchdogs(server: http.server.ThreadingHTTPServer, parent_pid: Optional[int], watch_stdin: bool,
                    max_lifetime: float) -> None:
    """Shuts the server down when the parent dies, stdin closes, or the lifetime is over."""
    stop = lambda: threading.Thread(target=server.shutdown, daemon=True).start()  # noqa: E731
    deadline = time.monotonic() + max_lifetime

    def watch_parent() -> None:
        while time.monotonic() < deadline:
            if parent_pid is not None:
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
            time.sleep(0.5)
        stop()

    def watch_input() -> None:
        try:
            while sys.stdin.buffer.read1(4096):
                pass
        except (OSError, ValueError):
            pass
        stop()

    threading.Thread(target=watch_parent, daemon=True).start()
    if watch_stdin:
        threading.Thread(target=watch_input, daemon=True).start()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Strict test double of Runway's image-to-video API.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--key", default=os.environ.get("RUNNER_TEST_RUNWAY_KEY", "runner-test-key"))
    parser.add_argument("--generation-seconds", type=float, default=1.0)
    parser.add_argument("--concurrency-limit", type=int, default=3)
    parser.add_argument("--daily-limit", type=int, default=500)
    parser.add_argument("--precomputed-clips", action="store_true")
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process is gone")
    parser.add_argument("--exit-on-stdin-close", action="store_true")
    parser.add_argument("--max-lifetime", type=float, default=4 * 3600, help="seconds before exiting anyway")
    parser.add_argument("--verbose", action="store_true", help="log requests (never keys) to stderr")
    args = parser.parse_args(argv)

    if shutil.which("ffmpeg") is None:
        print("runway-double: the ffmpeg program is required", file=sys.stderr)
        return 2
    config = DoubleConfig(key=args.key, generationSeconds=args.generation_seconds,
                          concurrencyLimit=args.concurrency_limit, dailyLimit=args.daily_limit,
                          precomputedClips=args.precomputed_clips)
    workdir = tempfile.mkdtemp(prefix="runway-double-")
    shared = Shared(workdir)
    registry = Registry(config, shared)
    handler = type("BoundHandler", (Handler,), {"registry": registry, "verbose": args.verbose})
    server = http.server.ThreadingHTTPServer((HOST, args.port), handler)
    server.daemon_threads = True
    shared.base_url = f"http://{HOST}:{server.server_address[1]}"
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    start_watchdogs(server, args.parent_pid, args.exit_on_stdin_close, args.max_lifetime)
    print(f"listening {shared.base_url}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        shared.renderer.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
