import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { Platform } from "../platform";

export interface AzurePlatformArgs {
  /** The validated stack config of a `cloud: azure` stack. */
  config: Extract<StackConfig, { cloud: "azure" }>;
}

/** PLACEHOLDER until the azure reference architecture lands: fails loudly instead of pretending. */
export class AzurePlatform extends pulumi.ComponentResource {
  readonly platform: Platform;
  constructor(name: string, args: AzurePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Platform", name, {}, opts);
    throw new Error(`cloud: azure is not implemented yet (stack ${name}, domain ${args.config.domain})`);
  }
}
