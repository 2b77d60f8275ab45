/**
 * A small model of a cluster's API server and of Velero, for the recovery sequences the mock runtime cannot show:
 * - a create of an object that exists fails with AlreadyExists, as pulumi-kubernetes 4.29+ creates client-side
 *   (CHANGELOG 4.29.0; the provider has no `upsertExistingObjects` here) and as Velero's restore meets it;
 * - GKE admits a pod with the system-node-critical or system-cluster-critical PriorityClass outside kube-system only
 *   when its namespace holds a ResourceQuota scoped to that class ("insufficient quota to match these scopes");
 * - Velero backs up and restores by namespace, excluded resources and label selector (NotIn matches an object
 *   without the label), in the order of its restore priorities (high list, the rest alphabetically, low list),
 *   leaves existing objects as they are (existingResourcePolicy none) and counts every other failed create as an
 *   error: any error makes the restore PartiallyFailed (velero v1.18.1 pkg/restore/restore.go).
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  labels: Record<string, string>;
  /** Pods: the PriorityClass they ask for. */
  priorityClassName?: string;
  /** ResourceQuotas: the PriorityClasses their scope selector admits. */
  quotaPriorityClasses?: string[];
}

/** Velero's resource name of an object: lowercase plural, with the API group for non-core kinds. */
export function resourceOf(object: Pick<KubeObject, "apiVersion" | "kind">): string {
  const lower = object.kind.toLowerCase();
  const plural = lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : lower.endsWith("s") ? `${lower}es` : `${lower}s`;
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  return group ? `${plural}.${group}` : plural;
}

const key = (o: KubeObject) => `${resourceOf(o)}/${o.namespace ?? ""}/${o.name}`;

export class AlreadyExists extends Error {}

const criticalClasses = new Set(["system-node-critical", "system-cluster-critical"]);

export class Cluster {
  private readonly objects = new Map<string, KubeObject>();
  constructor(readonly options: { gkePriorityClassQuota: boolean }) {}

  create(object: KubeObject): void {
    if (this.objects.has(key(object))) throw new AlreadyExists(`${key(object)} already exists`);
    if (this.options.gkePriorityClassQuota && object.kind === "Pod" && criticalClasses.has(object.priorityClassName ?? "") && object.namespace !== "kube-system") {
      const quota = this.list().find((o) => o.kind === "ResourceQuota" && o.namespace === object.namespace && o.quotaPriorityClasses?.includes(object.priorityClassName!));
      if (!quota) throw new Error(`pods "${object.name}" is forbidden: insufficient quota to match these scopes: [{PriorityClass In [${object.priorityClassName}]}]`);
    }
    this.objects.set(key(object), structuredClone(object));
  }

  has(object: KubeObject): boolean {
    return this.objects.has(key(object));
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** Kubernetes label selector semantics (matchLabels and matchExpressions, all ANDed). */
export function matchesSelector(labels: Record<string, string>, selector: { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] } | undefined): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabels &&
    (selector.matchExpressions ?? []).every((r) => {
      const has = r.key in labels;
      switch (r.operator) {
        case "In":
          return has && (r.values ?? []).includes(labels[r.key]);
        case "NotIn":
          return !has || !(r.values ?? []).includes(labels[r.key]);
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
        default:
          throw new Error(`unknown selector operator ${r.operator}`);
      }
    })
  );
}

/** The filters of a Schedule's template or a Restore's spec that the model applies. */
export interface VeleroFilter {
  includedNamespaces?: string[];
  excludedNamespaceScopedResources?: string[];
  excludedResources?: string[];
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] };
}

function selected(object: KubeObject, filter: VeleroFilter): boolean {
  if (!object.namespace || !(filter.includedNamespaces ?? []).includes(object.namespace)) return false;
  const excluded = [...(filter.excludedNamespaceScopedResources ?? []), ...(filter.excludedResources ?? [])];
  return !excluded.includes(resourceOf(object)) && matchesSelector(object.labels, filter.labelSelector);
}

/** A backup of the cluster by a Schedule's template: the objects it holds. */
export function backup(cluster: Cluster, template: VeleroFilter): KubeObject[] {
  return cluster.list().filter((o) => selected(o, template));
}

/** Parses `--restore-resource-priorities` (pkg/types/priority.go): high list, "-", low list. */
export function parsePriorities(flag: string | undefined, defaults: { high: string[]; low: string[] }): { high: string[]; low: string[] } {
  if (!flag) return defaults;
  const items = flag.split(",");
  const separator = items.indexOf("-");
  return separator < 0 ? { high: items, low: [] } : { high: items.slice(0, separator), low: items.slice(separator + 1) };
}

export interface RestoreResult {
  phase: "Completed" | "PartiallyFailed";
  errors: string[];
  warnings: string[];
  restored: KubeObject[];
}

/** A Velero restore of a backup into the cluster, in priority order. */
export function restore(cluster: Cluster, items: KubeObject[], spec: VeleroFilter, priorities: { high: string[]; low: string[] }): RestoreResult {
  const chosen = items.filter((o) => selected(o, spec));
  const rank = (o: KubeObject) => {
    const resource = resourceOf(o);
    if (priorities.high.includes(resource)) return [0, priorities.high.indexOf(resource), ""] as const;
    if (priorities.low.includes(resource)) return [2, priorities.low.indexOf(resource), ""] as const;
    return [1, 0, resource] as const;
  };
  const ordered = [...chosen].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2].localeCompare(rb[2]);
  });
  const result: RestoreResult = { phase: "Completed", errors: [], warnings: [], restored: [] };
  for (const object of ordered) {
    try {
      cluster.create(object);
      result.restored.push(object);
    } catch (err) {
      if (err instanceof AlreadyExists) result.warnings.push(`could not restore, ${key(object)} already exists`);
      else result.errors.push(String(err instanceof Error ? err.message : err));
    }
  }
  if (result.errors.length > 0) result.phase = "PartiallyFailed";
  return result;
}
