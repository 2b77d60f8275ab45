/**
 * A kubeconfig that authenticates the way GKE requires since 1.26: the gke-gcloud-auth-plugin exec credential
 * (install it with `gcloud components install gke-gcloud-auth-plugin`). It holds no token itself.
 *
 * `server` is the cluster's DNS-based endpoint (`<uid>.<region>.gke.goog`): access is decided by IAM
 * (`container.clusters.connect`), not by the source address, so hosted CI runners reach a production control plane
 * whose IP endpoint admits only `masterAuthorizedNetworks`. That endpoint is terminated by Google's front end with a
 * publicly trusted certificate (Google Trust Services), so no `certificate-authority-data` is set for it: the cluster
 * CA would be the only trust anchor and fail (fluxcd/flux2#5896, gke-labs/kube-agents#1806, kubeswitch#163). The IP
 * endpoint is the fallback when the DNS endpoint is not known, with the cluster's own CA.
 */
export function gkeKubeconfig(contextName: string, server: { dnsEndpoint?: string; ipEndpoint: string; caCertificate: string }): string {
  const cluster = server.dnsEndpoint
    ? { server: `https://${server.dnsEndpoint}` }
    : { server: `https://${server.ipEndpoint}`, "certificate-authority-data": server.caCertificate };
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: contextName, cluster }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName } }],
    "current-context": contextName,
    users: [
      {
        name: contextName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
            provideClusterInfo: true,
          },
        },
      },
    ],
  });
}
