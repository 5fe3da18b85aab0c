-- wrk's request for bench/serve/run.sh: the original app's list_frames by GET, for BENCH_USER, with BENCH_TOKEN as
-- the bearer token when set. At the end it prints one JSON line (latencies in milliseconds) for run.sh to read.
local user = os.getenv("BENCH_USER") or "user123"
local token = os.getenv("BENCH_TOKEN") or ""

wrk.method = "GET"
wrk.path = "/api/process_s3_video_workflow?action=list_frames&userId=" .. user
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f, ' ..
    '"non2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e.status, e.connect, e.read, e.write, e.timeout))
end
