/**
 * Resource-level diff of two offline plans (resources.json), keyed by URN, and its renderers: markdown for a
 * pull-request comment, plain text for a terminal. diffPlans is pure; the file helpers at the end read plans.
 *
 * Secrets are "[secret]" in a plan already. A value that is, or was, a secret is reported as changed without
 * either value. Two "[secret]"s compare equal: the offline plan cannot see a secret's value change (it holds
 * placeholders anyway); `pulumi preview` on the real stack can.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanCounts, planCounts } from "./counts";
import { asStack } from "./roles";
import { Plan, PlannedResource } from "./run";
import { SECRET } from "./sanitize";

/** One changed value: an input path, an option name, or a stack output path. */
export interface ValueChange {
  /** `autoscaling.totalMaxNodeCount`, `metadata.labels["app.kubernetes.io/name"]`, `containers[name=app].image`. */
  path: string;
  kind: "added" | "removed" | "changed";
  /** Absent when the value is or was a secret (then `secret` is true) or when kind is "added". */
  base?: unknown;
  /** Absent when the value is or was a secret (then `secret` is true) or when kind is "removed". */
  head?: unknown;
  /** The value is a secret on at least one side: the change is reported without values. */
  secret: boolean;
}

/** A resource present in only one of the plans. */
export interface ResourceRef {
  urn: string;
  type: string;
  name: string;
  /** A cloud/Kubernetes resource (true) or a component (false). */
  custom: boolean;
  protect: boolean;
}

export interface ChangedResource extends ResourceRef {
  /** Changed input paths. */
  inputs: ValueChange[];
  /** Changed resource options (protect, retainOnDelete, ignoreChanges, ...) and the explicit `provider`. */
  options: ValueChange[];
  /** The changed input paths that replace the resource (replaceOnChanges, facts/force-new.json); empty: an update. */
  replace?: string[];
}

/** The same type and name under a new URN (its parent changed): delete and create, unless an alias is added. */
export interface MovedResource {
  type: string;
  name: string;
  baseUrn: string;
  headUrn: string;
  custom: boolean;
  protect: boolean;
  /** Inputs that differ between the old and the new URN. */
  inputs: ValueChange[];
}

/** Something that endangers a protected resource; shown first and loudly. */
export interface ProtectedWarning {
  urn: string;
  type: string;
  name: string;
  reason: "removed" | "moved" | "unprotected" | "replace-on-changes" | "replace-likely" | "provider-changed";
  detail: string;
}

export interface PlanDiff {
  project: string;
  baseStack: string;
  headStack: string;
  /** planCounts of each side: the same count as the tree and resources.json. */
  baseCounts: PlanCounts;
  headCounts: PlanCounts;
  added: ResourceRef[];
  removed: ResourceRef[];
  moved: MovedResource[];
  changed: ChangedResource[];
  unchanged: number;
  warnings: ProtectedWarning[];
  /** Changed stack outputs. */
  outputs: ValueChange[];
}

const optionKeys = [
  "protect",
  "retainOnDelete",
  "deleteBeforeReplace",
  "ignoreChanges",
  "replaceOnChanges",
  "additionalSecretOutputs",
  "deletedWith",
  "customTimeouts",
] as const;

/** A plan with no resources, the base of a stack that the base branch does not have (and vice versa). */
export function emptyPlan(project: string, stack: string): Plan {
  return { project, stack, resources: [], outputs: {} };
}

