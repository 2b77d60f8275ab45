/**
 * Benchmark: wall time and peak memory (medians of several runs) of planning each committed stack and of the
 * type-check, each in a fresh process as a user runs them. Optionally the whole jest suite once.
 *
 *   npm run bench [-- --runs 5] [-- --tests]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { committedStacks, projectRoot } from "./plan/stackFile";

interface Measurement {
  seconds: number;
  peakMb: number;
}

const peakMemoryHook = path.join(__dirname, "bench", "peakMemory.js");

function measure(args: string[]): Measurement {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "rss");
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", peakMemoryHook, ...args], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    const output = `${result.stdout.toString()}${result.stderr.toString()}`.split("\n").slice(-15).join("\n");
    throw new Error(`${args.join(" ")} failed (exit ${result.status}):\n${output}`);
  }
  return { seconds, peakMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function bench(label: string, args: string[], runs: number, target: string): void {
  const results = Array.from({ length: runs }, () => measure(args));
  const seconds = median(results.map((r) => r.seconds)).toFixed(2);
  const peak = median(results.map((r) => r.peakMb)).toFixed(0);
  console.log(`${label.padEnd(28)} ${seconds.padStart(7)} s ${peak.padStart(7)} MB   (${runs} runs; target ${target})`);
}

function main(): void {
  const argv = process.argv.slice(2);
  const runsIndex = argv.indexOf("--runs");
  const runs = runsIndex >= 0 ? Number(argv[runsIndex + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${argv[runsIndex + 1]}`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
  console.log(`${"what".padEnd(28)} ${"median".padStart(9)} ${"peak RSS".padStart(10)}   on ${os.cpus().length} cores, node ${process.version}`);
  for (const stack of committedStacks()) {
    bench(`plan ${stack}`, ["-r", "sucrase/register/ts", "scripts/plan.ts", "--stack", stack, "--out", path.join(out, stack)], runs, "< 2 s, < 400 MB");
  }
  bench("type-check (tsc --noEmit)", [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"], Math.min(runs, 3), "as small as it stays");
  if (argv.includes("--tests")) bench("npm test's jest suite", [require.resolve("jest/bin/jest"), "--silent"], 1, "< 60 s with type-check and lint");
  fs.rmSync(out, { recursive: true, force: true });
}

main();
