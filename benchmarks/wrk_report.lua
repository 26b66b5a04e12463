-- wrk script of benchmarks/run.py: rotates over the paths given after "--" (or requests the URL's own
-- path), and prints one JSON line with latency percentiles (ms), requests per second and errors.
-- An entry "POST <path> <body>" is sent as a POST with that body (search takes its words in the body).
--   wrk -t2 -c8 -d10s -s benchmarks/wrk_report.lua http://127.0.0.1:8765 -- '/api/v1/referrals/1/' ...

local paths = {}
local counter = 0

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
end

function request()
  if #paths == 0 then
    return wrk.format(nil)
  end
  counter = counter + 1
  local entry = paths[(counter % #paths) + 1]
  local path, body = string.match(entry, "^POST (%S+) (.*)$")
  if path then
    return wrk.format("POST", path, nil, body)
  end
  return wrk.format(nil, entry)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"mean_ms": %.3f, "max_ms": %.3f, "bytes": %d, "non_2xx_3xx": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000, summary.bytes, errors.status, errors.connect,
    errors.read, errors.write, errors.timeout))
end
