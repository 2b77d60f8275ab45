/**
 * The offline plan: runs the real program for a committed stack on the Pulumi SDK's mock runtime, with no
 * cloud, no Pulumi CLI and no credentials, and writes what `pulumi up` would create. `--help` has the options.
 */
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../config";
import { CommandSpec, ParsedArgs, runCli } from "./cli";
import { basePlanFor, diffPlans, PlanDiff, plannedStacks, emptyPlan, renderDiffText, renderReportMarkdown } from "./plan/diff";
import { renderMermaid } from "./plan/diagram";
import { outDirProblem } from "./plan/outDir";
import { renderTree, writePlan } from "./plan/output";
import { Plan, planStack } from "./plan/run";
import { markStandIns } from "./plan/standIns";
import { committedStacks, projectName, projectRoot, readStackFile } from "./plan/stackFile";
import { renderObjectives } from "./recover/objectives";

export const planCommand: CommandSpec = {
  command: "npm run plan --",
  summary:
    "Plans a committed stack offline (Pulumi SDK mock runtime, no cloud, no credentials): prints the tree of components and\n" +
    "resources, and writes resources.json, manifests/, gitpod.config.yaml and diagram.md to the output directory.",
  options: [
    {
      name: "stack",
      value: "NAME",
      required: true,
      help: "a committed stack (Pulumi.<NAME>.yaml), or all: every committed stack, into OUT/<stack>/",
      check: (value) => (value === "all" || committedStacks().includes(value) ? undefined : `no such stack; committed stacks: ${committedStacks().join(", ")}`),
    },
    { name: "out", value: "DIR", help: "where to write the plan (default plan/<stack>, or plan/ for all); only an empty dir or a previous plan's" },
    { name: "diff", value: "BASE", help: "diff against BASE (a plan dir, or a dir of plan dirs by stack) and print the diff instead of the tree" },
    { name: "diff-out", value: "FILE", help: "with --diff: also write the diff as markdown (a pull-request comment) to FILE" },
    { name: "format", value: "tree|mermaid", help: "what to print: the tree (default) or a mermaid diagram of the components and their dependencies", check: (v) => (["tree", "mermaid"].includes(v) ? undefined : "must be tree or mermaid") },
    { name: "width", value: "COLUMNS", help: "wrap the tree's lines at this width (default 160)", check: (v) => (/^\d+$/.test(v) && Number(v) >= 40 ? undefined : "must be a whole number >= 40") },
  ],
  notes: () => [
    `committed stacks: ${committedStacks().join(", ")}`,
    "exit code: 0 when every stack planned (whatever a diff holds), 1 when a stack failed, 2 for a wrong argument.",
  ],
};

/** Console-like output of a run; tests pass their own. */
export interface PlanLog {
  log(text: string): void;
  error(text: string): void;
}

/** Plans the stack (or all of them) of the parsed arguments in root; returns the exit code. */
export async function runPlan(args: ParsedArgs, root = projectRoot, log: PlanLog = console): Promise<number> {
  const stack = String(args.stack);
  const out = path.resolve(typeof args.out === "string" ? args.out : stack === "all" ? "plan" : path.join("plan", stack));
  const diff = typeof args.diff === "string" ? path.resolve(args.diff) : undefined;
  const stacks = stack === "all" ? committedStacks(root) : [stack];
  const diffs: PlanDiff[] = [];
  const failed: string[] = [];
  const diagrams: [string, string][] = [];
  const dirOf = (name: string) => (stack === "all" ? path.join(out, name) : out);
  // Refused before any planning: --out never deletes what a plan did not write.
  for (const name of stacks) {
    const problem = outDirProblem(dirOf(name));
    if (problem) throw new Error(`--out ${path.relative(process.cwd(), dirOf(name)) || "."}: refused, ${problem}`);
  }
  for (const name of stacks) {
    let plan: Plan;
    try {
      plan = markStandIns(await planStack(name, { root }));
    } catch (err) {
      // Every stack is planned: each failure is reported under its stack's name, the exit code says it at the end.
      failed.push(name);
      log.error(`\n${name}: FAILED\n${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const dir = dirOf(name);
    // Read the base before writing: --out may be the --diff directory.
    diagrams.push([name, renderMermaid(plan)]);
    if (diff) diffs.push(diffPlans(basePlanFor(diff, name, plan.project), plan));
    else if (args.format === "mermaid") log.log(renderMermaid(plan));
    else log.log(`${renderTree(plan, { width: Number(args.width ?? 160) })}\n\n${renderObjectives(parseStackConfig(readStackFile(name, root).values)).join("\n")}`);
    const files = writePlan(plan, dir);
    log.log(`${diff ? "" : "\n"}Wrote ${files.length} files to ${path.relative(process.cwd(), dir) || "."}`);
  }
  if (diff) {
    // Stacks the base has and the head no longer commits: everything in them goes.
    if (stack === "all") {
      for (const gone of plannedStacks(diff).filter((name) => !stacks.includes(name))) {
        const base = basePlanFor(diff, gone, projectName(root));
        diffs.push(diffPlans(base, emptyPlan(base.project, gone)));
      }
    }
    for (const d of diffs) log.log(`\n${renderDiffText(d)}`);
    if (typeof args["diff-out"] === "string") {
      fs.mkdirSync(path.dirname(path.resolve(args["diff-out"])), { recursive: true });
      // The pull-request comment also draws each stack's components and their dependencies, folded.
      const footer = diagrams.map(([name, diagram]) => `<details><summary>Diagram of <code>${name}</code></summary>\n\n${diagram}\n\n</details>\n`).join("\n");
      fs.writeFileSync(args["diff-out"], renderReportMarkdown(diffs, { footer }));
      log.log(`\nWrote the diff as markdown to ${args["diff-out"]}`);
    }
  }
  if (failed.length === 0) return 0;
  log.error(`\n${failed.length} of ${stacks.length} stacks failed to plan: ${failed.join(", ")}`);
  return 1;
}

if (require.main === module) runCli(planCommand, (args) => runPlan(args));
