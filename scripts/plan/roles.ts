import { Plan } from "./run";

/**
 * A plan of one stack seen as another stack's: every URN, parent, dependency, provider and resource name that
 * carries the stack's name (`urn:pulumi:<stack>::`, names prefixed `<stack>-`) carries the other's instead. Diffing
 * two different stacks this way compares them by role (prod's services pool with dev's services pool), not by
 * names that differ only by the stack. Inputs are left alone: a real name that differs is a real difference.
 */
export function asStack(plan: Plan, stack: string): Plan {
  if (plan.stack === stack) return plan;
  const escaped = plan.stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const namePattern = new RegExp(`(^|::)(gitpod-platform-)?${escaped}(?=-|$)`, "g");
  const rename = (text: string) => text.replace(`urn:pulumi:${plan.stack}::`, `urn:pulumi:${stack}::`).replace(namePattern, (_m, sep: string, prefix = "") => `${sep}${prefix}${stack}`);
  return {
    ...plan,
    stack,
    resources: plan.resources.map((r) => ({
      ...r,
      urn: rename(r.urn),
      name: rename(r.name),
      parent: r.parent && rename(r.parent),
      provider: r.provider && rename(r.provider),
      dependencies: r.dependencies.map(rename),
    })),
  };
}
