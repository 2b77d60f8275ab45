import { StackConfig } from "../config";
import { AwsPlatform } from "./aws";
import { AzurePlatform } from "./azure";
import { GcpPlatform } from "./gcp";
import { Platform } from "./platform";

/** Builds the reference architecture of the stack's cloud and returns the contract the Kubernetes layer uses. */
export function createPlatform(name: string, config: StackConfig): Platform {
  switch (config.cloud) {
    case "gcp":
      return new GcpPlatform(name, { config }).platform;
    case "aws":
      return new AwsPlatform(name, { config }).platform;
    case "azure":
      return new AzurePlatform(name, { config }).platform;
  }
}
