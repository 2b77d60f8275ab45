import { parseStackConfig, StackConfig } from "../../config";
import { configValues, minimalGcpConfig } from "../helpers";

export type GcpConfig = Extract<StackConfig, { cloud: "gcp" }>;

/** A validated GCP stack config, with overrides on top of a minimal production stack. */
export function gcpConfig(overrides: Record<string, unknown> = {}): GcpConfig {
  const config = parseStackConfig(
    configValues({ ...minimalGcpConfig, ...overrides }),
  );
  if (config.cloud !== "gcp") throw new Error("expected a gcp config");
  return config;
}

export { planComponent } from "../helpers";