/** Diffs head against base: what applying head on top of base would add, remove and change. */
export function diffPlans(base: Plan, head: Plan): PlanDiff {
  // Two different stacks are compared by role (scripts/plan/roles.ts); the diff still names the base's stack.
  const baseStack = base.stack;
  if (base.stack !== head.stack && base.resources.length > 0 && head.resources.length > 0) base = asStack(base, head.stack);
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));

  let added = head.resources.filter((r) => !baseByUrn.has(r.urn));
  let removed = base.resources.filter((r) => !headByUrn.has(r.urn));

  const moved: MovedResource[] = [];
  const addedByTypeName = new Map<string, PlannedResource[]>();
  for (const r of added) addedByTypeName.set(typeName(r), [...(addedByTypeName.get(typeName(r)) ?? []), r]);
  for (const r of removed) {
    const candidates = addedByTypeName.get(typeName(r));
    if (candidates?.length === 1) {
      const target = candidates[0];
      const inputs = diffValues(r.inputs, target.inputs);
      moved.push({ type: r.type, name: r.name, baseUrn: r.urn, headUrn: target.urn, custom: r.custom, protect: r.options.protect, inputs });
      addedByTypeName.delete(typeName(r));
    }
  }
  const movedUrns = new Set(moved.flatMap((m) => [m.baseUrn, m.headUrn]));
  added = added.filter((r) => !movedUrns.has(r.urn));
  removed = removed.filter((r) => !movedUrns.has(r.urn));

  const changed: ChangedResource[] = [];
  let unchanged = 0;
  for (const headResource of head.resources) {
    const baseResource = baseByUrn.get(headResource.urn);
    if (!baseResource) continue;
    const inputs = diffValues(baseResource.inputs, headResource.inputs);
    const options: ValueChange[] = [];
    for (const key of optionKeys) options.push(...diffValues(baseResource.options[key], headResource.options[key], key));
    options.push(...diffValues(baseResource.provider || undefined, headResource.provider || undefined, "provider"));
    if (inputs.length === 0 && options.length === 0) {
      unchanged++;
      continue;
    }
    changed.push({ ...ref(headResource), protect: headResource.options.protect || baseResource.options.protect, inputs, options });
  }

  const warnings: ProtectedWarning[] = [];
  for (const r of removed.filter((r) => r.options.protect)) {
    warnings.push({ ...refOf(r), reason: "removed", detail: "protected resource is no longer in the program: `pulumi up` will refuse to delete it, or delete its data once unprotected" });
  }
  for (const m of moved.filter((m) => m.protect)) {
    warnings.push({
      urn: m.baseUrn,
      type: m.type,
      name: m.name,
      reason: "moved",
      detail: `URN changed to \`${m.headUrn}\`: without an alias this is a delete and create`,
    });
  }
  for (const c of changed) {
    const base = baseByUrn.get(c.urn) as PlannedResource;
    const head = headByUrn.get(c.urn) as PlannedResource;
    if (base.options.protect && !head.options.protect) {
      warnings.push({ ...refOf(head), reason: "unprotected", detail: "`protect` turned off: the next change can delete it" });
    }
    const { listed: forcing, forceNew: identity } = replacingPaths(head, c.inputs);
    c.replace = [...forcing, ...identity].map((f) => f.path);
    if (!base.options.protect && !head.options.protect) continue;
    if (forcing.length > 0) {
      warnings.push({ ...refOf(head), reason: "replace-on-changes", detail: `changes ${forcing.map((f) => `\`${f.path}\``).join(", ")}, listed in replaceOnChanges: it will be replaced` });
    }
    if (identity.length > 0) {
      warnings.push({
        ...refOf(head),
        reason: "replace-likely",
        detail: `changes ${identity.map((f) => `\`${f.path}\``).join(", ")}, which identify the resource: the provider will most likely replace it (check the preview)`,
      });
    }
    if (c.options.some((o) => o.path === "provider")) {
      warnings.push({ ...refOf(head), reason: "provider-changed", detail: "its provider changed: unless the new provider is equivalent, it will be replaced" });
    }
  }

  return {
    project: head.project || base.project,
    baseStack,
    headStack: head.stack,
    baseCounts: planCounts(base),
    headCounts: planCounts(head),
    added: added.map(ref),
    removed: removed.map(ref),
    moved,
    changed,
    unchanged,
    warnings,
    outputs: diffValues(base.outputs, head.outputs),
  };
}

/** Inputs that force replacement when they change: facts/force-new.json, with its source. */
const forceNew = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "facts", "force-new.json"), "utf8")) as { clouds: string[]; inputs: string[] };
const identityInputs = new Set(forceNew.inputs);

function likelyForcesReplacement(type: string, path: string): boolean {
  if (!forceNew.clouds.includes(type.split(":")[0])) return false;
  const top = /^[^.[]+/.exec(path)?.[0] ?? path;
  return identityInputs.has(top);
}

/** The changed paths that replace the resource: those in its replaceOnChanges, and the force-new inputs. */
function replacingPaths(head: PlannedResource, inputs: ValueChange[]): { listed: ValueChange[]; forceNew: ValueChange[] } {
  const replaceOn = head.options.replaceOnChanges ?? [];
  const listed = inputs.filter((change) => replaceOn.some((p) => p === "*" || change.path === p || change.path.startsWith(`${p}.`) || change.path.startsWith(`${p}[`)));
  return { listed, forceNew: inputs.filter((change) => !listed.includes(change) && likelyForcesReplacement(head.type, change.path)) };
}

/** True when the diff has nothing to show. */
export function isEmptyDiff(diff: PlanDiff): boolean {
  return diff.added.length + diff.removed.length + diff.moved.length + diff.changed.length + diff.outputs.length === 0;
}

function typeName(r: PlannedResource): string {
  return `${r.type}::${r.name}`;
}

function ref(r: PlannedResource): ResourceRef {
  return { urn: r.urn, type: r.type, name: r.name, custom: r.custom, protect: r.options.protect };
}

function refOf(r: PlannedResource | ResourceRef): Pick<ProtectedWarning, "urn" | "type" | "name"> {
  return { urn: r.urn, type: r.type, name: r.name };
}

// ---------------------------------------------------------------------------------------------------------
// Value diff

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function containsSecret(value: Json): boolean {
  if (value === SECRET) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (isRecord(value)) return Object.values(value).some(containsSecret);
  return false;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/** `.key` for plain identifiers, `["app.kubernetes.io/name"]` otherwise. */
function child(parent: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Arrays whose items are all objects with a distinct string `name` (containers, env, ports) are matched by name. */
function namedItems(list: Json[]): Map<string, Json> | undefined {
  if (list.length === 0) return undefined;
  const byName = new Map<string, Json>();
  for (const item of list) {
    if (!isRecord(item) || typeof item.name !== "string" || byName.has(item.name)) return undefined;
    byName.set(item.name, item);
  }
  return byName;
}

/**
 * The paths where head differs from base. Objects are compared key by key, arrays item by item (by `name`
 * where every item has a distinct one), anything else as a whole. A secret on either side ends the descent:
 * the change is reported without values.
 */
export function diffValues(base: Json, head: Json, path = ""): ValueChange[] {
  if (deepEqual(base, head)) return [];
  if (base === undefined) return [change("added", path, base, head)];
  if (head === undefined) return [change("removed", path, base, head)];
  if (base === SECRET || head === SECRET) return [change("changed", path, base, head)];
  if (isRecord(base) && isRecord(head)) {
    const keys = [...Object.keys(base), ...Object.keys(head).filter((key) => !(key in base))];
    return keys.flatMap((key) => diffValues(base[key], head[key], child(path, key)));
  }
  if (Array.isArray(base) && Array.isArray(head)) {
    const baseNamed = namedItems(base);
    const headNamed = namedItems(head);
    if (baseNamed && headNamed) {
      const names = [...baseNamed.keys(), ...[...headNamed.keys()].filter((name) => !baseNamed.has(name))];
      return names.flatMap((name) => diffValues(baseNamed.get(name), headNamed.get(name), `${path}[name=${name}]`));
    }
    const length = Math.max(base.length, head.length);
    const changes: ValueChange[] = [];
    for (let i = 0; i < length; i++) changes.push(...diffValues(base[i], head[i], `${path}[${i}]`));
    return changes;
  }
  return [change("changed", path, base, head)];
}

function change(kind: ValueChange["kind"], path: string, base: Json, head: Json): ValueChange {
  const secret = containsSecret(base) || containsSecret(head);
  // Added or removed whole values keep their value: any secret inside is "[secret]" already.
  const hideValues = secret && kind === "changed";
  return {
    path: path || "(value)",
    kind,
    ...(kind !== "added" && !hideValues ? { base } : {}),
    ...(kind !== "removed" && !hideValues ? { head } : {}),
    secret,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

/** The marker that lets a workflow find and update its own PR comment. */
export const commentMarker = "<!-- gitpod-platform:plan-diff -->";

export interface RenderOptions {
  /** Changed paths shown per resource before "… and N more". */
  maxPathsPerResource?: number;
  /** Longest markdown; GitHub rejects comments over 65,536 characters. */
  maxLength?: number;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

export function summaryLine(diff: PlanDiff): string {
  const of = `${count(diff.headCounts.resources, "resource")}, ${count(diff.headCounts.components, "component")}`;
  if (isEmptyDiff(diff)) return `no changes (${of})`;
  const replaced = diff.changed.filter((c) => c.replace?.length).length;
  const parts = [`${diff.added.length} to add`, `${diff.changed.length - replaced} to change`, `${diff.removed.length} to delete`];
  if (replaced > 0) parts.push(`${replaced} to replace`);
  if (diff.moved.length > 0) parts.push(`${diff.moved.length} moved`);
  if (diff.outputs.length > 0) parts.push(count(diff.outputs.length, "output change"));
  return `${parts.join(", ")} (now ${of})`;
}

function short(value: unknown, max = 100): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isMultiline(value: unknown): value is string {
  return typeof value === "string" && value.includes("\n");
}

/** `a` → `b`, or "changed (secret)" without values. */
export function describeChange(c: ValueChange): string {
  if (c.secret && c.kind === "changed") return "changed (secret, values hidden)";
  if (c.kind === "added") return `added ${short(c.head)}`;
  if (c.kind === "removed") return `removed (was ${short(c.base)})`;
  if (isMultiline(c.base) || isMultiline(c.head)) {
    const d = lineDiff(String(c.base ?? ""), String(c.head ?? ""));
    return `text changed (+${d.filter((l) => l.startsWith("+")).length} -${d.filter((l) => l.startsWith("-")).length} lines)`;
  }
  return `${short(c.base)} → ${short(c.head)}`;
}

/** A minimal line diff (longest common subsequence), "+ "/"- " lines only, for multi-line strings. */
export function lineDiff(base: string, head: string, maxLines = 40): string[] {
  const a = base.split("\n");
  const b = head.split("\n");
  if (a.length * b.length > 4_000_000) return [`- (${a.length} lines)`, `+ (${b.length} lines)`];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out.length > maxLines ? [...out.slice(0, maxLines), `… ${out.length - maxLines} more lines`] : out;
}

function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function fence(lines: string[]): string[] {
  const body = lines.map((l) => l.replace(/```/g, "ʼʼʼ"));
  return ["```diff", ...body, "```"];
}

