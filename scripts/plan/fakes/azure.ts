import { createHash } from "crypto";
import { fakeSecretMarker } from "./random";
import { CloudFakes } from "./types";
import { standIn } from "../standIns";

/** A stable fake GUID derived from a seed, so that the plan reads the same on every run. */
function fakeGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return standIn(`GUID of ${seed}`, `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`);
}

/** An offline kubeconfig in the shape AKS returns for `format=exec` (kubelogin) or the admin credential. */
function fakeKubeconfig(cluster: string, exec: boolean): string {
  const user = exec
    ? [
        "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1beta1",
        "      command: kubelogin",
        "      args:",
        "      - get-token",
        "      - --environment",
        "      - AzurePublicCloud",
        "      - --server-id",
        "      - 6dae42f8-4368-4678-94ff-3960e28e3630",
        "      - --client-id",
        "      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a",
        "      - --tenant-id",
        `      - ${fakeGuid("tenant")}`,
        "      - --login",
        "      - devicecode",
        "      installHint: install kubelogin",
        "      provideClusterInfo: false",
      ]
    : ["    client-certificate-data: b2ZmbGluZS1wbGFuLWNlcnQ=", "    client-key-data: b2ZmbGluZS1wbGFuLWtleQ=="];
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${cluster}`,
    "  cluster:",
    "    certificate-authority-data: b2ZmbGluZS1wbGFuLWNh",
    `    server: https://${cluster}.hcp.offline.azmk8s.io:443`,
    "contexts:",
    `- name: ${cluster}`,
    "  context:",
    `    cluster: ${cluster}`,
    `    user: ${exec ? "clusterUser" : "clusterAdmin"}_${cluster}`,
    `current-context: ${cluster}`,
    "users:",
    `- name: ${exec ? "clusterUser" : "clusterAdmin"}_${cluster}`,
    "  user:",
    ...user,
    "",
  ].join("\n");
}

/** Fake computed outputs and calls for azure-native resources in the offline plan. */
export const azureFakes: CloudFakes = {
  outputs: {
    "azure-native:resources:ResourceGroup": (inputs, name) => ({ name: inputs.resourceGroupName ?? name }),
    "azure-native:network:VirtualNetwork": (inputs, name) => ({ name: inputs.virtualNetworkName ?? name }),
    "azure-native:network:Subnet": (inputs, name) => ({ name: inputs.subnetName ?? name }),
    "azure-native:managedidentity:UserAssignedIdentity": (inputs, name) => ({
      name: inputs.resourceName ?? name,
      clientId: fakeGuid(`client-${inputs.resourceName ?? name}`),
      principalId: fakeGuid(`principal-${inputs.resourceName ?? name}`),
      tenantId: fakeGuid("tenant"),
    }),
    "azure-native:network:PublicIPAddress": (inputs, name) => {
      const byte = parseInt(createHash("sha256").update(String(inputs.publicIpAddressName ?? name)).digest("hex").slice(0, 2), 16);
      return { name: inputs.publicIpAddressName ?? name, ipAddress: `203.0.113.${byte}` };
    },
    "azure-native:network:NatGateway": (inputs, name) => ({ name: inputs.natGatewayName ?? name }),
    "azure-native:containerservice:ManagedCluster": (inputs, name) => ({
      name: inputs.resourceName ?? name,
      // AKS creates the kubelet identity in the node resource group.
      identityProfile: { kubeletidentity: { objectId: fakeGuid(`kubelet-${inputs.resourceName ?? name}`), clientId: fakeGuid(`kubelet-client-${name}`) } },
      fqdn: `${inputs.dnsPrefix}.hcp.${inputs.location}.azmk8s.io`,
      oidcIssuerProfile: {
        ...inputs.oidcIssuerProfile,
        issuerURL: `https://${inputs.location}.oic.prod-aks.azure.com/${fakeGuid("tenant")}/${fakeGuid(`issuer-${name}`)}/`,
      },
    }),
    "azure-native:containerservice:AgentPool": (inputs, name) => ({ name: inputs.agentPoolName ?? name }),
    "azure-native:privatedns:PrivateZone": (inputs, name) => ({ name: inputs.privateZoneName ?? name }),
    "azure-native:dbformysql:Server": (inputs, name) => ({
      name: inputs.serverName ?? name,
      fullyQualifiedDomainName: `${inputs.serverName ?? name}.mysql.database.azure.com`,
    }),
    "azure-native:dbformysql:Database": (inputs, name) => ({ name: inputs.databaseName ?? name }),
    "azure-native:storage:StorageAccount": (inputs, name) => ({
      name: inputs.accountName ?? name,
      primaryEndpoints: { blob: `https://${inputs.accountName ?? name}.blob.core.windows.net/` },
      // Read-access geo-redundant SKUs (RA-GRS, RA-GZRS) also serve reads from the paired region.
      ...(String(inputs.sku?.name ?? "").startsWith("Standard_RA")
        ? { secondaryEndpoints: { blob: `https://${inputs.accountName ?? name}-secondary.blob.core.windows.net/` } }
        : {}),
    }),
    "azure-native:storage:BlobContainer": (inputs, name) => ({ name: inputs.containerName ?? name }),
    "azure-native:containerregistry:Registry": (inputs, name) => ({
      name: inputs.registryName ?? name,
      loginServer: `${String(inputs.registryName ?? name).toLowerCase()}.azurecr.io`,
    }),
    "azure-native:containerregistry:ScopeMap": (inputs, name) => ({ name: inputs.scopeMapName ?? name }),
    "azure-native:containerregistry:Token": (inputs, name) => ({ name: inputs.tokenName ?? name }),
    "azure-native:dns:Zone": (inputs, name) => ({
      name: inputs.zoneName ?? name,
      nameServers: [1, 2, 3, 4].map((i) => standIn(`name server ${i}`, `ns-offline-${i}.example.net.`)),
    }),
    "azure-native:authorization:RoleAssignment": (inputs) => ({ principalId: inputs.principalId }),
  },
  calls: {
    "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => ({
      kubeconfigs: [{ name: "clusterUser", value: Buffer.from(fakeKubeconfig(inputs.resourceName, true)).toString("base64") }],
    }),
    "azure-native:containerservice:listManagedClusterAdminCredentials": (inputs) => ({
      kubeconfigs: [{ name: "clusterAdmin", value: Buffer.from(fakeKubeconfig(inputs.resourceName, false)).toString("base64") }],
    }),
    "azure-native:storage:listStorageAccountKeys": (inputs) => ({
      keys: [
        { keyName: "key1", permissions: "FULL", value: `${fakeSecretMarker}-key1-${inputs.accountName}` },
        { keyName: "key2", permissions: "FULL", value: `${fakeSecretMarker}-key2-${inputs.accountName}` },
      ],
    }),
  },
};
