import { CloudFakes } from "./types";

/** Fake computed outputs and calls for aws resources in the offline plan. */
export const awsFakes: CloudFakes = { outputs: {}, calls: {} };
