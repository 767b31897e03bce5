-- wrk script of bench/load.py: prints the run as one line of JSON after "LOAD " (p95 is not in wrk's own report).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('LOAD {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"mean_us": %.1f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
