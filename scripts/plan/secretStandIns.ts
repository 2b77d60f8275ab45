import { createHash } from "crypto";
import { ConfigError, configNamespace, parseStackConfig } from "../../config";

/**
 * Offline, an encrypted (`secure:`) value cannot be read; it gets a stand-in. The stand-in must pass the key's own
 * validation, or a stack that sets a secret correctly (e.g. `gitpod.databaseEncryptionKey`, base64 of 32 bytes)
 * could not be planned. The format is not listed per key: the config validator decides. Each secret starts as a
 * text stand-in; one the validator rejects gets the next format, until it passes or no format is left (then the
 * validator's message stands, as it would for a wrong value).
 */
const formats: ((seed: string) => string)[] = [
  (seed) => `offline-placeholder-for-${seed}`,
  // Base64 of 32 bytes: encryption keys.
  (seed) => createHash("sha256").update(seed).digest("base64"),
  // Hex of 32 bytes: keys and tokens given in hex.
  (seed) => createHash("sha256").update(seed).digest("hex"),
];

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** The stack file's config as the runtime hands it over, every `secure:` value replaced by a passing stand-in. */
export function secretStandIns(entries: [string, unknown][]): { values: Record<string, string>; secretKeys: string[] } {
  const choice = new Map<string, number>();
  const securePaths = new Set<string>();
  const replace = (value: unknown, at: string): unknown => {
    if (isSecure(value)) {
      securePaths.add(at);
      return formats[choice.get(at) ?? 0](at.replace(/[^A-Za-z0-9]+/g, "-"));
    }
    if (Array.isArray(value)) return value.map((item, i) => replace(item, `${at}.${i}`));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, `${at}.${k}`)]));
    return value;
  };
  const build = () => {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of entries) {
      const plain = replace(value, key);
      if (JSON.stringify(plain) !== JSON.stringify(value)) secretKeys.push(key);
      values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    }
    return { values, secretKeys };
  };
  for (;;) {
    const result = build();
    const rejected = [...securePaths].filter((p) => p.startsWith(`${configNamespace}:`) && rejectedPaths(result.values).some((r) => r === p));
    const next = rejected.filter((p) => (choice.get(p) ?? 0) + 1 < formats.length);
    if (next.length === 0) return result;
    for (const p of next) choice.set(p, (choice.get(p) ?? 0) + 1);
  }
}

/** The config paths (`namespace:a.b.0.c`) the validator rejects a value of. */
function rejectedPaths(values: Record<string, string>): string[] {
  try {
    parseStackConfig(values);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((problem) => /^(\S+?)(?: = | is |: )/.exec(problem)?.[1] ?? "");
  }
}
