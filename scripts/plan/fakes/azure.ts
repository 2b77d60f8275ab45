import { CloudFakes } from "./types";

/** Fake computed outputs and calls for azure resources in the offline plan. */
export const azureFakes: CloudFakes = { outputs: {}, calls: {} };
