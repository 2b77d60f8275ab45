import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * A JSON key of a service account, as a secret. Only for what Gitpod 2022.11 itself can consume no other way
 * (Cloud SQL proxy, GCS, registry login); every in-cluster tool of ours uses workload identity instead.
 */
export function serviceAccountKeyJson(
  name: string,
  account: gcp.serviceaccount.Account,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const key = new gcp.serviceaccount.Key(name, { serviceAccountId: account.name }, { ...opts, additionalSecretOutputs: ["privateKey"] });
  return pulumi.secret(key.privateKey.apply((encoded) => Buffer.from(encoded, "base64").toString("utf8")));
}
