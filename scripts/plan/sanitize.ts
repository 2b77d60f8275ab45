/**
 * Turns the wire form of Pulumi property values (as the engine receives them) into plain JSON for the plan:
 * secrets become "[secret]", resource references their URN, unknowns "[unknown]".
 */
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const outputSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const assetSig = "c44067f5952c0a294b673a41bacd8c17";
const archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";
const sigKey = "4dabf18193072939515e22adb298388d";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const SECRET = "[secret]";

export function sanitize(value: unknown): unknown {
  if (value === unknownValue) return "[unknown]";
  if (Array.isArray(value)) return value.map(sanitize);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[sigKey]) {
    case secretSig:
      return SECRET;
    case resourceSig:
      return record.urn;
    case outputSig:
      return record.secret ? SECRET : sanitize(record.value);
    case assetSig:
    case archiveSig:
      return `[asset ${String(record.path ?? record.uri ?? "inline")}]`;
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, sanitize(v)]));
}
