import { parseStackConfig, StackConfig } from "../../config";
import { configValues } from "../helpers";

export type GcpConfig = Extract<StackConfig, { cloud: "gcp" }>;

/** A validated GCP stack config, with overrides on top of a minimal production stack. */
export function gcpConfig(overrides: Record<string, unknown> = {}): GcpConfig {
  const config = parseStackConfig(
    configValues({
      cloud: "gcp",
      environment: "production",
      domain: "gitpod.example.com",
      gcp: { project: "my-gitpod-project", region: "europe-west1" },
      certificates: { acmeEmail: "ops@example.com" },
      backup: { replicaRegion: "europe-west4" },
      ...overrides,
    }),
  );
  if (config.cloud !== "gcp") throw new Error("expected a gcp config");
  return config;
}

export { planComponent } from "../helpers";
