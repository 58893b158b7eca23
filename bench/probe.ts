/**
 * Preloaded (`--import ./bench/probe.ts`, with `--expose-gc`) into both servers the benchmark
 * measures, and only there: SIGUSR2 runs a full GC so idle RSS per connection is read without
 * the garbage of the handshakes. It adds nothing else to the measured process.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
});
