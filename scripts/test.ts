/**
 * `npm test`: the type-check and lint, then jest, each announced by a line before it starts. The type-check and
 * lint each use one core, so they run side by side (their output is printed when each ends, never interleaved);
 * jest then uses both cores. Exit code: the first phase that failed, 0 when all passed.
 */
import { spawn } from "child_process";
import * as path from "path";
import { CommandSpec, runCli } from "./cli";
import { projectRoot } from "./plan/stackFile";

export const testCommand: CommandSpec = {
  command: "npm test --",
  summary: "Runs the whole suite: the type-check and lint side by side, then jest.",
  options: [{ name: "no-jest", help: "only the type-check and lint" }],
};

interface Phase {
  name: string;
  command: string[];
}

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
    { name: "type-check (tsc --noEmit)", command: [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"] },
    { name: "lint (eslint .)", command: [path.join(projectRoot, "node_modules", "eslint", "bin", "eslint.js"), "."] },
  ];
  console.log(`== ${checks.map((c) => c.name).join(" and ")}, side by side`);
  const codes = await Promise.all(checks.map((phase) => run(phase, true)));
  const failed = codes.find((code) => code !== 0);
  if (failed !== undefined) return failed;
  if (!jest) return 0;
  console.log("== jest (test/)");
  return run({ name: "jest", command: [require.resolve("jest/bin/jest")] }, false);
}

if (require.main === module) runCli(testCommand, (args) => main(args["no-jest"] !== true));
