/**
 * Turns the rules into CrossGuard policies. Resource rules become ResourceValidationPolicies (run on each resource's
 * inputs before it is created or updated); stack rules become StackValidationPolicies (run on every resource's
 * outputs once the preview or update has finished).
 */
import type { Policies, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { ResourceView, Rule, ruleConfig, StackContext } from "./lib";

function configSchema(rule: Rule) {
  if (!rule.config) return undefined;
  return {
    properties: Object.fromEntries(Object.entries(rule.config).map(([key, spec]) => [key, { type: spec.type, default: spec.default, description: spec.description }])),
  };
}

export function fromResourceArgs(args: ResourceValidationArgs): ResourceView {
  return { urn: args.urn, type: args.type, name: args.name, props: args.props, protect: args.opts.protect, parent: args.opts.parent, dependencies: [] };
}

export function fromPolicyResource(resource: PolicyResource): ResourceView {
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    props: resource.props,
    protect: resource.opts.protect,
    parent: resource.parent?.urn,
    dependencies: resource.dependencies.map((d) => d.urn),
  };
}

export function toPolicies(rules: Rule[], stack: StackContext): Policies {
  return rules.map((rule) => {
    const common = { name: rule.name, description: rule.description, enforcementLevel: rule.level, configSchema: configSchema(rule) };
    if (rule.kind === "resource") {
      return {
        ...common,
        validateResource: (args: ResourceValidationArgs, reportViolation: (message: string) => void) => {
          if (!rule.types.includes(args.type)) return;
          const context = { ...stack, config: ruleConfig(rule, args.getConfig<Record<string, unknown>>()) };
          for (const message of rule.check(fromResourceArgs(args), context)) reportViolation(message);
        },
      };
    }
    return {
      ...common,
      validateStack: (args: StackValidationArgs, reportViolation: (message: string, urn?: string) => void) => {
        const context = { ...stack, config: ruleConfig(rule, args.getConfig<Record<string, unknown>>()) };
        for (const violation of rule.check(args.resources.map(fromPolicyResource), context)) reportViolation(violation.message, violation.urn);
      },
    };
  });
}
