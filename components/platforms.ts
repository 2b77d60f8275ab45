import { StackConfig } from "../config";
import { Platform } from "./platform";

/*
 * Each cloud is loaded only when the stack uses it: a stack pays for its own cloud's SDK (and its type-only
 * imports cost nothing at run time). `typeof import(...)` keeps the calls fully typed.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/** Builds the reference architecture of the stack's cloud and returns the contract the Kubernetes layer uses. */
export function createPlatform(name: string, config: StackConfig): Platform {
  switch (config.cloud) {
    case "gcp": {
      const { GcpPlatform } = require("./gcp") as typeof import("./gcp");
      return new GcpPlatform(name, { config }).platform;
    }
    case "aws": {
      const { AwsPlatform } = require("./aws") as typeof import("./aws");
      return new AwsPlatform(name, { config }).platform;
    }
    case "azure": {
      const { AzurePlatform } = require("./azure") as typeof import("./azure");
      return new AzurePlatform(name, { config }).platform;
    }
    case "existing": {
      const { ExistingPlatform } = require("./existing") as typeof import("./existing");
      return new ExistingPlatform(name, { config }).platform;
    }
  }
}
