import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { markOutDir, prepareOutDir } from "./outDir";
import { keySettings, settingAt } from "./keySettings";
import { renderDiagramMarkdown } from "./diagram";
import { describeCounts, planCounts } from "./counts";
import { poolLines } from "./pools";
import { Plan, PlannedResource } from "./run";

/** Kubernetes objects declared directly (not Helm releases, not provider resources). */
export function kubernetesObjects(plan: Plan): PlannedResource[] {
  return plan.resources.filter(
    (r) => r.custom && /^kubernetes:[^:]+\/v[^:]*:[^:]+$/.test(r.type) && !r.type.startsWith("kubernetes:helm.sh/"),
  );
}

/** A stable file name for a Kubernetes object: kind-namespace-name.yaml. */
export function manifestFileName(object: PlannedResource): string {
  const metadata = (object.inputs.metadata ?? {}) as { name?: string; namespace?: string };
  const kind = object.type.split(":").pop() ?? "object";
  return [kind, metadata.namespace, metadata.name ?? object.name]
    .filter(Boolean)
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .concat(".yaml");
}

/**
 * Writes resources.json, diagram.md (scripts/plan/diagram.ts), manifests/ and (when the program exports it) gitpod.config.yaml into dir, replacing a
 * previous plan there; refuses a directory that holds anything else (scripts/plan/outDir.ts).
 */
export function writePlan(plan: Plan, dir: string): string[] {
  prepareOutDir(dir);
  fs.mkdirSync(path.join(dir, "manifests"), { recursive: true });
  const written = ["resources.json", "diagram.md"];
  fs.writeFileSync(path.join(dir, "diagram.md"), renderDiagramMarkdown(plan));
  fs.writeFileSync(path.join(dir, "resources.json"), JSON.stringify({ ...plan, counts: planCounts(plan) }, null, 2) + "\n");
  for (const object of kubernetesObjects(plan)) {
    const file = path.join("manifests", manifestFileName(object));
    fs.writeFileSync(path.join(dir, file), YAML.stringify(object.inputs, { sortMapEntries: false }));
    written.push(file);
  }
  const gitpodConfig = plan.outputs.gitpodInstallerConfig;
  if (typeof gitpodConfig === "string") {
    fs.writeFileSync(path.join(dir, "gitpod.config.yaml"), gitpodConfig);
    written.push("gitpod.config.yaml");
  }
  markOutDir(dir, written);
  return written;
}

export interface TreeOptions {
  /** Terminal width: longer lines wrap onto indented continuation lines. */
  width?: number;
}

/**
 * The readable tree of components and resources with their key settings, for stdout: under each cluster its zones,
 * under each node pool its machine type, zones and node counts. Lines wrap at the width (default 160).
 */
export function renderTree(plan: Plan, options: TreeOptions = {}): string {
  const width = options.width ?? 160;
  const children = new Map<string, PlannedResource[]>();
  for (const resource of plan.resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const extra = poolLines(plan);
  const lines = [`${plan.project} / ${plan.stack}: ${describeCounts(planCounts(plan))}`];
  const walk = (parent: string, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, index) => {
      const last = index === list.length - 1;
      const inner = prefix + (last ? "   " : "│  ");
      const below = children.has(resource.urn) ? "│  " : "   ";
      lines.push(...wrap(`${prefix}${last ? "└─ " : "├─ "}`, `${inner}${below}  `, describe(resource), width));
      for (const line of extra.get(resource.urn) ?? []) lines.push(...wrap(`${inner}${below}* `, `${inner}${below}    `, line, width));
      walk(resource.urn, inner);
    });
  };
  const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (stack) walk(stack.urn, "");
  const outputs = Object.entries(plan.outputs).filter(([key]) => key !== "gitpodInstallerConfig");
  if (outputs.length > 0) {
    lines.push("", "Outputs:");
    for (const [key, value] of outputs) lines.push(...wrap("  ", "      ", `${key}: ${JSON.stringify(value)}`, width));
  }
  return lines.join("\n");
}

/** Breaks text after first into lines of at most width characters, at spaces or commas where it can. */
export function wrap(first: string, rest: string, text: string, width: number): string[] {
  const lines: string[] = [];
  let prefix = first;
  let remaining = text;
  while (prefix.length + remaining.length > width) {
    const room = Math.max(width - prefix.length, 20);
    const cut = Math.max(remaining.lastIndexOf(" ", room), remaining.lastIndexOf(",", room - 1) + 1);
    const at = cut > room / 2 ? cut : room;
    lines.push(prefix + remaining.slice(0, at).trimEnd());
    remaining = remaining.slice(at).trimStart();
    prefix = rest;
  }
  lines.push(prefix + remaining);
  return lines;
}

function describe(resource: PlannedResource): string {
  const settings = (keySettings[resource.type] ?? [])
    .map((key) => [key, settingAt(resource.inputs, key)] as const)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([key, value]) => `${key.split(".").pop()}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
  const flags = [resource.options.protect ? "[protected]" : "", resource.custom ? "" : "[component]"].filter(Boolean).join(" ");
  return `${resource.type} ${resource.name}${flags ? ` ${flags}` : ""}${settings.length ? `  (${settings.join(", ")})` : ""}`;
}