function changeLines(changes: ValueChange[], prefix: string, max: number, markdown: boolean): string[] {
  const lines: string[] = [];
  for (const c of changes.slice(0, max)) {
    const label = `${prefix}${c.path}`;
    lines.push(markdown ? `- ${code(label)}: ${describeChange(c)}` : `      ${label}: ${describeChange(c)}`);
    const multiline = !c.secret && c.kind === "changed" && (isMultiline(c.base) || isMultiline(c.head));
    if (multiline) {
      const diffLines = lineDiff(String(c.base ?? ""), String(c.head ?? ""), 20);
      lines.push(...(markdown ? fence(diffLines).map((l) => `  ${l}`) : diffLines.map((l) => `        ${l}`)));
    }
  }
  if (changes.length > max) lines.push(markdown ? `- … and ${changes.length - max} more` : `      … and ${changes.length - max} more`);
  return lines;
}

function label(r: { type: string; name: string; protect: boolean; custom: boolean }, markdown: boolean): string {
  const flags = [r.protect ? "protected" : "", r.custom ? "" : "component"].filter(Boolean);
  const flagText = flags.length ? ` (${flags.join(", ")})` : "";
  return markdown ? `${code(r.type)} **${r.name.replace(/[*_]/g, "\\$&")}**${flagText}` : `${r.type} ${r.name}${flagText}`;
}

