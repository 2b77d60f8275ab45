import * as k8s from "./sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface KubernetesProviderArgs {
  /** Kubeconfig of the stack's cluster (secret), from the platform. */
  kubeconfig: pulumi.Input<string>;
  /**
   * A stable identity of the cluster (its name). The provider is replaced only when this changes, so a rotated
   * credential or endpoint in the kubeconfig updates the provider instead of replacing every object on it.
   */
  clusterIdentifier: pulumi.Input<string>;
}

/**
 * The explicit Kubernetes provider of the stack's cluster: nothing depends on an ambient ~/.kube/config.
 * - Server-side apply, so fields owned by other controllers (e.g. cert-manager's cainjector filling webhook CA
 *   bundles) are not fought over.
 * - deleteUnreachable: when the cluster is gone (disaster recovery), `pulumi refresh` drops its objects from the
 *   state instead of failing, and the next `pulumi up` recreates them on the new cluster.
 * - No `upsertExistingObjects`: since 4.29 a create is client-side and fails on an object that already exists, which
 *   guards against the rename-then-delete data loss the option's doc describes. Restores therefore never bring back
 *   the program's own objects (Velero selects out `app.kubernetes.io/managed-by: pulumi`, components/kubernetes/
 *   managedLabel.ts), and test/recover/sequence.test.ts models the create semantics.
 */
export function kubernetesProvider(name: string, args: KubernetesProviderArgs, opts?: pulumi.CustomResourceOptions): k8s.Provider {
  return new k8s.Provider(
    name,
    {
      kubeconfig: args.kubeconfig,
      clusterIdentifier: args.clusterIdentifier,
      enableServerSideApply: true,
      deleteUnreachable: true,
    },
    opts,
  );
}
