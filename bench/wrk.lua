-- One endpoint for wrk, described by environment variables that bench/run.py sets.
-- BENCH_VARY names a form field whose value cycles through 0..100, so every slider
-- post is a real change rather than a repeat the server has already answered.
local body = os.getenv("BENCH_BODY")
local vary = os.getenv("BENCH_VARY")
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
wrk.headers["X-CSRFToken"] = os.getenv("BENCH_CSRF") or ""
if os.getenv("BENCH_HTMX") == "1" then
  wrk.headers["HX-Request"] = "true"
end
if body then
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local count = 0
function setup(thread)
  count = count + 1
  thread:set("offset", count * 37)
end

local n = 0
function request()
  if vary then
    n = n + 1
    return wrk.format(nil, nil, nil, body .. "&" .. vary .. "=" .. ((n + offset) % 101))
  end
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
