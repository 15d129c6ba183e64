-- wrk script of the order rows: POST /api/v1/orders for KEEL_BENCH_CUSTOMER, one unit of a random
-- product of KEEL_BENCH_PRODUCTS (comma-separated ids) per request. Counts the answers by status
-- (201 placed, 409 out of stock, 503 shed, anything else) and checks each 503 is a problem
-- document with Retry-After.
--
-- Latency of admitted requests apart from shed ones: wrk's histogram mixes every answer, and its
-- Lua API has no per-request clock nor says which connection answered. So each request carries an
-- `X-Request-Id` of its own (Keel echoes it, as does the baseline's order route), request() notes
-- the time it was sent (CLOCK_MONOTONIC through LuaJIT's ffi; wrk calls request() just before it
-- writes) and response() looks the id up. Answers that do not echo it are counted as untimed.

dofile(os.getenv("KEEL_BENCH_REPORT_LUA"))

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } keel_bench_timespec;
int clock_gettime(int clock_id, keel_bench_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local now = ffi.new("keel_bench_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
  return tonumber(now.tv_sec) * 1000000 + tonumber(now.tv_nsec) / 1000
end

local customer = os.getenv("KEEL_BENCH_CUSTOMER")
local products = {}
for id in string.gmatch(os.getenv("KEEL_BENCH_PRODUCTS") or "", "[^,]+") do
  products[#products + 1] = id
end
if not customer or #products == 0 then error("KEEL_BENCH_CUSTOMER and KEEL_BENCH_PRODUCTS are required") end

-- wrk.format() with a headers table drops the -H ones (the bearer token): copy them in.
local headers = {}
local sent = {}
local sequence = 0

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
end

function request()
  sequence = sequence + 1
  local id = "bench-" .. (tid or 0) .. "-" .. sequence
  headers["X-Request-Id"] = id
  local body = string.format(
    '{"customerId":"%s","items":[{"productId":"%s","quantity":1}]}',
    customer, products[math.random(#products)])
  sent[id] = now_us()
  return wrk.format("POST", wrk.path, headers, body)
end

-- Per-thread globals, read by done() through thread:get().
c201, c409, c503, cbad503, cother, untimed = 0, 0, 0, 0, 0, 0
admitted, shed = {}, {}

function response(status, response_headers, body)
  local id = header(response_headers, "x-request-id")
  local started = id and sent[id]
  local took
  if started then
    took = now_us() - started
    sent[id] = nil
  else
    untimed = untimed + 1
  end
  if status == 201 or status == 409 then
    if status == 201 then c201 = c201 + 1 else c409 = c409 + 1 end
    if took then admitted[#admitted + 1] = took end
  elseif status == 503 then
    c503 = c503 + 1
    if took then shed[#shed + 1] = took end
    if not well_formed_503(response_headers, body) then cbad503 = cbad503 + 1 end
  else
    cother = cother + 1
  end
end

local function percentiles(values)
  table.sort(values)
  local n = #values
  local function at(p)
    if n == 0 then return "null" end
    return string.format("%d", values[math.max(1, math.ceil(p / 100 * n))])
  end
  return string.format('{"count":%d,"p50":%s,"p99":%s,"max":%s}', n, at(50), at(99), at(100))
end

function done(summary, latency, requests)
  local n = { c201 = 0, c409 = 0, c503 = 0, cbad503 = 0, cother = 0, untimed = 0 }
  local all_admitted, all_shed = {}, {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(n) do n[name] = n[name] + thread:get(name) end
    for _, v in ipairs(thread:get("admitted")) do all_admitted[#all_admitted + 1] = v end
    for _, v in ipairs(thread:get("shed")) do all_shed[#all_shed + 1] = v end
  end
  emit(summary, latency, string.format(
    ',"answers":{"201":%d,"409":%d,"503":%d,"malformed503":%d,"other":%d,"untimed":%d}' ..
    ',"admittedUs":%s,"shedUs":%s',
    n.c201, n.c409, n.c503, n.cbad503, n.cother, n.untimed,
    percentiles(all_admitted), percentiles(all_shed)))
end
