/**
 * The Gitpod platform's CrossGuard policy pack: `pulumi preview --policy-pack policy` (and `pulumi up`). The rules
 * live in the family files beside this one (see docs/policy.md); this file only serves them for the current stack.
 */
import { PolicyPack } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { toPolicies } from "./adapter";
import { stackContext } from "./context";
import { rules } from "./rules";

new PolicyPack("gitpod-platform", {
  description: "Security and recoverability of the Gitpod Self-Hosted platform on GCP, AWS and Azure",
  enforcementLevel: "advisory",
  policies: toPolicies(rules, stackContext(pulumi.getStack(), pulumi.runtime.allConfig())),
});
