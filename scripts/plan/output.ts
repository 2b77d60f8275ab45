import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { keySettings, settingAt } from "./keySettings";
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

/** Writes resources.json, manifests/ and (when the program exports it) gitpod.config.yaml into dir. */
export function writePlan(plan: Plan, dir: string): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "manifests"), { recursive: true });
  const written = ["resources.json"];
  fs.writeFileSync(path.join(dir, "resources.json"), JSON.stringify(plan, null, 2) + "\n");
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
  return written;
}

/** The readable tree of components and resources with their key settings, for stdout. */
export function renderTree(plan: Plan): string {
  const children = new Map<string, PlannedResource[]>();
  for (const resource of plan.resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const protectedCount = plan.resources.filter((r) => r.options.protect).length;
  const custom = plan.resources.filter((r) => r.custom).length;
  const lines = [`${plan.project} / ${plan.stack}: ${custom} resources, ${protectedCount} protected`];
  const walk = (parent: string, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, index) => {
      const last = index === list.length - 1;
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${describe(resource)}`);
      walk(resource.urn, prefix + (last ? "   " : "│  "));
    });
  };
  const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (stack) walk(stack.urn, "");
  const outputs = Object.entries(plan.outputs).filter(([key]) => key !== "gitpodInstallerConfig");
  if (outputs.length > 0) {
    lines.push("", "Outputs:");
    for (const [key, value] of outputs) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  }
  return lines.join("\n");
}

function describe(resource: PlannedResource): string {
  const settings = (keySettings[resource.type] ?? [])
    .map((key) => [key, settingAt(resource.inputs, key)] as const)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([key, value]) => `${key.split(".").pop()}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
  const flags = resource.options.protect ? " [protected]" : "";
  return `${resource.type} ${resource.name}${flags}${settings.length ? `  (${settings.join(", ")})` : ""}`;
}
