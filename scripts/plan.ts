/**
 * The offline plan: runs the real program for a committed stack on the Pulumi SDK's mock runtime, with no
 * cloud, no Pulumi CLI and no credentials, and writes what `pulumi up` would create.
 *
 *   npm run plan -- --stack prod [--out DIR]
 *   npm run plan -- --stack all [--out DIR]                  every committed stack, into DIR/<stack>/ (default plan/)
 *   npm run plan -- --stack prod --diff BASE [--diff-out FILE]
 *       also diffs the plan against BASE (a plan dir, or a dir of plan dirs by stack) and prints the diff;
 *       FILE gets the diff as markdown for a PR comment. Exit code 0 whatever the diff holds.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../config";
import { basePlanFor, diffPlans, PlanDiff, plannedStacks, emptyPlan, renderDiffText, renderReportMarkdown } from "./plan/diff";
import { renderTree, writePlan } from "./plan/output";
import { planStack } from "./plan/run";
import { committedStacks, projectName, readStackFile } from "./plan/stackFile";
import { renderObjectives } from "./recover/objectives";

interface Args {
  stack: string;
  out: string;
  diff?: string;
  diffOut?: string;
}

function parseArgs(argv: string[]): Args {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`unexpected argument ${argv[i]}`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const stack = args.get("stack");
  if (!stack) throw new Error(`--stack is required; committed stacks: ${committedStacks().join(", ")}`);
  const out = path.resolve(args.get("out") ?? (stack === "all" ? "plan" : path.join("plan", stack)));
  const diff = args.get("diff");
  return { stack, out, diff: diff && path.resolve(diff), diffOut: args.get("diff-out") };
}

async function main(): Promise<void> {
  const { stack, out, diff, diffOut } = parseArgs(process.argv.slice(2));
  const stacks = stack === "all" ? committedStacks() : [stack];
  const diffs: PlanDiff[] = [];
  for (const name of stacks) {
    const plan = await planStack(name);
    const dir = stack === "all" ? path.join(out, name) : out;
    // Read the base before writing: --out may be the --diff directory.
    if (diff) diffs.push(diffPlans(basePlanFor(diff, name, plan.project), plan));
    else console.log(`${renderTree(plan)}\n\n${renderObjectives(parseStackConfig(readStackFile(name).values)).join("\n")}`);
    const files = writePlan(plan, dir);
    console.log(`${diff ? "" : "\n"}Wrote ${files.length} files to ${path.relative(process.cwd(), dir) || "."}`);
  }
  if (!diff) return;
  // Stacks the base has and the head no longer commits: everything in them goes.
  if (stack === "all") {
    for (const gone of plannedStacks(diff).filter((name) => !stacks.includes(name))) {
      const base = basePlanFor(diff, gone, projectName());
      diffs.push(diffPlans(base, emptyPlan(base.project, gone)));
    }
  }
  for (const d of diffs) console.log(`\n${renderDiffText(d)}`);
  if (diffOut) {
    fs.mkdirSync(path.dirname(path.resolve(diffOut)), { recursive: true });
    fs.writeFileSync(diffOut, renderReportMarkdown(diffs));
    console.log(`\nWrote the diff as markdown to ${diffOut}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || !(err instanceof Error) ? String(err instanceof Error ? err.message : err) : err.stack);
  process.exit(1);
});
