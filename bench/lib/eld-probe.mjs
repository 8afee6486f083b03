// Preloaded into the server process by the bench (`node --import ./bench/lib/eld-probe.mjs`), so
// (plain JS: the hash pool's worker threads inherit --import but not the tsx loader)
// the event-loop delay is measured inside the server without any endpoint in the product. It
// listens only when BENCH_PROBE_PORT is set, on loopback, in the main thread (never in the
// password-hash worker threads). A cluster worker listens on BENCH_PROBE_PORT + its id.
//   GET /reset  clears the histogram      GET /  answers {p50, p99, max, mean} in ms
import cluster from 'node:cluster'
import { createServer } from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'

const base = Number(process.env['BENCH_PROBE_PORT'] ?? '0')
const worker = cluster.worker
// The cluster primary serves no requests; its loop is not the one that matters.
const serving =
  isMainThread && base > 0 && (cluster.isPrimary ? !process.argv.includes('--workers') : true)

if (serving) {
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  const ms = (ns) => Math.round(ns / 1e4) / 100
  const probe = createServer((request, response) => {
    if (request.url === '/reset') histogram.reset()
    response.setHeader('content-type', 'application/json')
    response.end(
      JSON.stringify({
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        mean: ms(histogram.mean),
      }),
    )
  })
  probe.listen(base + (worker?.id ?? 0), '127.0.0.1')
  probe.unref() // never keeps the server alive past its own shutdown
}
