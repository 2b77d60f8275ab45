/**
 * Runs rules over a list of resources the way the pack's policies do (adapter.ts): resource rules on each resource
 * of their types, stack rules once over all. The tests use it on the offline plan.
 */
import { Level, ResourceView, Rule, ruleConfig, StackContext } from "./lib";

/** A resource of the offline plan (scripts/plan `PlannedResource`), as far as the rules need it. */
export interface PlannedLike {
  urn: string;
  type: string;
  name: string;
  parent: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
  options: { protect: boolean };
}

export function fromPlanned(resource: PlannedLike): ResourceView {
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    props: resource.inputs,
    protect: resource.options.protect,
    parent: resource.parent || undefined,
    dependencies: resource.dependencies,
  };
}

export interface Finding {
  rule: string;
  level: Level;
  message: string;
  urn?: string;
}

/** Every violation of the rules; `configured` holds policy config by rule name (defaults apply otherwise). */
export function evaluate(rules: Rule[], resources: ResourceView[], stack: StackContext, configured: Record<string, Record<string, unknown>> = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const context = { ...stack, config: ruleConfig(rule, configured[rule.name]) };
    if (rule.kind === "resource") {
      for (const resource of resources.filter((r) => rule.types.includes(r.type))) {
        for (const message of rule.check(resource, context)) findings.push({ rule: rule.name, level: rule.level, message, urn: resource.urn });
      }
    } else {
      for (const violation of rule.check(resources, context)) findings.push({ rule: rule.name, level: rule.level, ...violation });
    }
  }
  return findings;
}
