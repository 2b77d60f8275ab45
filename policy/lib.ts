/**
 * The rule model of the policy pack, independent of @pulumi/policy: a rule is a pure function of resources seen as
 * plain data (type, name, properties, protect, parent, dependencies) and of the stack's context. index.ts adapts the
 * rules to CrossGuard policies (`pulumi preview --policy-pack policy`); the tests run the very same functions over the
 * offline plan's resources (scripts/plan).
 */

/** Mandatory rules stop `pulumi preview`/`up`; advisory rules only warn. */
export type Level = "mandatory" | "advisory";

/** The rule families, one file each. */
export type Family = "database" | "storage" | "cluster" | "identity" | "backup" | "kubernetes" | "protection";

export type Cloud = "gcp" | "aws" | "azure" | "existing";
export type Environment = "production" | "development";

/** What a rule knows of the stack beyond its resources. */
export interface StackContext {
  /** Stack name, e.g. prod. */
  stack: string;
  /** `gitpod-platform:environment`; undefined when the stack config does not say (then treated as production). */
  environment?: Environment;
  /** `gitpod-platform:cloud`, when known. */
  cloud?: Cloud;
  /** `gitpod-platform:backup.failover`: the stack is moving to its replica region. */
  failover?: boolean;
}

/** A resource as a rule sees it: the same shape for a planned resource and for one CrossGuard hands over. */
export interface ResourceView {
  urn: string;
  type: string;
  name: string;
  /** Inputs (resource rules, and the offline plan) or outputs (stack rules under the Pulumi engine). */
  props: Record<string, unknown>;
  protect: boolean;
  /** URN of the parent, if any. */
  parent?: string;
  /** URNs this resource depends on; empty where the engine does not say (resource rules). */
  dependencies: string[];
}

/** One finding of a rule: a message that names the resource and the setting; the resource's URN where there is one. */
export interface Violation {
  message: string;
  urn?: string;
}

/** A rule's config: each key with its JSON type, default and meaning (becomes the CrossGuard configSchema). */
export type ConfigSpec = Record<string, { type: "integer" | "string" | "boolean"; default: number | string | boolean; description: string }>;

export interface RuleContext extends StackContext {
  /** The rule's config, defaults applied. */
  config: Record<string, unknown>;
}

interface RuleBase {
  /** Unique, kebab-case: the CrossGuard policy name. */
  name: string;
  family: Family;
  level: Level;
  /** One sentence: what must hold. */
  description: string;
  config?: ConfigSpec;
}

/** Checks one resource at a time, before it is created or updated. */
export interface ResourceRule extends RuleBase {
  kind: "resource";
  /** The resource types the rule looks at. */
  types: string[];
  /** Violation messages for this resource (empty: compliant). */
  check(resource: ResourceView, context: RuleContext): string[];
}

/** Checks the stack's resources together (relations between resources, counts, protection). */
export interface StackRule extends RuleBase {
  kind: "stack";
  check(resources: ResourceView[], context: RuleContext): Violation[];
}

export type Rule = ResourceRule | StackRule;

/** Production unless the stack config says development: an unknown stack gets the strict rules. */
export function isProduction(context: StackContext): boolean {
  return context.environment !== "development";
}

/** The config of a rule with its defaults, overridden by what was configured. */
export function ruleConfig(rule: Rule, configured: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(rule.config ?? {}).map(([key, spec]) => [key, spec.default]));
  return { ...defaults, ...configured };
}

/** `name (type)`: how every message names its resource. */
export function describe(resource: Pick<ResourceView, "name" | "type">): string {
  return `${resource.name} (${resource.type})`;
}

/** The value at a path of plain data, or undefined. Property reads go through CrossGuard's unknown-checking proxy. */
export function get(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** A value as it appears in a message. */
export function show(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}

/** True for "true"/true, as Kubernetes-style and AWS-style booleans arrive either way. */
export function truthy(value: unknown): boolean {
  return value === true || value === "true" || value === "True";
}

/** Index of a resource list by URN. */
export function byUrn(resources: ResourceView[]): Map<string, ResourceView> {
  return new Map(resources.map((r) => [r.urn, r]));
}

/** The resources that depend directly on `target`. */
export function dependents(resources: ResourceView[], target: ResourceView): ResourceView[] {
  return resources.filter((r) => r.dependencies.includes(target.urn));
}

/** The resources `resource` depends on directly. */
export function dependenciesOf(resource: ResourceView, index: Map<string, ResourceView>): ResourceView[] {
  return resource.dependencies.map((urn) => index.get(urn)).filter((r): r is ResourceView => r !== undefined);
}

export function ofType(resources: ResourceView[], ...types: string[]): ResourceView[] {
  return resources.filter((r) => types.includes(r.type));
}

/** Kubernetes object namespace and name, from `metadata`. */
export function kubernetesName(props: Record<string, unknown>): { namespace?: string; name?: string } {
  const metadata = asRecord(props.metadata);
  return {
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
    name: typeof metadata.name === "string" ? metadata.name : undefined,
  };
}

/** Helm resources of the Kubernetes provider: Chart v4 (a component), Chart v3 and Release v3. */
export const helmTypes = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];

/** The chart name of a Helm resource (`chart`, possibly `repo/chart` or an OCI reference). */
export function chartName(props: Record<string, unknown>): string | undefined {
  const chart = props.chart;
  if (typeof chart !== "string") return undefined;
  return chart.split("/").pop()?.replace(/:.*$/, "");
}

/** Whether `resource` depends on `target`, directly or through other resources of the stack. */
export function dependsOn(resource: ResourceView, target: ResourceView, index: Map<string, ResourceView>): boolean {
  const seen = new Set<string>();
  const queue = [...resource.dependencies];
  while (queue.length > 0) {
    const urn = queue.shift() as string;
    if (urn === target.urn) return true;
    if (seen.has(urn)) continue;
    seen.add(urn);
    queue.push(...(index.get(urn)?.dependencies ?? []));
  }
  return false;
}

/** The statements of an IAM-style policy document given as JSON text or as an object. */
export function policyStatements(policy: unknown): Record<string, unknown>[] {
  let document = policy;
  if (typeof policy === "string") {
    try {
      document = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  const statement = asRecord(document).Statement;
  return (Array.isArray(statement) ? statement : [statement]).filter(isRecord);
}

/** An Allow statement open to everyone: principal `*` (or AWS `*`) and no condition narrowing it. */
export function isPublicStatement(statement: Record<string, unknown>): boolean {
  if (statement.Effect !== "Allow" || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  if (principal === "*") return true;
  const aws = asRecord(principal).AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}
