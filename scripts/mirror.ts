/**
 * Gitpod's images for a stack, offline (no cloud, no registry):
 *
 *   npm run mirror -- --stack prod --list                 every image: source(s), target, digest if pinned, flags
 *   npm run mirror -- --stack prod --commands [--tool crane|skopeo|regctl] [--repository <registry/path>]
 *                                                         the same as copy commands, for an air-gapped install
 *
 * The targets are the mirror the stack installs from (the installer's `repository`), named as `installer mirror list`
 * names them. `--repository` names another registry (the one you set as gitpod.imageRepository for an air gap).
 * Exit code 0 on success, 2 on a bad argument (with the usage), 1 when the stack's config is invalid.
 */
import { parseStackConfig, StackConfig } from "../config";
import { azureNames } from "../components/azure/settings";
import { resourceName } from "../components/gcp/naming";
import { MirrorEntry, mirrorPlan, upstreamRepository, wantsPlatformMirror } from "../components/gitpodImages/images";
import { committedStacks, readStackFile } from "./plan/stackFile";

export const usage = "usage: npm run mirror -- --stack <name> (--list | --commands [--tool crane|skopeo|regctl]) [--repository <registry/path>]";
const tools = ["crane", "skopeo", "regctl"] as const;
type Tool = (typeof tools)[number];

export interface MirrorArgs {
  stack: string;
  mode: "list" | "commands";
  tool: Tool;
  repository?: string;
}

export class UsageError extends Error {}

/** A small local parser (to be replaced by the shared one in scripts/ when it lands): flags with values, two modes. */
export function parseMirrorArgs(argv: string[]): MirrorArgs | "help" {
  const values: Record<string, string> = {};
  let mode: MirrorArgs["mode"] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--list" || arg === "--commands") {
      const next = arg === "--list" ? "list" : "commands";
      if (mode && mode !== next) throw new UsageError("--list and --commands exclude each other");
      mode = next;
    } else if (arg === "--stack" || arg === "--tool" || arg === "--repository") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      values[arg.slice(2)] = value;
      i++;
    } else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  if (!values.stack) throw new UsageError("--stack is required");
  if (!mode) throw new UsageError("one of --list or --commands is required");
  const tool = (values.tool ?? "crane") as Tool;
  if (!tools.includes(tool)) throw new UsageError(`--tool ${JSON.stringify(values.tool)}: must be one of ${tools.join(", ")}`);
  if (values.tool && mode !== "commands") throw new UsageError("--tool goes with --commands");
  if (values.repository !== undefined && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(values.repository)) {
    throw new UsageError(`--repository ${JSON.stringify(values.repository)}: must be a registry path without tag or trailing slash, e.g. registry.example.com/gitpod`);
  }
  return { stack: values.stack, mode, tool, ...(values.repository ? { repository: values.repository } : {}) };
}

/** The mirror a stack installs from, as far as it is known before the first `pulumi up`. */
export function stackMirrorRepository(stack: string, config: StackConfig): { repository: string; note: string } {
  const gitpod = config.gitpod;
  const mirrored = wantsPlatformMirror(gitpod, config.environment);
  const note = mirrored ? "installs from this mirror (the copy Job fills it at `pulumi up`)" : "";
  if (gitpod.imageRepository !== upstreamRepository) return { repository: gitpod.imageRepository, note: "installs from gitpod.imageRepository, which you fill" };
  const upstreamNote = "pulls from upstream (gitpod.mirror.enabled is false or this is a development stack); the platform's mirror would be";
  switch (config.cloud) {
    case "gcp":
      return {
        repository: `${config.gcp.region}-docker.pkg.dev/${config.gcp.project}/${resourceName(stack, "images")}/mirror`,
        note: mirrored ? note : upstreamNote,
      };
    case "azure":
      return { repository: `${azureNames(stack, config.azure).registry}.azurecr.io/gitpod/mirror`, note: mirrored ? note : upstreamNote };
    case "aws":
      return {
        repository: "public.ecr.aws/<registry alias>/gitpod",
        note: `${mirrored ? note : upstreamNote}; ECR Public names the alias at the first \`pulumi up\`: pulumi stack output gitpodInstallerConfig shows it`,
      };
    case "existing": {
      const registry = config.existing.registry;
      if (registry.kind === "external") return { repository: `${registry.url}/mirror`, note: mirrored ? note : upstreamNote };
      return { repository: "<your registry>/gitpod", note: "has no registry to mirror into (in-cluster registry): name one with --repository" };
    }
  }
}

/** `--list`: one line per image. */
export function listLines(plan: MirrorEntry[]): string[] {
  const rows = plan.map((entry) => [
    entry.sources.join(" | "),
    entry.target,
    entry.digest ?? "unpinned",
    [
      entry.knownMoved ? `moved${entry.movedVerified ? "" : " (new location unverified)"}` : "",
      entry.policy === "pinned" ? `moving tag, pinned to ${entry.sources[0].split(":").pop()}` : entry.policy === "copyOnce" ? "moving tag, copied once" : "",
      entry.when === "always" ? "" : `when ${entry.when}`,
    ]
      .filter(Boolean)
      .join("; "),
  ]);
  const header = ["SOURCE (first that answers)", "TARGET", "DIGEST", "NOTES"];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join("  ").trimEnd());
}

/** `--commands`: a POSIX shell script copying every image with a standard tool, each source tried in turn. */
export function copyCommands(plan: MirrorEntry[], tool: Tool): string[] {
  const copy = (from: string, to: string) =>
    tool === "crane" ? `crane copy ${from} ${to}` : tool === "skopeo" ? `skopeo copy --all docker://${from} docker://${to}` : `regctl image copy ${from} ${to}`;
  return [
    "#!/bin/sh",
    `# Copies Gitpod's images (all platforms, digests kept) with ${tool}. Log in to the target registry first.`,
    'failed=""',
    ...plan.map((entry) => `${entry.sources.map((source) => copy(source, entry.target)).join(" || ")} || failed="$failed ${entry.target}"`),
    'if [ -n "$failed" ]; then echo "not copied:$failed" >&2; exit 1; fi',
  ];
}

export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  let args: MirrorArgs | "help";
  try {
    args = parseMirrorArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(usage);
    err(`error: ${error.message}`);
    return 2;
  }
  if (args === "help") {
    out(usage);
    out(`stacks: ${committedStacks().join(", ")}`);
    return 0;
  }
  let config: StackConfig;
  try {
    config = parseStackConfig(readStackFile(args.stack).values);
  } catch (error) {
    err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const stackMirror = stackMirrorRepository(args.stack, config);
  const repository = args.repository ?? stackMirror.repository;
  if (args.mode === "commands" && repository.includes("<")) {
    err(usage);
    err(`error: the stack's mirror is not known offline (${repository}); name it with --repository`);
    return 2;
  }
  const plan = mirrorPlan(repository);
  const about = args.repository ? `into ${repository}` : `stack ${args.stack} ${stackMirror.note}: ${repository}`;
  if (args.mode === "list") {
    out(`# Gitpod ${config.gitpod.version} images (${plan.length}), ${about}`);
    listLines(plan).forEach((line) => out(line));
  } else {
    copyCommands(plan, args.tool).forEach((line, i) => out(i === 1 ? `${line}\n# ${about}` : line));
  }
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
