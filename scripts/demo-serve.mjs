// The original app's three calls, against `runner serve` (make demo-serve starts everything and runs this).
// Written only against the documented request and answer fields (docs/serve.md, /openapi.json), with Node's own
// fetch and nothing else, the way an app built for the original API calls it: list the user's frames, generate a
// clip of each, merge them on the server, and print the merged video's URL.
//
//   RUNNER_URL=http://127.0.0.1:8080 RUNNER_TOKEN=... node scripts/demo-serve.mjs USER [SESSION]
const base = process.env.RUNNER_URL ?? "http://127.0.0.1:8080";
const token = process.env.RUNNER_TOKEN ?? "";
const [userId = "user123", sessionId = `demo-${Date.now()}`] = process.argv.slice(2);
const endpoint = new URL("/api/process_s3_video_workflow", base);

function headers(extra = {}) {
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

// Every answer is JSON; a non-2xx one or `success: false` stops the demo with the server's own words.
async function answer(response, what) {
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${what}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok || body.success === false) {
    throw new Error(`${what}: HTTP ${response.status}: ${body.error ?? text.slice(0, 200)}`);
  }
  return body;
}

async function post(body, what) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
  return answer(response, what);
}

async function main() {
  console.log(`runner serve at ${base}; user ${userId}, session ${sessionId}`);

  // 1. list_frames, by GET as the original app did.
  const listURL = new URL(endpoint);
  listURL.searchParams.set("action", "list_frames");
  listURL.searchParams.set("userId", userId);
  const listed = await answer(await fetch(listURL, { headers: headers() }), "list_frames");
  console.log(`list_frames: ${listed.totalFrames} frames`);
  for (const frame of listed.frames) console.log(`  ${frame.name} (${frame.size} bytes)`);
  if (listed.totalFrames === 0) throw new Error(`no frames under reference-frames/${userId}/`);

  // 2. generate_videos: waits for the run, as the original did.
  const started = Date.now();
  const generated = await post(
    {
      action: "generate_videos",
      userId,
      sessionId,
      frameAspectRatio: "1280:720",
      prompt: "Smooth cinematic motion with natural lighting",
      batchSize: 3,
    },
    "generate_videos",
  );
  const data = generated.data;
  console.log(
    `generate_videos: session ${data.sessionId}, ${data.completedCount} of ${data.totalFrames} clips ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const url of data.generatedVideoUrls) console.log(`  ${new URL(url).pathname}`);
  if (data.completedCount !== data.totalFrames) throw new Error("some clips were not made");

  // 3. prepare_merge: the server merges the clips (no client-side merge).
  const merged = await post(
    { action: "prepare_merge", userId, sessionId: data.sessionId, videoClipUrls: data.generatedVideoUrls },
    "prepare_merge",
  );
  const mergedVideoUrl = merged.data.mergedVideoUrl;

  // The link works: fetch it as a browser would.
  const film = await fetch(mergedVideoUrl);
  if (!film.ok) throw new Error(`fetching the merged video answered HTTP ${film.status}`);
  const bytes = (await film.arrayBuffer()).byteLength;
  console.log(`prepare_merge: ${bytes} bytes (${film.headers.get("content-type")})`);
  console.log(`merged video URL: ${mergedVideoUrl}`);
}

main().catch((error) => {
  console.error(`demo-serve: ${error.message}`);
  process.exit(1);
});
