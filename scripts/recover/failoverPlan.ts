/**
 * What `backup.failover` does to a stack's cloud resources, from two offline plans (without and with it): the replica
 * site it adds, and the resources of the stack it changes or drops. The failover is additive (docs/disaster-
 * recovery.md): a dropped resource, or a changed one in the lost region, would be a call into a region that is gone.
 * Kubernetes objects are left out: they move to the new cluster with its provider.
 */
import { Plan, PlannedResource } from "../plan/run";

export interface FailoverDifference {
  /** Cloud resources only the failover plan declares: the replica site. */
  added: PlannedResource[];
  /** Cloud resources both plans declare, with different inputs or options (the failover plan's). */
  changed: PlannedResource[];
  /** Cloud resources the failover plan no longer declares. */
  dropped: PlannedResource[];
}

/** A cloud resource or a cloud provider: what lives in a region (not Kubernetes, not components). */
function isCloudResource(resource: PlannedResource): boolean {
  return resource.custom && !resource.type.startsWith("kubernetes:") && resource.type !== "pulumi:providers:kubernetes";
}

const comparable = (resource: PlannedResource) => JSON.stringify({ inputs: resource.inputs, options: resource.options, provider: resource.provider, parent: resource.parent });

/** The difference between the plan of a stack and its plan with `backup.failover` on. Pure. */
export function failoverDifference(normal: Plan, failover: Plan): FailoverDifference {
  const before = new Map(normal.resources.filter(isCloudResource).map((r) => [r.urn, r]));
  const after = failover.resources.filter(isCloudResource);
  const afterUrns = new Set(after.map((r) => r.urn));
  return {
    added: after.filter((r) => !before.has(r.urn)),
    changed: after.filter((r) => before.has(r.urn) && comparable(before.get(r.urn)!) !== comparable(r)),
    dropped: [...before.values()].filter((r) => !afterUrns.has(r.urn)),
  };
}

/** The difference as lines of the offline explanation: counts by type, then each changed or dropped resource. */
export function failoverLines(difference: FailoverDifference, replicaRegion: string): string[] {
  const byType = new Map<string, number>();
  for (const resource of difference.added) byType.set(resource.type, (byType.get(resource.type) ?? 0) + 1);
  const counts = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `  ${String(count).padStart(3)} ${type}`);
  return [
    `The replica site backup.failover builds in ${replicaRegion} (${difference.added.length} cloud resources the stack has not):`,
    ...counts,
    `Cloud resources of the stack it changes (${difference.changed.length}; only ones in ${replicaRegion}, settings that keep a resource as it is, and providers):`,
    ...difference.changed.map((r) => `  ${r.type} ${r.name}`),
    `Cloud resources of the stack it drops (${difference.dropped.length}; none expected: the lost region's resources stay as they are):`,
    ...difference.dropped.map((r) => `  ${r.type} ${r.name}`),
  ];
}
