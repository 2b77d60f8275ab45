import { Plan } from "./run";

/**
 * Values the offline plan invents (account ids, project numbers, AMI ids, GUIDs, endpoints, name servers) are
 * registered here by the fakes, which must give the program well-formed values to compute with. What a user
 * reads (the printed tree, resources.json, the diff) shows each of them as `<computed: what>`, so a stand-in is
 * never taken for a real value. Tests of single components keep the well-formed values.
 */
const labels = new Map<string, string>();

/** Returns value, remembered as the stand-in for `what` (e.g. "AWS account id"). */
export function standIn(what: string, value: string): string {
  labels.set(value, what);
  return value;
}

/** The plan with every registered stand-in, also inside longer strings (ARNs, emails), shown as `<computed: what>`. */
export function markStandIns(plan: Plan): Plan {
  if (labels.size === 0) return plan;
  const values = [...labels.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  const mark = (value: unknown): unknown => {
    if (typeof value === "string") return value.replace(pattern, (found) => `<computed: ${labels.get(found)}>`);
    if (Array.isArray(value)) return value.map(mark);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(v)]));
    return value;
  };
  return { ...plan, resources: plan.resources.map((r) => ({ ...r, inputs: mark(r.inputs) as Record<string, unknown> })), outputs: mark(plan.outputs) as Record<string, unknown> };
}

/** The registered stand-ins (value, what), to hand to another process (the tests' shared plans do, test/helpers.ts). */
export function standInEntries(): [string, string][] {
  return [...labels.entries()];
}

export function rememberStandIns(entries: [string, string][]): void {
  for (const [value, what] of entries) labels.set(value, what);
}
