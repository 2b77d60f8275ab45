/**
 * The offline plan: runs the real program for a committed stack on the Pulumi SDK's mock runtime, with no
 * cloud, no Pulumi CLI and no credentials, and writes what `pulumi up` would create. `--help` has the options.
 * The program is loaded only once the arguments are accepted (scripts/plan/runPlan.ts).
 */
import { CommandSpec, runCli } from "./cli";
import { committedStacks } from "./plan/stackFile";

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

if (require.main === module) runCli(planCommand, async (args) => (await import("./plan/runPlan")).runPlan(args));
