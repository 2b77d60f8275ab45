import * as pulumi from "@pulumi/pulumi";
import { CloudFakes } from "./fakes/types";
import { awsFakes } from "./fakes/aws";
import { azureFakes } from "./fakes/azure";
import { existingFakes } from "./fakes/existing";
import { gcpFakes } from "./fakes/gcp";
import { gitpodFakes } from "./fakes/gitpod";
import { kubernetesFakes } from "./fakes/kubernetes";
import { randomFakes } from "./fakes/random";
import { tlsFakes } from "./fakes/tls";

const allFakes: CloudFakes[] = [gcpFakes, awsFakes, azureFakes, existingFakes, kubernetesFakes, randomFakes, gitpodFakes, tlsFakes];

/**
 * Mocks for the Pulumi SDK's mock runtime. A resource's state is its inputs plus the fake computed outputs of
 * its type: the mocks return the computed outputs, and the SDK takes every other output from the inputs, as it does
 * when the engine gives no final value outside a preview (resolveOutputs in @pulumi/pulumi runtime/resource.js).
 * Echoing the inputs too sent each through protobuf and back for nothing (about 4% of a plan; the plans of every
 * committed stack are the same). A call (data source) without a fake fails the plan, so nothing silently returns
 * nothing.
 */
export function createMocks(fakes: CloudFakes[] = allFakes): pulumi.runtime.Mocks {
  const outputs = Object.assign({}, ...fakes.map((f) => f.outputs)) as CloudFakes["outputs"];
  const calls = Object.assign({}, ...fakes.map((f) => f.calls)) as CloudFakes["calls"];
  return {
    newResource(args) {
      const computed = outputs[args.type]?.(args.inputs, args.name) ?? {};
      return { id: args.custom ? `${args.name}-id` : undefined, state: computed };
    },
    call(args) {
      const fake = calls[args.token];
      if (!fake) throw new Error(`the offline plan has no fake for the call ${args.token}; add one in scripts/plan/fakes`);
      return fake(args.inputs);
    },
  };
}
