// Preloaded into each measured process: on exit, writes its peak resident memory (KiB) where the benchmark asks.
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) require("fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
