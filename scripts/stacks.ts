/**
 * Lists the committed stacks (Pulumi.<stack>.yaml) with their cloud and environment, as JSON for a GitHub
 * Actions matrix. The workflows read the stack list from here, so a new stack file is previewed, deployed and
 * checked for drift without editing a workflow.
 *
 *   npx ts-node scripts/stacks.ts [--environment production|development]   (--help for the usage)
 *   → [{"stack":"prod","cloud":"gcp","environment":"production","domain":"gitpod.example.com"}, ...]
 */
import { configNamespace } from "../config";
import { CommandSpec, runCli } from "./cli";
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

export const stacksCommand: CommandSpec = {
  command: "npx ts-node scripts/stacks.ts",
  summary: "Prints the committed stacks with their cloud, environment and domain as JSON (the workflows' matrix).",
  options: [
    {
      name: "environment",
      value: "production|development",
      help: "only the stacks of this environment",
      check: (v) => (["production", "development"].includes(v) ? undefined : "must be production or development"),
    },
  ],
  notes: () => [`committed stacks: ${committedStacks().join(", ")}`],
};

if (require.main === module) {
  runCli(stacksCommand, (args) => {
    console.log(JSON.stringify(listStacks(args.environment as string | undefined)));
  });
}
