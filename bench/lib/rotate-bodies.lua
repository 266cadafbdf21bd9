-- wrk script of bench/online and bench/online-peers: POSTs the JSON bodies of a file, one body
-- a line, in turn (each thread starts at its own place), to the URL given to wrk, and at the end
-- prints one line `WRK_RESULT {...}` with the figures the benches read.
-- Usage: wrk -t2 -c16 -d10s --latency -s bench/lib/rotate-bodies.lua URL -- BODIES.jsonl
--
-- wrk counts a response with a status of 400 or more as a status error, and connect, read,
-- write and timeout failures as socket errors; latencies are in microseconds.

local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

local prepared = {}
local position = 0

function init(args)
  local path = args[1]
  local file = assert(io.open(path or "", "r"), "cannot open the bodies file '" .. tostring(path) .. "'")
  local headers = { ["Content-Type"] = "application/json" }
  for line in file:lines() do
    if #line > 0 then
      prepared[#prepared + 1] = wrk.format("POST", nil, headers, line)
    end
  end
  file:close()
  assert(#prepared > 0, "no bodies in " .. path)
  position = (thread_number * math.floor(#prepared / 2)) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
