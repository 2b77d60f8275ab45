/**
 * Lists the committed stacks (Pulumi.<stack>.yaml) with their cloud and environment, as JSON for a GitHub
 * Actions matrix. The workflows read the stack list from here, so a new stack file is previewed, deployed and
 * checked for drift without editing a workflow.
 *
 *   npx ts-node scripts/stacks.ts [--environment production|development]
 *   → [{"stack":"prod","cloud":"gcp","environment":"production","domain":"gitpod.example.com"}, ...]
 */
import { configNamespace } from "../config";
import { committedStacks, projectRoot, readStackFile } from "./plan/stackFile";

export interface StackEntry {
  stack: string;
  /** `gitpod-platform:cloud`: which cloud credentials the workflow must obtain. */
  cloud: string;
  /** `gitpod-platform:environment`: development stacks deploy first, production ones behind approval. */
  environment: string;
  /** `gitpod-platform:domain`: shown as the deployment's URL. */
  domain: string;
}

/** Every committed stack, in name order, optionally only those of one environment. */
export function listStacks(environment?: string, root = projectRoot): StackEntry[] {
  return committedStacks(root)
    .map((stack) => {
      const { values } = readStackFile(stack, root);
      const value = (key: string) => values[`${configNamespace}:${key}`] ?? "";
      return { stack, cloud: value("cloud"), environment: value("environment"), domain: value("domain") };
    })
    .filter((entry) => environment === undefined || entry.environment === environment);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const index = argv.indexOf("--environment");
  if (argv.length > 0 && (index !== 0 || argv.length !== 2)) {
    console.error("usage: ts-node scripts/stacks.ts [--environment production|development]");
    process.exit(2);
  }
  console.log(JSON.stringify(listStacks(index === 0 ? argv[1] : undefined)));
}
