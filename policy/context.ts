/**
 * The stack a policy runs for. Pulumi starts a Node.js policy pack with the stack's name and config in the
 * process environment (PULUMI_NODEJS_STACK, PULUMI_CONFIG), which @pulumi/pulumi's getStack() and runtime config
 * read; @pulumi/policy 1.21 itself passes only stack tags. The stack config's `gitpod-platform:environment` and
 * `gitpod-platform:cloud` are what the program itself decides by.
 */
import { Cloud, Environment, StackContext } from "./lib";

export const configNamespace = "gitpod-platform";

/** The context from a stack's config as `namespace:key` strings (what pulumi.runtime.allConfig() returns). */
export function stackContext(stack: string, config: Record<string, string>): StackContext {
  const environment = config[`${configNamespace}:environment`];
  const cloud = config[`${configNamespace}:cloud`];
  return {
    stack,
    environment: environment === "production" || environment === "development" ? (environment as Environment) : undefined,
    cloud: ["gcp", "aws", "azure", "existing"].includes(cloud) ? (cloud as Cloud) : undefined,
    failover: failoverOf(config[`${configNamespace}:backup`]),
  };
}

/** `backup.failover` from the `backup` section's JSON (a flag: true or "true"); false when absent or unreadable. */
function failoverOf(backup: string | undefined): boolean {
  try {
    const failover = (JSON.parse(backup ?? "{}") as { failover?: unknown }).failover;
    return failover === true || failover === "true";
  } catch {
    return false;
  }
}
