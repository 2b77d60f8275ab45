import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

/** How keys are made: the rotation keeper (config gcp.keyRotation) and the organisation-policy preflight (orgPolicy.ts). */
export interface ServiceAccountKeyPolicy {
  rotation: string;
  preflight: pulumi.Input<string>;
}

/**
 * A JSON key of a service account, as a secret. Only for what Gitpod 2022.11 itself can consume no other way (GCS
 * and the registry login); every in-cluster tool of ours uses workload identity instead. `rotation` (config
 * gcp.keyRotation) is a keeper: changing it creates a new key before the old one is deleted. Organisations created
 * since 2024-05-03 forbid key creation by default (iam.disableServiceAccountKeyCreation): see orgPolicy.ts.
 */
export function serviceAccountKeyJson(
  name: string,
  account: gcp.serviceaccount.Account,
  policy: ServiceAccountKeyPolicy,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  // The account's name reaches the key only once the organisation-policy preflight passed.
  const serviceAccountId = pulumi.all([account.name, policy.preflight]).apply(([accountName]) => accountName);
  const key = new gcp.serviceaccount.Key(
    name,
    { serviceAccountId, keepers: { rotation: policy.rotation } },
    { ...opts, additionalSecretOutputs: ["privateKey"], deleteBeforeReplace: false },
  );
  return pulumi.secret(key.privateKey.apply((encoded) => Buffer.from(encoded, "base64").toString("utf8")));
}
