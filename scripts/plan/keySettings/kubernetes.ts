/** Key settings of Kubernetes resources for the plan tree (see ../keySettings.ts). */
export const kubernetesKeySettings: Record<string, string[]> = {
  "pulumi:providers:kubernetes": ["clusterIdentifier", "enableServerSideApply", "deleteUnreachable"],
  "kubernetes:core/v1:Namespace": ["metadata.name"],
  "kubernetes:core/v1:Secret": ["metadata.namespace", "metadata.name"],
  "kubernetes:helm.sh/v4:Chart": [
    "chart",
    "version",
    "namespace",
    "values.provider",
    "values.serviceAccount.annotations",
    "values.podLabels",
    "values.dns01RecursiveNameservers",
    "values.domainFilters",
    "values.policy",
    "values.txtOwnerId",
  ],
  "kubernetes:cert-manager.io/v1:ClusterIssuer": ["metadata.name", "spec.acme.server", "spec.acme.solvers"],
  "kubernetes:cert-manager.io/v1:Certificate": ["metadata.namespace", "metadata.name", "spec.issuerRef", "spec.dnsNames"],
};
