-- wrk script of the order row: POST /api/v1/orders for KEEL_BENCH_CUSTOMER, one unit of a random
-- product of KEEL_BENCH_PRODUCTS (comma-separated ids). Reports through report.lua's done().

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
