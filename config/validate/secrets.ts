import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { isSecretPath } from "../secretKeys";

/** A value encrypted in the stack file: `{ secure: <ciphertext> }`. */
function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/**
 * Secret keys written in plain text in a stack file's `config:` map (as YAML parses it, `secure:` objects intact).
 * Pulumi marks a whole top-level key secret when any value inside it is encrypted, so a plain-text client secret next
 * to an encrypted one would otherwise go through; each secret must be `secure:` on its own.
 */
export function plainTextSecrets(stackFileConfig: Record<string, unknown>, namespace: string): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (isSecure(value)) return;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      if (isSecretPath(path.slice(1))) {
        const setPath = path.slice(1).map((part, i) => (/^\d+$/.test(part) && i > 0 ? `[${part}]` : `${i > 0 ? "." : ""}${part}`)).join("");
        problems.push(`${path[0]}:${setPath} is a secret written in plain text in the stack file: encrypt it on its own with pulumi config set --secret --path '${setPath}' <value>`);
      }
      return;
    }
    if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  for (const [fullKey, value] of Object.entries(stackFileConfig)) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    walk(value, [namespace, fullKey.slice(namespace.length + 1)]);
  }
  return problems;
}

/** The plain-text secrets of Pulumi.<stack>.yaml in the project directory (the working directory of a Pulumi run), if it exists. */
export function plainTextSecretsOfStackFile(stack: string, namespace: string, dir = process.cwd()): string[] {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return [];
  let doc: { config?: Record<string, unknown> } | null;
  try {
    doc = YAML.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return []; // a malformed file is refused by the Pulumi CLI itself, with the line
  }
  return plainTextSecrets(doc?.config ?? {}, namespace);
}
