import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** The config of a committed stack file as the Pulumi runtime would hand it to the program. */
export interface StackFileConfig {
  /** `namespace:key` to string, objects as JSON, exactly like `pulumi.runtime.allConfig()`. */
  values: Record<string, string>;
  /** Keys whose values are encrypted in the stack file; offline they hold a placeholder. */
  secretKeys: string[];
}

export const projectRoot = path.resolve(__dirname, "..", "..");

/** Names of the committed stacks (`Pulumi.<stack>.yaml` beside Pulumi.yaml). */
export function committedStacks(root = projectRoot): string[] {
  return fs
    .readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function projectName(root = projectRoot): string {
  const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string };
  return project.name;
}

/** Reads Pulumi.<stack>.yaml; encrypted values (`secure:`) become placeholders that name their key. */
export function readStackFile(stack: string, root = projectRoot): StackFileConfig {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`No stack file ${path.basename(file)}; committed stacks: ${committedStacks(root).join(", ")}`);
  }
  const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (containsSecure(value)) secretKeys.push(key);
    const plain = replaceSecure(value, key);
    values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { values, secretKeys };
}

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecure);
  return false;
}

function replaceSecure(value: unknown, key: string): unknown {
  if (isSecure(value)) return `offline-placeholder-for-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
  if (Array.isArray(value)) return value.map((item) => replaceSecure(item, key));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v, key)]));
  }
  return value;
}
