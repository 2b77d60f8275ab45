/**
 * `npm test`: the type-check, lint and jest, announced by a line before they start, all started at once. The
 * type-check and lint use one core each and jest two (its two suites, test/suite.ts): side by side the cores stay busy
 * until jest ends (docs/decisions.md, issue 12 speed). The type-check's and lint's output is printed when each ends,
 * as a block; jest's is live. Exit code: the first phase (in that order) that failed, 0 when all passed.
 */
import { spawn } from "child_process";
import * as path from "path";
import { CommandSpec, runCli } from "./cli";
import { projectRoot } from "./plan/stackFile";

export const testCommand: CommandSpec = {
  command: "npm test --",
  summary: "Runs the whole suite: the type-check, lint and jest side by side.",
  options: [{ name: "no-jest", help: "only the type-check and lint" }],
};

interface Phase {
  name: string;
  command: string[];
}

/**
 * V8's garbage collector in one thread: by default it adds helper threads, which on two cores shared by three phases
 * only compete with the other phases; jest's suites took about 10% less CPU time so (docs/decisions.md, issue 12
 * speed, second pass). jest's workers inherit the flags. jest also gets a young generation of 64 MB instead of 16:
 * a plan makes many short-lived promises, and with the small one about a fifth of a suite's time went to scavenges
 * (measured for jest only; no gain for tsc or eslint; "Speed, third pass").
 */
const singleThreadedGc = "--single-threaded-gc";

/**
 * eslint also runs without V8's background compiler threads, as do the Node processes the tests start
 * (test/helpers.ts): eslint's 13.3 to 14.0 CPU-s become 11.3 to 11.9 (two runs each), while its wall time grows by
 * about 2 s, which side by side with the longer type-check and jest costs nothing. tsc took as much CPU either way
 * and much longer; jest was within the noise ("Speed, fourth pass").
 */
export const singleThreaded = "--single-threaded";

/** Each phase as the arguments of `node`; `npm run bench` measures the same command lines. */
export const phaseArguments = {
  typeCheck: [singleThreadedGc, require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"],
  lint: [singleThreaded, path.join(projectRoot, "node_modules", "eslint", "bin", "eslint.js"), "."],
  jest: [singleThreadedGc, "--max-semi-space-size=64", require.resolve("jest/bin/jest")],
};

function run(phase: Phase, buffered: boolean): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, phase.command, { cwd: projectRoot, stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => {
      if (output) process.stdout.write(output);
      console.log(`== ${phase.name}: ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve(code ?? 1);
    });
  });
}

async function main(jest: boolean): Promise<number> {
  const checks: Phase[] = [
    { name: "type-check (tsc --noEmit)", command: phaseArguments.typeCheck },
    { name: "lint (eslint .)", command: phaseArguments.lint },
  ];
  const jestPhase: Phase = { name: "jest (test/)", command: phaseArguments.jest };
  console.log(`== ${[...checks, ...(jest ? [jestPhase] : [])].map((c) => c.name).join(", ")}: side by side`);
  const codes = await Promise.all([...checks.map((phase) => run(phase, true)), ...(jest ? [run(jestPhase, false)] : [])]);
  return codes.find((code) => code !== 0) ?? 0;
}

if (require.main === module) runCli(testCommand, (args) => main(args["no-jest"] !== true));
