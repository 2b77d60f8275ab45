import { z } from "zod";
import { resolveAndCheck, StackConfig } from "./resolve";
import { stackNamePath, ValidationOptions } from "./validate";
import { rawStackSchema } from "./schema";
import { isSecretPath } from "./secretKeys";

export { StackConfig, PoolConfig, DatabaseConfig } from "./resolve";
export { Cloud, PoolRole, poolRoles } from "./cloudDefaults";

/** The Pulumi config namespace: the project name in Pulumi.yaml. */
export const configNamespace = "gitpod-platform";

export { ValidationOptions } from "./validate";

/** A stack config that failed validation; the message lists every problem with its key, value and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates the stack's config as the Pulumi runtime hands it over (`namespace:key` to string, objects as JSON)
 * and returns it typed, with defaults filled in. Keys of other namespaces (provider settings) are ignored.
 * Throws ConfigError before anything else happens, so a bad config never registers a resource.
 */
export function parseStackConfig(values: Record<string, string>, options: ValidationOptions = {}): StackConfig {
  const prefix = `${configNamespace}:`;
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [fullKey, text] of Object.entries(values)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    try {
      input[key] = /^\s*[[{]/.test(text) ? JSON.parse(text) : text;
    } catch {
      problems.push(`${fullKey} = ${text}: is not valid JSON/YAML structure`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const stackSchema = rawStackSchema.transform((raw, ctx) => resolveAndCheck(raw, ctx, options));
  const result = stackSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, input)));
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  if (issue.path.length === 1 && issue.path[0] === stackNamePath) return `stack name ${JSON.stringify(issue.input)} ${issue.message}`;
  const key = `${configNamespace}:${issue.path.map(String).join(".")}`;
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(issue.path, input);
    return issue.keys
      .map((unknownKey) => {
        const fullKey = issue.path.length > 0 ? `${key}.${unknownKey}` : `${configNamespace}:${unknownKey}`;
        return `${fullKey}: unknown key${allowed ? `; allowed keys here: ${allowed.join(", ")}` : ""}`;
      })
      .join("\n  - ");
  }
  const value = valueAt(input, issue.path);
  if (value === undefined && issue.code === "invalid_type") return `${key} is required (${issue.expected})`;
  // A rule on the resolved config may judge a default the stack never wrote: show it as such.
  if (value === undefined && issue.input !== undefined && !isSecretPath(issue.path)) return `${key} = ${JSON.stringify(issue.input)} (the default): ${issue.message}`;
  // A rule across keys that asks for an unset key (e.g. backup.replicaRegion in production) has no value to show.
  if (value === undefined) return `${key} is unset: ${issue.message}`;
  return `${key} = ${isSecretPath(issue.path) ? '"[secret]"' : JSON.stringify(value)}: ${issue.message}`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** The keys the schema allows at a path, for the "unknown key" message; follows the branch the stack's cloud picks. */
function allowedKeys(path: PropertyKey[], input: Record<string, unknown>): string[] | undefined {
  let schema: z.core.$ZodType | undefined = rawStackSchema;
  const steps = [...path];
  for (;;) {
    const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === "union") {
      const options = def.options as z.core.$ZodType[];
      schema = options.find((option) => {
        const shape = (option._zod.def as unknown as { shape?: Record<string, z.core.$ZodType> }).shape;
        const literal = shape?.cloud?._zod.def as unknown as { values?: unknown[] } | undefined;
        return literal?.values?.includes(input.cloud);
      });
      if (!schema) return undefined;
    } else if (["optional", "default", "prefault", "nullable"].includes(def.type)) {
      schema = def.innerType as z.core.$ZodType;
    } else if (def.type === "pipe") {
      schema = def.in as z.core.$ZodType;
    } else if (def.type === "object") {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      if (steps.length === 0) return Object.keys(shape);
      schema = shape[String(steps.shift())];
      if (!schema) return undefined;
    } else {
      return undefined;
    }
  }
}
