/**
 * The disaster command: recreate a stack's lost cluster and restore Gitpod from Velero's backups.
 *
 *   npm run recover -- --stack prod                        dry run: the steps, and what would be replaced or deleted
 *   npm run recover -- --stack prod --execute              recover from the newest backup of the `gitpod` schedule
 *   npm run recover -- --stack prod --backup <name> --execute
 *   npm run recover -- --stack aws-prod --from-replica --execute   the primary region is down: read the replica (AWS, Azure)
 *   npm run recover -- --stack prod --region-loss [--execute]      the region is lost: manual steps, failover, rebuild
 *   npm run recover -- --stack prod --explain                      offline: what a recovery would do, from the committed config
 *
 * Without the Pulumi CLI on PATH the command explains instead (scripts/recover/explain.ts), labelled as such.
 * Needs the Pulumi CLI, the stack's backend login and cloud credentials, like `pulumi up`. Exit code 0 when planned
 * or recovered, 2 when refused (a data or protected resource would be lost), 1 when a step failed.
 * The steps and their checks are in scripts/recover/steps.ts; the runbook is docs/disaster-recovery.md.
 */
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline/promises";
import { CommandSpec, parseArgs, ParsedArgs, runCli, UsageError } from "./cli";
import { committedStacks, projectRoot } from "./plan/stackFile";
import { explainRecovery } from "./recover/explain";
import { automationStack } from "./recover/stack";
import { exitCode, recover, Reporter } from "./recover/steps";

interface Args {
  stack: string;
  backupName?: string;
  fromReplica: boolean;
  regionLoss: boolean;
  explain: boolean;
  execute: boolean;
}

export const recoverCommand: CommandSpec = {
  command: "npm run recover --",
  summary:
    "Recreates a stack's lost cluster and restores Gitpod from Velero's backups; without --execute a dry run that shows the\n" +
    "steps and what would be replaced. Needs the Pulumi CLI, the stack's backend login and cloud credentials.",
  options: [
    { name: "stack", value: "NAME", required: true, help: "the stack to recover (Pulumi.<NAME>.yaml)" },
    {
      name: "backup",
      value: "NAME",
      help: "the Velero backup to restore (default: the newest of the gitpod schedule)",
      check: (v) => (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) ? undefined : "must be a Velero backup name (lowercase letters, digits, '-' and '.')"),
    },
    { name: "from-replica", help: "the primary region is down: read the backups from the replica (AWS, Azure)" },
    { name: "region-loss", help: "the region is lost: list the manual steps, fail over to backup.replicaRegion, rebuild there" },
    { name: "explain", help: "offline: explain what a recovery would do, from the committed config (also without the Pulumi CLI)" },
    { name: "execute", help: "do it (default: dry run)" },
  ],
  notes: () => [
    `committed stacks: ${committedStacks().join(", ")}`,
    "exit code: 0 planned or recovered, 1 a step failed, 2 refused (a data or protected resource would be lost) or a wrong argument.",
    "runbook: docs/disaster-recovery.md",
  ],
};

/** The recover arguments from argv; throws a UsageError (with what was wrong) on anything else. */
export function parseRecoverArgs(argv: string[]): Args {
  const args = parseArgs(recoverCommand, argv);
  if (args === "help") throw new UsageError("--help is handled by runCli");
  return toArgs(args);
}

function toArgs(args: ParsedArgs): Args {
  if (args.explain === true && args.execute === true) throw new UsageError("--explain changes nothing; leave out --execute");
  return {
    stack: String(args.stack),
    backupName: args.backup as string | undefined,
    fromReplica: args["from-replica"] === true,
    regionLoss: args["region-loss"] === true,
    explain: args.explain === true,
    execute: args.execute === true,
  };
}

const terminal: Reporter = {
  step: (text) => console.log(`\n==> ${text}`),
  info: (text) => console.log(text),
  warn: (text) => console.error(`!!  ${text}`),
  async ask(question) {
    if (!process.stdin.isTTY) {
      console.error(`??  ${question} (no terminal to answer on: taken as no)`);
      return false;
    }
    const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await prompt.question(`??  ${question} [y/N] `)).trim());
    } finally {
      prompt.close();
    }
  },
};

/** Whether an executable `pulumi` is on PATH. */
function pulumiOnPath(): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi")));
}

async function main(args: Args): Promise<number> {
  const source = { backupName: args.backupName, fromReplica: args.fromReplica, regionLoss: args.regionLoss };
  if (args.explain || !pulumiOnPath()) {
    if (args.execute) throw new Error("The Pulumi CLI is not installed or not on PATH (https://www.pulumi.com/docs/install/): --execute needs it");
    if (!args.explain) console.log("The Pulumi CLI is not on PATH: explaining from the committed config instead.\n");
    console.log((await explainRecovery(args.stack, source)).join("\n"));
    return 0;
  }
  const stack = await automationStack(args.stack, projectRoot, (text) => process.stdout.write(text));
  const outcome = await recover(stack, { ...source, execute: args.execute }, terminal);
  return exitCode(outcome);
}

if (require.main === module) runCli(recoverCommand, (parsed) => main(toArgs(parsed)));
