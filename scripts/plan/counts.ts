import { Plan } from "./run";

/**
 * The one resource count of a plan, the same in the tree, the diff and resources.json: cloud and Kubernetes
 * resources (custom), components (ComponentResources, the Helm v4 charts among them) counted apart, and the stack
 * itself in neither.
 */
export interface PlanCounts {
  resources: number;
  components: number;
  protected: number;
}

export function planCounts(plan: Pick<Plan, "resources">): PlanCounts {
  return {
    resources: plan.resources.filter((r) => r.custom).length,
    components: plan.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length,
    protected: plan.resources.filter((r) => r.options.protect).length,
  };
}

export function describeCounts(counts: PlanCounts): string {
  return `${counts.resources} resources, ${counts.components} components, ${counts.protected} protected`;
}
