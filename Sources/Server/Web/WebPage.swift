/// The page `GET /` serves: plain HTML and a little script, no build step. It lists the runs (`GET /v1/runs`), follows
/// each unfinished run's events (`GET /v1/runs/{id}/events`, read with `fetch` because `EventSource` cannot send the
/// bearer token), shows each clip as it lands (a `<video preload=metadata>`, which draws the clip's first frame) and
/// the finished film in a player.
///
/// Every string from the server is put in the page with `textContent` or as an attribute value, never parsed as HTML
/// (frame names, reasons and user ids come from users), and only `http:`/`https:` links become a `src`. The token a
/// user types is kept in `sessionStorage` (gone when the tab closes) and sent only to this server, as `Authorization`.
///
/// What it reads from the server: `GET /v1/runs` (`runs[].id`, `user`, `session`, `status`, `progress.clips[]` with
/// `item` and, when the server gives it, `url`, a link to the clip, and `progress.film.link`), `GET /v1/runs/{id}`
/// (the same run) and the event stream (`id:` and `data:` lines; the events' `kind`, `stage`, `item`, `total`,
/// `cached`, `location`, `reason`). A finished run's clips without `url` get their links from the original API's
/// answer for the session (`prepare_merge` with only `sessionId`, which reads and makes nothing).
enum WebPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>runner</title>
        <style>
          :root { color-scheme: light; font: 15px/1.4 system-ui, sans-serif; }
          body { margin: 0; background: #f4f5f7; color: #1d2330; }
          header { display: flex; gap: 1em; align-items: center; padding: .8em 1.2em; background: #1d2330; color: #fff; }
          header h1 { font-size: 1.2em; margin: 0; }
          header form { display: flex; gap: .4em; margin-left: auto; }
          main { padding: 1em 1.2em; max-width: 72em; }
          #notice { padding: .6em .8em; background: #fff3cd; border: 1px solid #e0c36a; margin-bottom: 1em; }
          #notice:empty { display: none; }
          #token-form { padding: 1em; background: #fff; border: 1px solid #ccd; margin-bottom: 1em; }
          .run { background: #fff; border: 1px solid #ccd; border-radius: 6px; padding: .8em 1em; margin-bottom: 1em; }
          .run h2 { font-size: 1.05em; margin: 0 0 .3em; display: flex; gap: .8em; flex-wrap: wrap; }
          .status { padding: 0 .5em; border-radius: 1em; background: #dde; font-weight: normal; }
          .status.succeeded { background: #c8ecd0; } .status.failed, .status.cancelled { background: #f6cccc; }
          .status.running { background: #cfe0fb; }
          progress { width: 100%; height: 1em; }
          .stages, .problems { font-size: .9em; color: #444; margin: .2em 0; }
          .clips { display: flex; flex-wrap: wrap; gap: .5em; margin: .5em 0; }
          .clip { width: 160px; margin: 0; font-size: .8em; overflow-wrap: anywhere; }
          .clip video { width: 160px; height: 90px; background: #000; display: block; }
          .film video { width: 100%; max-width: 48em; background: #000; }
          button { cursor: pointer; }
        </style>
        </head>
        <body>
        <header>
          <h1>runner</h1>
          <span id="server"></span>
          <form id="user-form">
            <label>user <input id="user" name="user" size="12" autocomplete="off"></label>
            <button type="submit">show</button>
          </form>
        </header>
        <main>
          <div id="notice" role="status"></div>
          <form id="token-form" hidden>
            <p>This server needs a token. It is kept in this tab only (sessionStorage) and sent only to this server.</p>
            <label>token <input id="token" type="password" autocomplete="off" size="40"></label>
            <button type="submit">use</button>
          </form>
          <div id="runs"></div>
          <p id="empty" hidden>No runs yet.</p>
        </main>
        <script>
        "use strict";
        const state = { runs: new Map() };
        const $ = (id) => document.getElementById(id);
        const finalStatuses = new Set(["succeeded", "failed", "cancelled"]);

        function token() { return sessionStorage.getItem("runner.token") || ""; }
        function notice(text) { $("notice").textContent = text; }

        // Every request carries the token when there is one; a 401 asks for it.
        async function api(path, options = {}) {
          const headers = Object.assign({}, options.headers || {});
          if (token()) headers["Authorization"] = "Bearer " + token();
          const response = await fetch(path, Object.assign({}, options, { headers }));
          if (response.status === 401) {
            $("token-form").hidden = false;
            throw new Error("the server needs a token: enter it above");
          }
          return response;
        }

        // Only links a video may load; anything else (javascript:, data:, file:) is dropped.
        function safeURL(text) {
          try {
            const url = new URL(String(text), location.href);
            return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
          } catch { return null; }
        }

        function element(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined) node.textContent = String(text);
          return node;
        }

        function runView(run) {
          const node = element("section", "run");
          node.dataset.runId = run.id;
          const title = element("h2");
          const name = element("span", "name");
          const status = element("span", "status");
          title.append(name, status);
          const bar = element("progress");
          bar.max = 1; bar.value = 0;
          const counts = element("p", "counts");
          const stages = element("p", "stages");
          const problems = element("p", "problems");
          const clips = element("div", "clips");
          const film = element("div", "film");
          node.append(title, bar, counts, stages, problems, clips, film);
          return { run, node, name, status, bar, counts, stages, problems, clips, film,
                   stageTotals: new Map(), done: new Map(), clipItems: new Map(),
                   lastEvent: 0, following: false, streamed: false, refreshing: null };
        }

        // The run as the server last described it, with the counts folded from its events.
        function show(view) {
          const run = view.run;
          view.name.textContent = [run.user, run.session, run.id].filter(Boolean).join(" · ");
          const status = String(run.status || "");
          view.status.textContent = status;
          view.status.className = "status " + status.replace(/[^a-z]/g, "");
          let total = 0, done = 0;
          const parts = [];
          for (const [stage, stageTotal] of view.stageTotals) {
            const stageDone = Math.min(view.done.get(stage) || 0, stageTotal);
            total += stageTotal; done += stageDone;
            parts.push(stage + " " + stageDone + "/" + stageTotal);
          }
          view.bar.max = Math.max(total, 1);
          view.bar.value = total ? done : (status === "succeeded" ? 1 : 0);
          view.counts.textContent = total ? done + " of " + total + " items done" : "waiting for the plan";
          view.stages.textContent = parts.join(" · ");
          const progress = run.progress || {};
          for (const clip of progress.clips || []) showClip(view, clip.item, clip.url);
          if (progress.film && progress.film.link) showFilm(view, progress.film.link);
        }

        // A clip's tile: its frame's name and, once the server gives its link, the clip itself (its first frame shows).
        function showClip(view, item, url) {
          let entry = view.clipItems.get(item);
          if (!entry) {
            entry = element("figure", "clip");
            const video = element("video");
            video.preload = "metadata";
            video.muted = true;
            entry.append(video, element("figcaption", "", item));
            view.clips.append(entry);
            view.clipItems.set(item, entry);
          }
          const link = url && safeURL(url);
          const video = entry.querySelector("video");
          // #t=0.1: the browser draws the frame at 0.1 s as the tile's picture.
          if (link && entry.dataset.src !== link) {
            entry.dataset.src = link;
            video.src = link + "#t=0.1";
          }
        }

        function showFilm(view, url) {
          const link = safeURL(url);
          if (!link || view.film.dataset.src === link) return;
          view.film.dataset.src = link;
          view.film.replaceChildren();
          const video = element("video");
          video.controls = true;
          video.preload = "metadata";
          video.src = link;
          view.film.append(element("h3", "", "The film"), video);
        }

        // One event of the run, as `runner apply --format json` prints it.
        function apply(view, event) {
          switch (event.kind) {
            case "stageStarted":
              view.stageTotals.set(event.stage, event.total);
              view.done.set(event.stage, event.cached || 0);
              break;
            case "itemSucceeded":
              view.done.set(event.stage, (view.done.get(event.stage) || 0) + 1);
              // A clip is an item of its own name (the film's and publish's items carry their stage's name): its tile
              // shows at once, and its link comes with the run's state.
              if (event.item && event.item !== event.stage && /\.(mp4|mov|webm)$/i.test(event.location || "")) {
                showClip(view, event.item, null);
                refreshSoon(view);
              }
              break;
            case "itemFailed":
            case "itemStopped":
            case "stageNotStarted":
            case "warning":
              view.problems.append(element("span", "", (event.item || event.stage || "") + ": " + event.reason), element("br"));
              break;
            case "published":
            case "runFinished":
              refreshSoon(view);
              break;
          }
        }

        // The run's state (its clips' links, its film, its status), read again at most twice a second.
        function refreshSoon(view) {
          if (view.refreshing) return;
          view.refreshing = setTimeout(async () => {
            view.refreshing = null;
            await refreshRun(view);
          }, 500);
        }

        async function refreshRun(view) {
          try {
            const response = await api("/v1/runs/" + encodeURIComponent(view.run.id));
            if (response.ok) { view.run = await response.json(); show(view); }
          } catch (error) { notice(String(error.message || error)); }
          if (finalStatuses.has(view.run.status)) await clipLinks(view);
        }

        // Links to the clips of a finished run whose state gives none: the original API's answer for the session
        // (prepare_merge with only a sessionId reads the session's latest run), used when that run is this one and its
        // clips are these, in the same order.
        async function clipLinks(view) {
          const clips = (view.run.progress || {}).clips || [];
          if (view.linksAsked || !clips.length || clips.every((clip) => clip.url)) return;
          view.linksAsked = true;
          const query = new URLSearchParams({ action: "prepare_merge", userId: view.run.user, sessionId: view.run.session });
          try {
            const response = await api("/api/process_s3_video_workflow?" + query);
            const answer = response.ok ? await response.json() : {};
            const data = answer.data || {};
            const urls = data.generatedVideoUrls || [];
            if (data.runId !== view.run.id || urls.length !== clips.length) return;
            clips.forEach((clip, index) => { if (!clip.url) showClip(view, clip.item, urls[index]); });
          } catch (error) { notice(String(error.message || error)); }
        }

        // Reads the run's Server-Sent Events with fetch, so the token goes in a header, not in the address; after a
        // dropped connection it carries on from the last event it saw (Last-Event-ID).
        async function follow(view) {
          if (view.following || view.streamed) return;
          view.following = true;
          try {
            const headers = { Accept: "text/event-stream" };
            if (view.lastEvent > 0) headers["Last-Event-ID"] = String(view.lastEvent);
            const response = await api("/v1/runs/" + encodeURIComponent(view.run.id) + "/events", { headers });
            if (!response.ok || !response.body) throw new Error("the run's events answered HTTP " + response.status);
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = "";
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value.replace(/\r\n?/g, "\n");
              let end;
              while ((end = buffer.indexOf("\n\n")) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                let data = [], id = null;
                for (const line of block.split("\n")) {
                  if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
                  else if (line.startsWith("id:")) id = Number(line.slice(3).trim());
                }
                if (!data.length) continue;
                let event;
                try { event = JSON.parse(data.join("\n")); } catch { continue; }
                if (id !== null && id <= view.lastEvent) continue;
                if (id !== null) view.lastEvent = id;
                apply(view, event);
                show(view);
              }
            }
          } catch (error) {
            notice(String(error.message || error));
          } finally {
            view.following = false;
          }
          // The stream ends when the run does; if it ended for another reason (a restarted server), the next
          // listing follows the run again from its last event.
          await refreshRun(view);
          if (finalStatuses.has(view.run.status)) view.streamed = true;
        }

        async function load() {
          const user = $("user").value.trim();
          const query = user ? "?user=" + encodeURIComponent(user) : "";
          let body;
          try {
            const response = await api("/v1/runs" + query);
            if (!response.ok) {
              const problem = await response.json().catch(() => ({}));
              notice(problem.error || "listing the runs answered HTTP " + response.status);
              return;
            }
            body = await response.json();
          } catch (error) { notice(String(error.message || error)); return; }
          notice("");
          $("token-form").hidden = true;
          const runs = body.runs || [];
          $("empty").hidden = runs.length > 0;
          // The server lists the newest first; each new one goes above those shown.
          for (const run of runs.slice().reverse()) {
            let view = state.runs.get(run.id);
            if (!view) {
              view = runView(run);
              state.runs.set(run.id, view);
              $("runs").prepend(view.node);
            } else if (!view.streamed) {
              view.run = run;
            }
            show(view);
            follow(view);
          }
        }

        $("token-form").addEventListener("submit", (event) => {
          event.preventDefault();
          sessionStorage.setItem("runner.token", $("token").value.trim());
          $("token").value = "";
          load();
        });
        $("user-form").addEventListener("submit", (event) => {
          event.preventDefault();
          sessionStorage.setItem("runner.user", $("user").value.trim());
          for (const view of state.runs.values()) view.node.remove();
          state.runs.clear();
          load();
        });
        $("user").value = sessionStorage.getItem("runner.user") || new URLSearchParams(location.search).get("user") || "";
        $("server").textContent = location.host;
        load();
        // New runs appear within a few seconds; their events then stream.
        setInterval(load, 3000);
        </script>
        </body>
        </html>
        """#
}
