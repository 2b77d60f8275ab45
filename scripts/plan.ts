/**
 * The offline plan: runs the real program for a committed stack on the Pulumi SDK's mock runtime, with no
 * cloud, no Pulumi CLI and no credentials, and writes what `pulumi up` would create.
 *
 *   npm run plan -- --stack prod [--out DIR]
 */
import * as path from "path";
import { ConfigError } from "../config";
import { renderTree, writePlan } from "./plan/output";
import { planStack } from "./plan/run";
import { committedStacks } from "./plan/stackFile";

function parseArgs(argv: string[]): { stack: string; out: string } {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`unexpected argument ${argv[i]}`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const stack = args.get("stack");
  if (!stack) throw new Error(`--stack is required; committed stacks: ${committedStacks().join(", ")}`);
  return { stack, out: path.resolve(args.get("out") ?? path.join("plan", stack)) };
}

async function main(): Promise<void> {
  const { stack, out } = parseArgs(process.argv.slice(2));
  const plan = await planStack(stack);
  console.log(renderTree(plan));
  const files = writePlan(plan, out);
  console.log(`\nWrote ${files.length} files to ${path.relative(process.cwd(), out) || "."}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || !(err instanceof Error) ? String(err instanceof Error ? err.message : err) : err.stack);
  process.exit(1);
});
