import { CloudFakes } from "./types";

/** Fake computed outputs and calls for kubernetes resources in the offline plan. */
export const kubernetesFakes: CloudFakes = { outputs: {}, calls: {} };
