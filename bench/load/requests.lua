-- wrk script for bench/load/run: replays prepared requests round-robin.
--
-- REQUESTS names a file of records "METHOD PATH\nBYTES\nBODY" (BYTES = length of BODY; written by
-- prepare.py). Every wrk thread formats all requests once in init(), so the Lua cost per request is
-- a table lookup (wrk shares the machine's cores with the server). Each thread starts at its own
-- offset so threads do not send the same request at the same moment. done() appends one JSON line
-- with requests/s and latency percentiles to RESULT (or prints it when RESULT is unset).

local function load_requests(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  local out, pos = {}, 1
  while pos <= #data do
    local nl = data:find("\n", pos, true)
    local method, target = data:sub(pos, nl - 1):match("^(%S+) (%S+)$")
    local nl2 = data:find("\n", nl + 1, true)
    local len = tonumber(data:sub(nl + 1, nl2 - 1))
    local body = data:sub(nl2 + 1, nl2 + len)
    local headers = {["Content-Type"] = (target:find("_bulk", 1, true) and "application/x-ndjson" or "application/json")}
    out[#out + 1] = wrk.format(method, target, headers, body)
    pos = nl2 + len + 1
  end
  return out
end

local counter = 1
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests_ = load_requests(os.getenv("REQUESTS"))
  counter = (tid * 7919) % #requests_ + 1
end

function request()
  local r = requests_[counter]
  counter = counter + 1
  if counter > #requests_ then counter = 1 end
  return r
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local line = string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout)
  local out = os.getenv("RESULT")
  if out and out ~= "" then
    local f = assert(io.open(out, "a"))
    f:write(line)
    f:close()
  else
    io.write(line)
  end
end
