import { AzureConfig } from "../../components/azure/settings";
import { parseStackConfig } from "../../config";
import { PlannedResource } from "../../scripts/plan/run";
import { configValues } from "../helpers";

export const subscriptionId = "12345678-1234-4234-8234-123456789abc";

/** A validated Azure stack config, with overrides on top of a minimal production stack. */
export function azureConfig(overrides: Record<string, unknown> = {}, azure: Record<string, unknown> = {}): AzureConfig {
  const config = parseStackConfig(
    configValues({
      cloud: "azure",
      environment: "production",
      domain: "gitpod.example.com",
      azure: { location: "westeurope", subscriptionId, ...azure },
      certificates: { acmeEmail: "ops@example.com" },
      // West Europe's Azure pair: geo-redundant storage and backups copy there.
      backup: { replicaRegion: "northeurope" },
      // In AKS standard support until Mar 2027 (the AKS calendar); tests that change the cluster section set their own.
      cluster: { kubernetesVersion: "1.35" },
      ...overrides,
    }),
  );
  if (config.cloud !== "azure") throw new Error("expected an azure config");
  return config;
}

/** Runs a component on the mock runtime and returns what it registered plus whatever `build` returns as outputs. */
export { planComponent } from "../helpers";

export function inputs(resource: PlannedResource): Record<string, any> {
  return resource.inputs as Record<string, any>;
}
