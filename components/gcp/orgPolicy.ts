import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

/** The constraint that forbids service-account keys, enforced by default in organisations made since 2024-05-03. */
export const keyCreationConstraint = "iam.disableServiceAccountKeyCreation";

/** The command an organisation policy administrator runs to allow keys in this project only. */
export function keyExceptionCommand(project: string): string {
  return `gcloud resource-manager org-policies disable-enforce ${keyCreationConstraint} --project=${project}`;
}

/**
 * What the project's own policy for the constraint says: `allowed` (an exception is set on the project), `forbidden`
 * (enforced on the project itself) or `inherited` (nothing on the project: the folder's or organisation's policy
 * applies, which this read cannot see; secure-by-default organisations enforce it). Pure.
 */
export function keyCreationPolicy(booleanPolicies: { enforced: boolean }[]): "allowed" | "forbidden" | "inherited" {
  if (booleanPolicies.length === 0) return "inherited";
  return booleanPolicies[0].enforced ? "forbidden" : "allowed";
}

/**
 * Checks, before any service-account key is created, that the project may create them: stops `pulumi up` with the
 * command to run when the project enforces the constraint, and warns with it when the project inherits the policy.
 * The provider reads the project's policy (Projects.GetOrgPolicy), not the effective one; a read that fails (the
 * deployer lacks orgpolicy.policy.get) only warns. Resolves to the project id; key resources take it as an input.
 */
export function keyCreationPreflight(project: string, opts: pulumi.InvokeOptions): pulumi.Output<string> {
  const check = gcp.projects
    .getOrganizationPolicy({ project, constraint: keyCreationConstraint }, opts)
    .then((policy) => keyCreationPolicy(policy.booleanPolicies ?? []))
    .catch((err: unknown) => {
      pulumi.log.warn(`could not read the organisation policy ${keyCreationConstraint} of ${project}: ${String(err)}`);
      return "inherited" as const;
    })
    .then((state) => {
      const help = `Gitpod 2022.11 needs service-account keys (object storage, registry login). Allow them in this project: ${keyExceptionCommand(project)} (docs/gcp.md)`;
      if (state === "forbidden") throw new Error(`project ${project} enforces ${keyCreationConstraint}. ${help}`);
      if (state === "inherited") pulumi.log.warn(`project ${project} inherits ${keyCreationConstraint}; if the organisation enforces it, key creation fails. ${help}`);
      return project;
    });
  return pulumi.output(check);
}
