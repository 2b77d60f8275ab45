/**
 * The config of the running stack, read from the Pulumi runtime (real engine or mock runtime alike). Apart from
 * config/index.ts so that validating a config (the tests, the scripts' argument checks) does not load the Pulumi SDK.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, configNamespace, parseStackConfig, StackConfig } from ".";
import { plainTextSecretsOfStackFile } from "./validate/secrets";

/** Reads and validates the config of the running stack, at today's date. */
export function readStackConfig(): StackConfig {
  const plainSecrets = plainTextSecretsOfStackFile(pulumi.getStack(), configNamespace);
  try {
    const config = parseStackConfig(pulumi.runtime.allConfig(), { stack: pulumi.getStack(), onWarning: (message) => void pulumi.log.warn(message) });
    if (plainSecrets.length > 0) throw new ConfigError(plainSecrets);
    return config;
  } catch (err) {
    if (err instanceof ConfigError && plainSecrets.length > 0 && err.problems !== plainSecrets) throw new ConfigError([...plainSecrets, ...err.problems]);
    throw err;
  }
}
