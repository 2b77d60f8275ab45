import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchCommand } from "../../scripts/bench";
import { CommandSpec, parseArgs, runCli, UsageError } from "../../scripts/cli";
import { docsCommand } from "../../scripts/configReference";
import { mirrorCommand } from "../../scripts/mirror";
import { planCommand } from "../../scripts/plan";
import { committedStacks, projectRoot } from "../../scripts/plan/stackFile";
import { parseRecoverArgs, recoverCommand } from "../../scripts/recover";
import { stacksCommand } from "../../scripts/stacks";
import { testCommand } from "../../scripts/test";
import { childNodeFlags } from "../helpers";

const commands: [string, CommandSpec][] = [
  ["plan", planCommand],
  ["recover", recoverCommand],
  ["bench", benchCommand],
  ["docs:config", docsCommand],
  ["mirror", mirrorCommand],
  ["scripts/stacks.ts", stacksCommand],
  ["npm test", testCommand],
];

/** Runs runCli in this process with process.exit and the console captured; main must report if it ran. */
async function run(spec: CommandSpec, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let ran = false;
  const exit = new Promise<number>((resolve) => {
    jest.spyOn(process, "exit").mockImplementation(((code?: number) => resolve(code ?? 0)) as never);
  });
  jest.spyOn(console, "log").mockImplementation((text: string) => void out.push(text));
  jest.spyOn(console, "error").mockImplementation((text: string) => void err.push(text));
  runCli(spec, () => {
    ran = true;
    return 0;
  }, argv);
  const code = await exit;
  jest.restoreAllMocks();
  return { code, out: out.join("\n"), err: err.join("\n"), ran };
}

describe.each(commands)("%s", (_name, spec) => {
  it("answers --help with its usage and every option, exit 0, and does nothing else", async () => {
    const result = await run(spec, ["--help"]);
    expect(result).toMatchObject({ code: 0, ran: false, err: "" });
    expect(result.out).toMatch(/^usage: /);
    for (const option of spec.options) expect(result.out).toContain(`--${option.name}`);
  });

  it("answers a wrong argument with the usage and one line saying what was wrong, exit 2, no stack trace", async () => {
    const result = await run(spec, ["--no-such-option"]);
    expect(result).toMatchObject({ code: 2, ran: false, out: "" });
    expect(result.err).toMatch(/^usage: /);
    expect(result.err.trimEnd().split("\n").pop()).toBe("error: unknown option --no-such-option");
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});

test("the usage of the commands that take a stack lists the committed stacks", async () => {
  for (const spec of [planCommand, recoverCommand, benchCommand, stacksCommand]) {
    expect((await run(spec, ["--help"])).out).toContain(`committed stacks: ${committedStacks().join(", ")}`);
  }
});

describe("parseArgs", () => {
  test("--stack=prod is --stack prod", () => {
    expect(parseArgs(planCommand, ["--stack=prod", "--width=100"])).toEqual(parseArgs(planCommand, ["--stack", "prod", "--width", "100"]));
    expect(parseRecoverArgs(["--stack=prod", "--execute"])).toEqual({ stack: "prod", backupName: undefined, fromReplica: false, regionLoss: false, explain: false, execute: true });
  });

  test.each([
    [["--stack"], "--stack needs a value (NAME)"],
    [["--stack", "--out", "x"], "--stack needs a value (NAME)"],
    [["prod"], 'unexpected argument "prod"'],
    [["--stack", "prod", "--stack", "dev"], "--stack given twice"],
    [["--out", "x"], "--stack is required"],
    [["--stack", "no-such-stack"], "--stack no-such-stack: no such stack; committed stacks: "],
    [["--stack", "prod", "--format", "svg"], "--format svg: must be tree or mermaid"],
  ])("%j is a usage error: %s", (argv, message) => {
    expect(() => parseArgs(planCommand, argv)).toThrow(UsageError);
    expect(() => parseArgs(planCommand, argv)).toThrow(message);
  });

  test("a flag takes no value", () => {
    expect(() => parseArgs(recoverCommand, ["--stack", "prod", "--execute=yes"])).toThrow("--execute takes no value");
  });
});

describe("a real process", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const plan = (args: string[]) =>
    spawnSync(process.execPath, [...childNodeFlags, "-r", "sucrase/register/ts", "scripts/plan.ts", ...args], { cwd: projectRoot, encoding: "utf8" });

  it("npm run plan -- --help exits 0 and writes nothing, even with --out given", () => {
    const result = plan(["--stack", "prod", "--out", path.join(tmp, "out"), "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run plan --/);
    expect(fs.existsSync(path.join(tmp, "out"))).toBe(false);
  });

  it("a wrong argument exits 2 with the problem as the last line and no stack trace", () => {
    const result = plan(["--stack=nope"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split("\n").pop()).toMatch(/^error: --stack nope: no such stack; committed stacks: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
