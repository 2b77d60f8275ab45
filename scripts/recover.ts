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
import { projectRoot } from "./plan/stackFile";
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

/** Parses `--stack <name> [--backup <name>] [--from-replica] [--execute]`; throws with the usage on anything else. */
export function parseRecoverArgs(argv: string[]): Args {
  const usage = "usage: npm run recover -- --stack <name> [--backup <velero backup name>] [--from-replica] [--region-loss] [--explain] [--execute]";
  let stack: string | undefined;
  let backupName: string | undefined;
  let execute = false;
  let fromReplica = false;
  let regionLoss = false;
  let explain = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--execute") execute = true;
    else if (arg === "--from-replica") fromReplica = true;
    else if (arg === "--region-loss") regionLoss = true;
    else if (arg === "--explain") explain = true;
    else if ((arg === "--stack" || arg === "--backup") && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) {
      if (arg === "--stack") stack = argv[++i];
      else backupName = argv[++i];
    } else throw new Error(`unexpected argument ${arg}\n${usage}`);
  }
  if (!stack) throw new Error(`--stack is required\n${usage}`);
  if (backupName !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(backupName)) {
    throw new Error(`--backup ${backupName}: must be a Velero backup name (lowercase letters, digits, '-' and '.')`);
  }
  if (explain && execute) throw new Error(`--explain changes nothing; leave out --execute\n${usage}`);
  return { stack, backupName, fromReplica, regionLoss, explain, execute };
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

async function main(): Promise<number> {
  const args = parseRecoverArgs(process.argv.slice(2));
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

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (/ENOENT: pulumi/.test(message)) console.error("The Pulumi CLI is not installed or not on PATH: https://www.pulumi.com/docs/install/");
      else console.error(message);
      process.exit(1);
    },
  );
}