function warningLines(diff: PlanDiff, markdown: boolean): string[] {
  if (diff.warnings.length === 0) return [];
  if (!markdown) {
    return ["  !! PROTECTED RESOURCES AT RISK:", ...diff.warnings.map((w) => `  !! ${w.reason}: ${w.type} ${w.name}: ${w.detail.replace(/`/g, "")}`)];
  }
  return [
    "> [!CAUTION]",
    `> **${count(diff.warnings.length, "protected resource")} at risk**`,
    ...diff.warnings.map((w) => `> - **${w.reason}**: ${code(w.type)} **${w.name}**: ${w.detail}`),
    "",
  ];
}

/** A titled markdown list; long ones (a whole new stack) fold away. */
function resourceList(title: string, items: string[], foldAbove = 15): string[] {
  if (items.length === 0) return [];
  if (items.length <= foldAbove) return [`**${title}**`, "", ...items, ""];
  return [`<details><summary><b>${title}</b></summary>`, "", ...items, "", "</details>", ""];
}

/** One stack's diff as markdown: summary, protected warnings, then added, deleted, moved and changed resources. */
export function renderDiffMarkdown(diff: PlanDiff, options: RenderOptions = {}): string {
  const max = options.maxPathsPerResource ?? 25;
  const title = diff.baseStack === diff.headStack ? diff.headStack : `${diff.baseStack} → ${diff.headStack}`;
  const lines = [`### \`${title}\`: ${summaryLine(diff)}`, ""];
  lines.push(...warningLines(diff, true));
  lines.push(...resourceList(`To add (${diff.added.length})`, diff.added.map((r) => `- \\+ ${label(r, true)}`)));
  lines.push(...resourceList(`To delete (${diff.removed.length})`, diff.removed.map((r) => `- \\- ${label(r, true)}`)));
  if (diff.moved.length > 0) {
    lines.push(`**Moved: new URN, so delete and create unless aliased (${diff.moved.length})**`, "");
    for (const m of diff.moved) {
      lines.push(`- ${label(m, true)}: ${code(m.baseUrn)} → ${code(m.headUrn)}`);
      lines.push(...changeLines(m.inputs, "", max, true).map((l) => `  ${l}`));
    }
    lines.push("");
  }
  if (diff.changed.length > 0) {
    lines.push(`**To change (${diff.changed.length})**`, "");
    for (const c of diff.changed) {
      const total = c.inputs.length + c.options.length;
      const how = c.replace?.length ? `+- ${label(c, true)}: **replaced** (${c.replace.map(code).join(", ")}), ` : `~ ${label(c, true)}: `;
      lines.push(`<details><summary>${how}${count(total, "change")}</summary>`, "");
      lines.push(...changeLines(c.inputs, "", max, true), ...changeLines(c.options, "option ", max, true));
      lines.push("", "</details>", "");
    }
  }
  if (diff.outputs.length > 0) {
    lines.push(`**Stack outputs (${diff.outputs.length})**`, "", ...changeLines(diff.outputs, "", max, true), "");
  }
  return lines.join("\n").trimEnd() + "\n";
}

/** One stack's diff as plain text for a terminal. */
export function renderDiffText(diff: PlanDiff, options: RenderOptions = {}): string {
  const max = options.maxPathsPerResource ?? 25;
  const title = diff.baseStack === diff.headStack ? diff.headStack : `${diff.baseStack} -> ${diff.headStack}`;
  const lines = [`${diff.project} / ${title}: ${summaryLine(diff)}`];
  lines.push(...warningLines(diff, false));
  for (const r of diff.added) lines.push(`  + ${label(r, false)}`);
  for (const r of diff.removed) lines.push(`  - ${label(r, false)}`);
  for (const m of diff.moved) {
    lines.push(`  -+ ${label(m, false)}  (moved: ${m.baseUrn} -> ${m.headUrn})`);
    lines.push(...changeLines(m.inputs, "", max, false));
  }
  for (const c of diff.changed) {
    lines.push(c.replace?.length ? `  +- ${label(c, false)}  (replaced: ${c.replace.join(", ")} force a new resource)` : `  ~ ${label(c, false)}`);
    lines.push(...changeLines(c.inputs, "", max, false), ...changeLines(c.options, "option ", max, false));
  }
  if (diff.outputs.length > 0) lines.push("  outputs:", ...changeLines(diff.outputs, "", max, false));
  return lines.join("\n");
}

/**
 * The PR comment for several stacks: a summary table, then each stack's diff. Over maxLength, the changed
 * paths are dropped (warnings and resource lists stay), then the text is cut with a note.
 */
export function renderReportMarkdown(diffs: PlanDiff[], options: RenderOptions & { title?: string; footer?: string } = {}): string {
  const maxLength = options.maxLength ?? 60_000;
  const render = (maxPaths: number) => {
    const lines = [commentMarker, `## ${options.title ?? "Offline plan diff"}`, ""];
    const risky = diffs.reduce((sum, d) => sum + d.warnings.length, 0);
    if (risky > 0) lines.push(`> [!CAUTION]`, `> **${count(risky, "protected resource")} at risk**: see below.`, "");
    lines.push("| stack | add | change | delete | moved | protected at risk |", "| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const d of diffs) {
      lines.push(`| \`${d.headStack}\` | ${d.added.length} | ${d.changed.length} | ${d.removed.length} | ${d.moved.length} | ${d.warnings.length ? `**${d.warnings.length}**` : 0} |`);
    }
    lines.push("");
    for (const d of diffs) {
      if (isEmptyDiff(d)) continue;
      lines.push(renderDiffMarkdown(d, { maxPathsPerResource: maxPaths }));
    }
    if (options.footer) lines.push(options.footer);
    return lines.join("\n");
  };
  let text = render(options.maxPathsPerResource ?? 25);
  if (text.length > maxLength) text = render(0);
  if (text.length > maxLength) text = `${text.slice(0, maxLength - 200)}\n\n… cut to fit a comment; the full diff is in the workflow artifact.\n`;
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// Files

/** Reads a plan from a resources.json file or a plan directory holding one. */
export function readPlan(fileOrDir: string): Plan {
  const file = fs.existsSync(fileOrDir) && fs.statSync(fileOrDir).isDirectory() ? path.join(fileOrDir, "resources.json") : fileOrDir;
  const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
  if (!plan || !Array.isArray(plan.resources)) throw new Error(`${file} is not a plan (no resources array)`);
  return plan;
}

/**
 * The base plan of a stack under a --diff directory: DIR/<stack>/resources.json (the layout of `--stack all`),
 * else DIR/resources.json (one plan directory, whatever stack it holds), else an empty plan: the base has no
 * such stack, so everything is added.
 */
export function basePlanFor(dir: string, stack: string, project: string): Plan {
  if (!fs.existsSync(dir)) throw new Error(`--diff: no such plan directory ${dir}`);
  if (!fs.statSync(dir).isDirectory()) return readPlan(dir);
  for (const candidate of [path.join(dir, stack, "resources.json"), path.join(dir, "resources.json")]) {
    if (fs.existsSync(candidate)) return readPlan(candidate);
  }
  return emptyPlan(project, stack);
}

/** Stacks planned under a base directory in the `--stack all` layout (DIR/<stack>/resources.json). */
export function plannedStacks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((entry) => fs.existsSync(path.join(dir, entry, "resources.json")))
    .sort();
}
