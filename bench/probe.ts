/**
 * Preloaded (`--import ./bench/probe.ts`, with `--expose-gc`) into both servers the benchmark
 * measures, and only there: SIGUSR2 runs a full GC (so idle RSS per connection is read without
 * the garbage of the handshakes) and prints one `probe {json}` line of process.memoryUsage()
 * to stderr, which splits RSS into JS heap and native memory. It adds nothing else.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stderr.write(`probe ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
});
