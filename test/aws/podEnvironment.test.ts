import * as pulumi from "@pulumi/pulumi";
import * as mocksModule from "../../scripts/plan/mocks";
import { planStack } from "../../scripts/plan/run";

/**
 * What the aws-prod program hands to pods, as the engine receives it (secrets in the clear, which the plan's
 * resources.json hides). Linux refuses to exec a process with one environment string over MAX_ARG_STRLEN =
 * 32 pages = 131,072 bytes (include/uapi/linux/binfmts.h), so a container whose env carries a longer value never
 * starts. Gitpod 2022.11.3 turns Secret keys into env variables (installer `common.DatabaseEnv`: the database CA
 * Secret's `ca.crt` becomes DB_CA_CERT of server, ws-manager-bridge, usage, public-api-server, the migrations and
 * the database-waiter init containers), so every Secret and ConfigMap value counts, as does every literal env value.
 */
const raw: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

/** Plans the stack with mocks that also keep every resource's raw inputs in `raw`. */
async function planKeepingRawInputs(stack: string): Promise<void> {
  const createMocks = mocksModule.createMocks;
  const spy = jest.spyOn(mocksModule, "createMocks").mockImplementation((...args) => {
    const mocks = createMocks(...args);
    return {
      ...mocks,
      newResource(resource: pulumi.runtime.MockResourceArgs) {
        raw.push({ type: resource.type, name: resource.name, inputs: resource.inputs });
        return mocks.newResource(resource);
      },
    };
  });
  try {
    await planStack(stack);
  } finally {
    spy.mockRestore();
  }
}

/** Linux's MAX_ARG_STRLEN: the longest single argv or envp string execve accepts. */
const maxEnvString = 131072;

/** A value as the mock monitor receives it: a secret arrives wrapped ({ <signature>: "secret", value }). */
function unwrap(value: unknown): unknown {
  const secret = value !== null && typeof value === "object" && Object.values(value).includes(pulumi.runtime.specialSecretSig);
  return secret ? unwrap((value as { value: unknown }).value) : value;
}

function plain(value: unknown): string {
  const unwrapped = unwrap(value);
  if (typeof unwrapped !== "string") throw new Error(`not a string value: ${JSON.stringify(unwrapped)}`);
  return unwrapped;
}

/** Every value a pod can get as an environment variable: Secret and ConfigMap keys, literal env values. */
function environmentValues(): { where: string; bytes: number; namespace: string }[] {
  const found: { where: string; bytes: number; namespace: string }[] = [];
  const visitEnv = (node: unknown, where: string, namespace: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visitEnv(item, `${where}[${i}]`, namespace));
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.env)) {
      for (const variable of record.env as { name: string; value?: unknown }[]) {
        if (variable.value !== undefined) found.push({ where: `${where} env ${variable.name}`, bytes: Buffer.byteLength(plain(variable.value)), namespace });
      }
    }
    for (const [key, value] of Object.entries(record)) visitEnv(value, `${where}.${key}`, namespace);
  };
  for (const { type, name, inputs } of raw) {
    if (!type.startsWith("kubernetes:")) continue;
    const namespace = String((inputs.metadata as { namespace?: string } | undefined)?.namespace ?? "");
    if (type === "kubernetes:core/v1:Secret" || type === "kubernetes:core/v1:ConfigMap") {
      for (const field of ["data", "stringData"]) {
        const data = (unwrap(inputs[field]) ?? {}) as Record<string, unknown>;
        for (const [key, wrapped] of Object.entries(data)) {
          const value = plain(wrapped);
          const bytes = field === "data" ? Buffer.from(value, "base64").length : Buffer.byteLength(value);
          found.push({ where: `${type} ${name} ${key}`, bytes, namespace });
        }
      }
    } else {
      visitEnv(inputs, `${type} ${name}`, namespace);
    }
  }
  return found;
}

describe("what the aws-prod stack passes into pods", () => {
  let values: { where: string; bytes: number; namespace: string }[];
  beforeAll(async () => {
    await planKeepingRawInputs("aws-prod");
    values = environmentValues();
  });

  it("includes the database CA Gitpod turns into DB_CA_CERT, as the engine receives it", () => {
    const ca = values.find((v) => v.where === "kubernetes:core/v1:Secret aws-prod-gitpod-secrets-database-ca ca.crt");
    expect(ca).toBeDefined();
    expect(ca!.bytes).toBeGreaterThan(1000);
  });

  it("never exceeds Linux's limit of one environment string (131,072 bytes)", () => {
    expect(values.filter((v) => v.bytes > maxEnvString)).toEqual([]);
  });

  it("keeps the Gitpod namespace's Secrets and ConfigMaps small in total (a pod's whole environment shares 2 MiB with argv)", () => {
    const total = values.filter((v) => v.namespace === "gitpod").reduce((sum, v) => sum + v.bytes, 0);
    expect(total).toBeLessThan(64 * 1024);
  });
});
