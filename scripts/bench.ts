/**
 * Benchmark: wall time, CPU time (user + system, the children included) and peak memory of what a user runs, each
 * in a fresh process: planning each committed stack and the type-check (medians of several runs), and with --tests
 * lint, the jest suite and the whole `npm test` once. A figure over its target is flagged; the exit code is 1 then.
 * CPU time is the fairer figure on a shared machine: wall time grows with the load of others, CPU time hardly.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandSpec, runCli } from "./cli";
import { committedStacks, projectRoot } from "./plan/stackFile";
import { phaseArguments } from "./test";

interface Measurement {
  seconds: number;
  cpuSeconds?: number;
  peakMb?: number;
}

interface Target {
  seconds: number;
  peakMb?: number;
}

export const benchCommand: CommandSpec = {
  command: "npm run bench --",
  summary: "Measures the offline plan of every committed stack and the type-check; with --tests also lint, jest and npm test.",
  options: [
    { name: "runs", value: "N", help: "runs per measurement, the median is shown (default 5)", check: (v) => (/^[1-9]\d*$/.test(v) ? undefined : "must be a whole number >= 1") },
    { name: "tests", help: "also measure lint, the jest suite and the whole npm test (once each; about two minutes)" },
  ],
  notes: () => [`committed stacks: ${committedStacks().join(", ")}`],
};

const peakMemoryHook = path.join(__dirname, "bench", "peakMemory.js");

/** CPU seconds used by this process's finished children (Linux /proc; undefined elsewhere). */
function childrenCpuSeconds(): number | undefined {
  if (!fs.existsSync("/proc/self/stat")) return undefined;
  const fields = fs.readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /s, "").split(" ");
  // After the command name: field 16 cutime and 17 cstime of proc(5), here at index 13 and 14, in clock ticks (100/s).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function measure(command: string, args: string[], node = true, env: NodeJS.ProcessEnv = {}): Measurement {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "rss");
  const cpuBefore = childrenCpuSeconds();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, node ? ["--require", peakMemoryHook, ...args] : args, {
    cwd: projectRoot,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  if (result.status !== 0) {
    const output = `${result.stdout.toString()}${result.stderr.toString()}`.split("\n").slice(-15).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${output}`);
  }
  const peakMb = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, "utf8")) / 1024 : undefined;
  return { seconds, cpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined, peakMb };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints one line; returns false when a figure misses its target. */
function report(label: string, results: Measurement[], target: Target): boolean {
  const seconds = median(results.map((r) => r.seconds));
  const cpu = results.every((r) => r.cpuSeconds !== undefined) ? median(results.map((r) => r.cpuSeconds as number)) : undefined;
  const peak = results.every((r) => r.peakMb !== undefined) ? median(results.map((r) => r.peakMb as number)) : undefined;
  const over = [seconds > target.seconds ? `wall > ${target.seconds} s` : "", peak !== undefined && target.peakMb !== undefined && peak > target.peakMb ? `peak > ${target.peakMb} MB` : ""].filter(Boolean);
  const figures = `${seconds.toFixed(2).padStart(7)} s ${cpu === undefined ? "      -" : cpu.toFixed(2).padStart(7)} s ${peak === undefined ? "      -" : peak.toFixed(0).padStart(7)} MB`;
  const goal = `target < ${target.seconds} s${target.peakMb ? `, < ${target.peakMb} MB` : ""}`;
  console.log(`${label.padEnd(26)} ${figures}   (${results.length} run${results.length > 1 ? "s" : ""}; ${goal})${over.length ? `  OVER TARGET: ${over.join(", ")}` : ""}`);
  return over.length === 0;
}

function main(runs: number, tests: boolean): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
  const node = process.execPath;
  const times = (n: number, run: () => Measurement) => Array.from({ length: n }, run);
  console.log(`${"what".padEnd(26)} ${"wall".padStart(9)} ${"user+sys".padStart(9)} ${"peak RSS".padStart(10)}   medians, on ${os.cpus().length} cores, node ${process.version}`);
  let ok = true;
  for (const stack of committedStacks()) {
    const args = ["-r", "sucrase/register/ts", "scripts/plan.ts", "--stack", stack, "--out", path.join(out, stack)];
    ok = report(`plan ${stack}`, times(runs, () => measure(node, args)), { seconds: 2, peakMb: 400 }) && ok;
  }
  // The phases as `npm test` runs them (phaseArguments): lint there runs without V8's compiler threads, which makes it
  // take longer alone and less CPU beside the others (scripts/test.ts).
  ok = report("type-check (in npm test)", times(Math.min(runs, 3), () => measure(node, phaseArguments.typeCheck)), { seconds: 15 }) && ok;
  if (tests) {
    ok = report("lint (in npm test)", [measure(node, phaseArguments.lint)], { seconds: 10 }) && ok;
    // Each with an empty transform cache, as on a fresh clone: a warm cache in /tmp would flatter the figure.
    const freshJestCache = () => ({ GITPOD_PLATFORM_JEST_CACHE: fs.mkdtempSync(path.join(out, "jest-cache-")) });
    ok = report("jest (fresh cache)", [measure(node, [...phaseArguments.jest, "--silent"], true, freshJestCache())], { seconds: 40 }) && ok;
    ok = report("npm test (fresh cache)", [measure("npm", ["test", "--silent"], false, freshJestCache())], { seconds: 60 }) && ok;
  }
  fs.rmSync(out, { recursive: true, force: true });
  return ok ? 0 : 1;
}

if (require.main === module) runCli(benchCommand, (args) => main(Number(args.runs ?? 5), args.tests === true));
