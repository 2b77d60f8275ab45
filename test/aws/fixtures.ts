import { AwsStackConfig } from "../../components/aws/common";
import { parseStackConfig, ValidationOptions } from "../../config";
import { PlannedResource } from "../../scripts/plan/run";
import { configValues, minimalAwsConfig } from "../helpers";

/** A validated AWS stack config, with overrides on top of a minimal production stack. */
export function awsConfig(overrides: Record<string, unknown> = {}, options: ValidationOptions = {}): AwsStackConfig {
  const config = parseStackConfig(
    configValues({ ...minimalAwsConfig, ...overrides }),
    options,
  );
  if (config.cloud !== "aws") throw new Error("expected an aws config");
  return config;
}

export { planComponent } from "../helpers";

/** A JSON-string input (policy documents, add-on configuration) parsed. */
export function json(resource: PlannedResource, key: string): any {
  const value = resource.inputs[key];
  if (typeof value !== "string") throw new Error(`${resource.name}.${key} is not a JSON string: ${JSON.stringify(value)}`);
  return JSON.parse(value);
}
