-- wrk script of the read rows (bench/lib/load/wrk.mjs).
--
-- * KEEL_BENCH_IDS=/path/ids.txt (one id per line): each request asks for a random one of them,
--   appended to the URL's path (e.g. http://127.0.0.1:3000/api/v1/customers -> .../customers/<id>).
--   Without it the URL is requested as is, with wrk's static request (cheapest for wrk itself).
-- * KEEL_BENCH_CHECK_ANSWERS=1 (the smoke): response() counts answers (2xx, 503, other) and 503s
--   that are not a problem document with Retry-After. Off in measured runs: it costs wrk CPU.
-- * done() prints one line `WRK_JSON {...}`: requests, duration, latency percentiles (microseconds),
--   socket errors, wrk's non-2xx/3xx count (`errors.status`) and, when counted, "answers".
--   order.lua loads this file and replaces done() to add its own figures.

local ids_file = os.getenv("KEEL_BENCH_IDS")
local check_answers = os.getenv("KEEL_BENCH_CHECK_ANSWERS") == "1"
threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

if ids_file and ids_file ~= "" then
  local ids = {}
  for line in io.lines(ids_file) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  if #ids == 0 then error("no ids in " .. ids_file) end
  local count = #ids
  local prefix

  function init(args)
    prefix = wrk.path:gsub("/+$", "") .. "/"
    math.randomseed(os.time() * 1000 + (tid or 0))
  end

  function request()
    return wrk.format(nil, prefix .. ids[math.random(count)])
  end
end

-- Per-thread globals, read by done() through thread:get().
c2xx, c503, cbad503, cother = 0, 0, 0, 0

function header(headers, name)
  for key, value in pairs(headers) do
    if string.lower(key) == name then return value end
  end
  return nil
end

-- A shed answer (issue 10): 503, a problem document, with Retry-After.
function well_formed_503(headers, body)
  local type = header(headers, "content-type") or ""
  return string.find(type, "application/problem+json", 1, true) ~= nil
    and header(headers, "retry-after") ~= nil
    and string.find(body or "", '"status":503', 1, true) ~= nil
end

if check_answers then
  function response(status, headers, body)
    if status >= 200 and status < 300 then
      c2xx = c2xx + 1
    elseif status == 503 then
      c503 = c503 + 1
      if not well_formed_503(headers, body) then cbad503 = cbad503 + 1 end
    else
      cother = cother + 1
    end
  end
end

-- One line `WRK_JSON {...}` for bench/lib/load/wrk.mjs; `extra` is appended inside the object.
function emit(summary, latency, extra)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"rps":%.2f,' ..
    '"latencyUs":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}%s}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / seconds,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    e.connect, e.read, e.write, e.timeout, e.status, extra))
end

function done(summary, latency, requests)
  local answers = ""
  if check_answers then
    local ok, shed, bad, other = 0, 0, 0, 0
    for _, thread in ipairs(threads) do
      ok = ok + thread:get("c2xx")
      shed = shed + thread:get("c503")
      bad = bad + thread:get("cbad503")
      other = other + thread:get("cother")
    end
    answers = string.format(',"answers":{"2xx":%d,"503":%d,"malformed503":%d,"other":%d}',
      ok, shed, bad, other)
  end
  emit(summary, latency, answers)
end
