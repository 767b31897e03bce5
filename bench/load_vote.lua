-- wrk script of bench/load.py: every request is another resident's vote (POST with their session cookie
-- and CSRF token), read from the file named by the first argument ("path<TAB>cookie<TAB>body" a line)
-- from the line given by the third (0 first; the warm-up used the lines before it); with N threads
-- (second argument), thread k takes lines k, k+N, ... after it, so no resident votes twice.
dofile("load_report.lua")

local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
end

function init(args)
  local threads, first = tonumber(args[2] or "1"), tonumber(args[3] or "0")
  voters, next_voter = {}, 1
  local n = 0
  for line in io.lines(args[1]) do
    if n >= first and (n - first) % threads == id then
      local path, cookie, body = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
      voters[#voters + 1] = wrk.format("POST", path, {["Cookie"] = cookie, ["User-Agent"] = "load-bench",
        ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
    end
    n = n + 1
  end
  assert(#voters > 0, "no voters left in " .. args[1])
end

function request()
  local vote = voters[next_voter]
  next_voter = next_voter % #voters + 1  -- past the last voter it starts again: load.py says if that happened
  return vote
end
