import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";

/** Name of every lock the stack puts on its data. */
export const dataLockName = "gitpod-data-do-not-delete";

/**
 * A CanNotDelete lock on one resource: Azure refuses its deletion, and with it the deletion of its resource group,
 * whoever asks (portal, `az group delete`, a script); Pulumi's `protect` guards only against Pulumi. Updates still
 * work. Pulumi removes the lock before the resource on a destroy; turn `azure.resourceLocks` off to delete by hand.
 */
export function lockAgainstDelete(name: string, scope: pulumi.Input<string>, what: string, opts: pulumi.CustomResourceOptions): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    name,
    { scope, lockName: dataLockName, level: "CanNotDelete", notes: `Gitpod ${what}: set gitpod-platform:azure.resourceLocks false before deleting it` },
    opts,
  );
}
