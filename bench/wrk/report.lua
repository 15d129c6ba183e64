-- wrk script shared by every bench row.
--
-- * KEEL_BENCH_IDS=/path/ids.txt (one id per line): each request asks for a random one of them,
--   appended to the URL's path (e.g. http://127.0.0.1:3000/api/v1/customers -> .../customers/<id>).
--   Without it the URL is requested as is, with wrk's static request (cheapest for wrk itself).
-- * done() prints one line `WRK_JSON {...}` for bench/run.mjs: requests, duration, latency
--   percentiles (microseconds), socket errors and wrk's non-2xx/3xx count (`errors.status`); with a
--   script that counts answers per thread (order.lua: c201, c409, cother), also "answers".

local ids_file = os.getenv("KEEL_BENCH_IDS")
local threads = {}
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

function done(summary, latency, requests)
  local e = summary.errors
  local answers = ""
  if threads[1] and threads[1]:get("c201") ~= nil then
    local c201, c409, cother = 0, 0, 0
    for _, thread in ipairs(threads) do
      c201 = c201 + thread:get("c201")
      c409 = c409 + thread:get("c409")
      cother = cother + thread:get("cother")
    end
    answers = string.format(',"answers":{"201":%d,"409":%d,"other":%d}', c201, c409, cother)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"rps":%.2f,' ..
    '"latencyUs":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}%s}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / seconds,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    e.connect, e.read, e.write, e.timeout, e.status, answers))
end
