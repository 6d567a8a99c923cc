-- wrk script: POST the credentials in CREDENTIALS_FILE (one JSON document per line) to the URL,
-- round-robin, each thread starting at its own place in the list; count the answers by status
-- and the 200s whose report says genuine, and print them with how often the list went round.
local bodies = {}
for line in io.lines(os.getenv("CREDENTIALS_FILE")) do
  if #line > 0 then bodies[#bodies + 1] = line end
end

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

local requests, next_one
function init(args)
  -- Formatted once: the load generator shares the cores with the server.
  requests = {}
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Accept"] = "application/json"}, body)
  end
  next_one = (id * 613) % #bodies + 1
  statuses, genuine, answers = {}, 0, 0
end

function request()
  local r = requests[next_one]
  next_one = next_one % #requests + 1
  return r
end

function response(status, headers, body)
  answers = answers + 1
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 and body:find('"outcome":"genuine"', 1, true) then genuine = genuine + 1 end
end

function done(summary, latency, requests)
  local total, good, by_status = 0, 0, {}
  for _, t in ipairs(threads) do
    total = total + t:get("answers")
    good = good + t:get("genuine")
    for status, n in pairs(t:get("statuses")) do by_status[status] = (by_status[status] or 0) + n end
  end
  local non2xx, parts = 0, {}
  for status, n in pairs(by_status) do
    if status < 200 or status > 299 then non2xx = non2xx + n end
    parts[#parts + 1] = status .. ": " .. n
  end
  table.sort(parts)
  io.write(string.format("distinct credentials: %d; answers: %d (%s); 200 genuine: %d; not genuine: %d; non-2xx: %d; passes over the list: %.1f\n",
    #bodies, total, table.concat(parts, ", "), good, total - good, non2xx, total / #bodies))
end
