import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/** The principal types a role assignment states; Azure refuses one that does not match (UnmatchedPrincipalType). */
export type PrincipalType = "ServicePrincipal" | "User" | "Group";

/**
 * The name of a role assignment, derived from its scope, role and principal: a UUID in the version-5 layout over
 * SHA-1, as Bicep's guid() and `az role assignment create` derive theirs. A rerun after lost state then finds the same
 * name (an update) instead of failing with RoleAssignmentExists under a random one. Pure.
 */
export function roleAssignmentName(scope: string, roleDefinitionId: string, principalId: string): string {
  const hex = createHash("sha1").update([scope, roleDefinitionId, principalId].map((part) => part.toLowerCase()).join("|")).digest("hex");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface GrantArgs {
  principalId: pulumi.Input<string>;
  /** Always stated: azure-native otherwise sends "User". */
  principalType: PrincipalType;
  roleDefinitionId: pulumi.Input<string>;
  scope: pulumi.Input<string>;
  description: string;
}

/**
 * A role assignment with its type stated and a deterministic name. A changed principal, role or scope changes the
 * name, so the old assignment is deleted first (Azure allows one per principal, role and scope).
 */
export function grantRole(name: string, args: GrantArgs, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      ...args,
      roleAssignmentName: pulumi
        .all([args.scope, args.roleDefinitionId, args.principalId])
        .apply(([scope, role, principal]) => roleAssignmentName(scope, role, principal)),
    },
    { ...opts, deleteBeforeReplace: true },
  );
}
