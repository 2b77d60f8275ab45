import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { Platform } from "../platform";

export interface AwsPlatformArgs {
  /** The validated stack config of a `cloud: aws` stack. */
  config: Extract<StackConfig, { cloud: "aws" }>;
}

/** PLACEHOLDER until the aws reference architecture lands: fails loudly instead of pretending. */
export class AwsPlatform extends pulumi.ComponentResource {
  readonly platform: Platform;
  constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Platform", name, {}, opts);
    throw new Error(`cloud: aws is not implemented yet (stack ${name}, domain ${args.config.domain})`);
  }
}
