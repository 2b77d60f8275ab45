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
import { CommandSpec, parseArgs, usage as usageOf, UsageError } from "./cli";
import { committedStacks, readStackFile } from "./plan/stackFile";

const tools = ["crane", "skopeo", "regctl"] as const;
type Tool = (typeof tools)[number];

export const mirrorCommand: CommandSpec = {
  command: "npm run mirror --",
  summary: "Lists Gitpod's images for a stack offline (source, target in its mirror, digest if pinned, moved or moving tags),\nor prints them as copy commands for an air-gapped install.",
  options: [
    { name: "stack", value: "NAME", required: true, help: "a committed stack (Pulumi.<NAME>.yaml)" },
    { name: "list", help: "every image: sources, target, digest, flags" },
    { name: "commands", help: "the same as copy commands (each source as a fallback)" },
    { name: "tool", value: "crane|skopeo|regctl", help: "with --commands: the copy tool (default crane)", check: (v) => (tools.includes(v as Tool) ? undefined : `must be one of ${tools.join(", ")}`) },
    {
      name: "repository",
      value: "REGISTRY/PATH",
      help: "copy into this registry instead of the stack's mirror (what you set as gitpod.imageRepository)",
      check: (v) =>
        /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(v) ? undefined : "must be a registry path without tag or trailing slash, e.g. registry.example.com/gitpod",
    },
  ],
  notes: () => [`committed stacks: ${committedStacks().join(", ")}`],
};
export const usage = usageOf(mirrorCommand);

export interface MirrorArgs {
  stack: string;
  mode: "list" | "commands";
  tool: Tool;
  repository?: string;
}

/** The shared parser's result, with the rules across options: one of --list and --commands; --tool with --commands. */
export function parseMirrorArgs(argv: string[]): MirrorArgs | "help" {
  const args = parseArgs(mirrorCommand, argv);
  if (args === "help") return "help";
  if (args.list && args.commands) throw new UsageError("--list and --commands exclude each other");
  if (!args.list && !args.commands) throw new UsageError("one of --list or --commands is required");
  if (args.tool !== undefined && !args.commands) throw new UsageError("--tool goes with --commands");
  const repository = args.repository as string | undefined;
  return { stack: String(args.stack), mode: args.list ? "list" : "commands", tool: (args.tool ?? "crane") as Tool, ...(repository ? { repository } : {}) };
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
