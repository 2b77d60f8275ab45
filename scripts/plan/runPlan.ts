/**
 * What `npm run plan` does once its arguments are checked: plan the stack (or all of them), print the tree, the
 * diagram or the diff, and write the plan. Apart from scripts/plan.ts so that `--help` and a wrong argument are
 * answered without loading the program and its SDKs.
 */
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../config";
import { ParsedArgs } from "../cli";
import { renderObjectives } from "../recover/objectives";
import { basePlanFor, diffPlans, PlanDiff, plannedStacks, emptyPlan, renderDiffText, renderReportMarkdown } from "./diff";
import { renderMermaid } from "./diagram";
import { outDirProblem } from "./outDir";
import { renderTree, writePlan } from "./output";
import { Plan, planStack } from "./run";
import { markStandIns } from "./standIns";
import { committedStacks, projectName, projectRoot, readStackFile } from "./stackFile";

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
