-- wrk script of the order row: POST /api/v1/orders for KEEL_BENCH_CUSTOMER, one unit of a random
-- product of KEEL_BENCH_PRODUCTS (comma-separated ids). Counts the answers by status (201 placed,
-- 409 out of stock, anything else) per thread; report.lua's done() sums them into WRK_JSON.

dofile(os.getenv("KEEL_BENCH_REPORT_LUA"))

local customer = os.getenv("KEEL_BENCH_CUSTOMER")
local products = {}
for id in string.gmatch(os.getenv("KEEL_BENCH_PRODUCTS") or "", "[^,]+") do
  products[#products + 1] = id
end
if not customer or #products == 0 then error("KEEL_BENCH_CUSTOMER and KEEL_BENCH_PRODUCTS are required") end

-- wrk.format() with a headers table drops the -H ones (the bearer token): copy them in.
local headers = {}

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
end

function request()
  local body = string.format(
    '{"customerId":"%s","items":[{"productId":"%s","quantity":1}]}',
    customer, products[math.random(#products)])
  return wrk.format("POST", wrk.path, headers, body)
end

-- Per-thread globals, read by done() through thread:get().
c201, c409, cother = 0, 0, 0

function response(status, headers, body)
  if status == 201 then
    c201 = c201 + 1
  elseif status == 409 then
    c409 = c409 + 1
  else
    cother = cother + 1
  end
end
