import { ResourceView, StackContext } from "../../policy/lib";

/**
 * One bad fixture: a compliant base (a committed stack's plan, or resources built by hand) and one change that must
 * make `rule` report a violation whose message names `resource` and `setting`. The test also checks that the base
 * itself has no such violation, so the change is what the rule caught.
 */
export interface BadFixture {
  rule: string;
  title: string;
  /** A committed stack whose plan is the base; unset: `base` builds the resources. */
  stack?: "prod" | "aws-prod" | "azure-prod";
  base?: () => ResourceView[];
  /** Changes the (deep-copied) base in place, or returns a new list. */
  mutate: (resources: ResourceView[]) => ResourceView[] | void;
  /** Overrides of the stack context (default: the stack's own config, or production on GCP for built bases). */
  context?: Partial<StackContext>;
  resource: string;
  setting: string;
}

/** A resource built by hand, with a URN in a fixture stack. */
export function res(type: string, name: string, props: Record<string, unknown>, options: { protect?: boolean; dependencies?: string[] } = {}): ResourceView {
  return { urn: urnOf(type, name), type, name, props, protect: options.protect ?? false, dependencies: options.dependencies ?? [] };
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:fixture::gitpod-platform::${type}::${name}`;
}

/** The resource of that name; throws (failing the test) if the base does not have it. */
export function named(resources: ResourceView[], name: string): ResourceView {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`fixture base has no resource ${name}`);
  return found;
}

/** Sets a value at a path of a resource's props, creating objects on the way. */
export function set(resource: ResourceView, path: string[], value: unknown): void {
  let at = resource.props as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
}

export function without(resources: ResourceView[], name: string): ResourceView[] {
  named(resources, name);
  return resources.filter((r) => r.name !== name);
}

const veleroChart = () =>
  res("kubernetes:helm.sh/v4:Chart", "velero-chart", {
    chart: "velero",
    version: "12.1.0",
    namespace: "velero",
    repositoryOpts: { repo: "https://vmware-tanzu.github.io/helm-charts" },
    values: {
      image: { repository: "velero/velero", tag: "v1.17.1" },
      initContainers: [{ name: "velero-plugin-for-gcp", image: "velero/velero-plugin-for-gcp:v1.13.1" }],
      serviceAccount: { server: { create: true, name: "velero", annotations: { "iam.gke.io/gcp-service-account": "velero@p.iam.gserviceaccount.com" } } },
    },
  });

const veleroSchedule = () =>
  res("kubernetes:velero.io/v1:Schedule", "velero-schedule", {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name: "gitpod", namespace: "velero" },
    spec: { schedule: "0 */6 * * *", paused: false, template: { includedNamespaces: ["gitpod", "cert-manager"], ttl: "720h0m0s" } },
  });

const veleroStack = () => [veleroChart(), veleroSchedule()];

const gcsBucket = () =>
  res("gcp:storage/bucket:Bucket", "backup-bucket", {
    name: "gitpod-backups",
    location: "EU",
    publicAccessPrevention: "enforced",
    uniformBucketLevelAccess: true,
    versioning: { enabled: true },
    forceDestroy: false,
  }, { protect: true });

const rdsParameterGroup = () =>
  res("aws:rds/parameterGroup:ParameterGroup", "mysql-params", { family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "1" }] });

const keyFor = (resources: ResourceView[], account: string) =>
  res("gcp:serviceaccount/key:Key", "certs-key", { serviceAccountId: named(resources, account).props.accountId }, { dependencies: [named(resources, account).urn] });

export const badFixtures: BadFixture[] = [
  // database
  { rule: "database-not-public", title: "Cloud SQL with a public IPv4 address", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "ipConfiguration", "ipv4Enabled"], true), resource: "prod-database-mysql", setting: "settings.ipConfiguration.ipv4Enabled" },
  { rule: "database-not-public", title: "Cloud SQL with authorized networks", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "ipConfiguration", "authorizedNetworks"], [{ value: "0.0.0.0/0" }]), resource: "prod-database-mysql", setting: "settings.ipConfiguration.authorizedNetworks" },
  { rule: "database-not-public", title: "RDS publicly accessible", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["publiclyAccessible"], true), resource: "aws-prod-database-mysql", setting: "publiclyAccessible" },
  {
    rule: "database-not-public",
    title: "Azure MySQL with public network access and no delegated subnet",
    stack: "azure-prod",
    mutate: (r) => {
      set(named(r, "azure-prod-database-mysql"), ["network", "publicNetworkAccess"], "Enabled");
      set(named(r, "azure-prod-database-mysql"), ["network", "delegatedSubnetResourceId"], undefined);
    },
    resource: "azure-prod-database-mysql",
    setting: "network.publicNetworkAccess",
  },
  { rule: "database-tls-required", title: "Cloud SQL accepting plain-text connections", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "ipConfiguration", "sslMode"], "ALLOW_UNENCRYPTED_AND_ENCRYPTED"), resource: "prod-database-mysql", setting: "settings.ipConfiguration.sslMode" },
  { rule: "database-tls-required", title: "Azure MySQL require_secure_transport OFF", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-database-require-secure-transport"), ["value"], "OFF"), resource: "azure-prod-database-require-secure-transport", setting: "require_secure_transport" },
  { rule: "database-tls-required", title: "Azure MySQL allowing TLS 1.1", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-database-tls-version"), ["value"], "TLSv1.1,TLSv1.2"), resource: "azure-prod-database-tls-version", setting: "tls_version" },
  { rule: "rds-require-secure-transport", title: "RDS parameter group without require_secure_transport", base: () => [rdsParameterGroup()], mutate: (r) => set(named(r, "mysql-params"), ["parameters"], []), resource: "mysql-params", setting: "require_secure_transport" },
  { rule: "rds-require-secure-transport", title: "RDS MySQL on the default parameter group", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["parameterGroupName"], undefined), resource: "aws-prod-database-mysql", setting: "parameterGroupName" },
  { rule: "database-encrypted-at-rest", title: "RDS storage not encrypted", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["storageEncrypted"], false), resource: "aws-prod-database-mysql", setting: "storageEncrypted" },
  { rule: "database-deletion-protection", title: "Cloud SQL without API-side deletion protection", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "deletionProtectionEnabled"], false), resource: "prod-database-mysql", setting: "settings.deletionProtectionEnabled" },
  { rule: "database-deletion-protection", title: "RDS without deletion protection", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["deletionProtection"], false), resource: "aws-prod-database-mysql", setting: "deletionProtection" },
  { rule: "database-high-availability", title: "zonal Cloud SQL in production", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "availabilityType"], "ZONAL"), resource: "prod-database-mysql", setting: "settings.availabilityType" },
  { rule: "database-high-availability", title: "single-AZ RDS in production", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["multiAz"], false), resource: "aws-prod-database-mysql", setting: "multiAz" },
  { rule: "database-high-availability", title: "Azure MySQL without HA in production", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-database-mysql"), ["highAvailability", "mode"], "Disabled"), resource: "azure-prod-database-mysql", setting: "highAvailability.mode" },

  // backup
  { rule: "database-backups", title: "Cloud SQL backups off", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "backupConfiguration", "enabled"], false), resource: "prod-database-mysql", setting: "settings.backupConfiguration.enabled" },
  { rule: "database-backups", title: "Cloud SQL keeping 3 backups in production", stack: "prod", mutate: (r) => set(named(r, "prod-database-mysql"), ["settings", "backupConfiguration", "backupRetentionSettings", "retainedBackups"], 3), resource: "prod-database-mysql", setting: "retainedBackups" },
  { rule: "database-backups", title: "RDS backups off", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["backupRetentionPeriod"], 0), resource: "aws-prod-database-mysql", setting: "backupRetentionPeriod" },
  { rule: "database-backups", title: "Azure MySQL keeping 3 days in production", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-database-mysql"), ["backup", "backupRetentionDays"], 3), resource: "azure-prod-database-mysql", setting: "backup.backupRetentionDays" },
  { rule: "database-backups-survive-deletion", title: "RDS deleting its automated backups with it", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["deleteAutomatedBackups"], true), resource: "aws-prod-database-mysql", setting: "deleteAutomatedBackups" },
  { rule: "database-backups-survive-deletion", title: "RDS without a final snapshot", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-database-mysql"), ["skipFinalSnapshot"], true), resource: "aws-prod-database-mysql", setting: "skipFinalSnapshot" },
  {
    rule: "backups-in-second-region",
    title: "Velero's GCS bucket in a single region",
    stack: "prod",
    mutate: (r) => {
      set(named(r, "prod-backup-bucket"), ["location"], "EUROPE-WEST1");
      set(named(r, "prod-backup-bucket"), ["customPlacementConfig"], undefined);
    },
    resource: "prod-backup-bucket",
    setting: "customPlacementConfig.dataLocations",
  },
  { rule: "backups-in-second-region", title: "Velero's S3 bucket not replicated", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-replication-velero-backups"), resource: "aws-prod-backup-bucket-bucket", setting: "BucketReplicationConfig" },
  { rule: "backups-in-second-region", title: "Velero's Azure account locally redundant", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-backup-account"), ["sku", "name"], "Standard_ZRS"), resource: "azure-prod-backup-account", setting: "sku.name" },
  { rule: "backups-in-second-region", title: "RDS backups kept in one region", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-backup-db-backups"), resource: "aws-prod-database-mysql", setting: "InstanceAutomatedBackupsReplication" },
  { rule: "backups-in-second-region", title: "Azure MySQL backups locally redundant", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-database-mysql"), ["backup", "geoRedundantBackup"], "Disabled"), resource: "azure-prod-database-mysql", setting: "backup.geoRedundantBackup" },
  { rule: "velero-schedule-covers-gitpod", title: "schedule backing up cert-manager only", base: veleroStack, mutate: (r) => set(named(r, "velero-schedule"), ["spec", "template", "includedNamespaces"], ["cert-manager"]), resource: "velero-schedule", setting: "spec.template.includedNamespaces" },
  { rule: "velero-schedule-covers-gitpod", title: "schedule excluding gitpod", base: veleroStack, mutate: (r) => set(named(r, "velero-schedule"), ["spec", "template", "excludedNamespaces"], ["gitpod"]), resource: "velero-schedule", setting: "excludedNamespaces" },
  { rule: "velero-schedule-covers-gitpod", title: "Velero without any schedule", base: veleroStack, mutate: (r) => without(r, "velero-schedule"), resource: "velero-chart", setting: "kubernetes:velero.io/v1:Schedule" },
  { rule: "velero-backup-retention", title: "backups kept one day", base: veleroStack, mutate: (r) => set(named(r, "velero-schedule"), ["spec", "template", "ttl"], "24h0m0s"), resource: "velero-schedule", setting: "spec.template.ttl" },
  { rule: "velero-schedule-active", title: "paused schedule", base: veleroStack, mutate: (r) => set(named(r, "velero-schedule"), ["spec", "paused"], true), resource: "velero-schedule", setting: "spec.paused" },

  // storage
  { rule: "bucket-not-public", title: "GCS bucket without public access prevention", base: () => [gcsBucket()], mutate: (r) => set(named(r, "backup-bucket"), ["publicAccessPrevention"], "inherited"), resource: "backup-bucket", setting: "publicAccessPrevention" },
  { rule: "bucket-not-public", title: "GCS bucket with object ACLs", base: () => [gcsBucket()], mutate: (r) => set(named(r, "backup-bucket"), ["uniformBucketLevelAccess"], false), resource: "backup-bucket", setting: "uniformBucketLevelAccess" },
  {
    rule: "bucket-not-public",
    title: "GCS bucket readable by allUsers",
    base: () => [gcsBucket(), res("gcp:storage/bucketIAMMember:BucketIAMMember", "backup-objects", { bucket: "gitpod-backups", role: "roles/storage.objectViewer", member: "serviceAccount:velero@p.iam.gserviceaccount.com" })],
    mutate: (r) => set(named(r, "backup-objects"), ["member"], "allUsers"),
    resource: "backup-objects",
    setting: "member",
  },
  { rule: "bucket-not-public", title: "S3 public access block letting public policies through", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-storage-objects-public-access"), ["blockPublicPolicy"], false), resource: "aws-prod-storage-objects-public-access", setting: "blockPublicPolicy" },
  {
    rule: "bucket-not-public",
    title: "S3 bucket policy open to everyone",
    stack: "aws-prod",
    mutate: (r) => set(named(r, "aws-prod-storage-objects-tls-only"), ["policy"], JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] })),
    resource: "aws-prod-storage-objects-tls-only",
    setting: "policy",
  },
  { rule: "bucket-not-public", title: "Azure storage account allowing public blobs", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-storage-account"), ["allowBlobPublicAccess"], true), resource: "azure-prod-storage-account", setting: "allowBlobPublicAccess" },
  {
    rule: "bucket-not-public",
    title: "Azure blob container with public access",
    base: () => [res("azure-native:storage:BlobContainer", "backup-container", { accountName: "a", containerName: "velero", publicAccess: "None" })],
    mutate: (r) => set(named(r, "backup-container"), ["publicAccess"], "Blob"),
    resource: "backup-container",
    setting: "publicAccess",
  },
  { rule: "bucket-versioning", title: "GCS bucket without versioning", base: () => [gcsBucket()], mutate: (r) => set(named(r, "backup-bucket"), ["versioning", "enabled"], false), resource: "backup-bucket", setting: "versioning.enabled" },
  { rule: "bucket-versioning", title: "S3 versioning suspended", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-storage-objects-versioning"), ["versioningConfiguration", "status"], "Suspended"), resource: "aws-prod-storage-objects-versioning", setting: "versioningConfiguration.status" },
  { rule: "bucket-versioning", title: "Azure blob versioning off", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-storage-blob-service"), ["isVersioningEnabled"], false), resource: "azure-prod-storage-blob-service", setting: "isVersioningEnabled" },
  {
    rule: "bucket-encrypted",
    title: "S3 encryption configuration without an algorithm",
    stack: "aws-prod",
    mutate: (r) => set(named(r, "aws-prod-storage-objects-encryption"), ["rules"], [{ bucketKeyEnabled: true }]),
    resource: "aws-prod-storage-objects-encryption",
    setting: "sseAlgorithm",
  },
  { rule: "storage-tls-only", title: "Azure storage accepting TLS 1.0", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-storage-account"), ["minimumTlsVersion"], "TLS1_0"), resource: "azure-prod-storage-account", setting: "minimumTlsVersion" },
  { rule: "storage-tls-only", title: "Azure storage accepting HTTP", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-storage-account"), ["enableHttpsTrafficOnly"], false), resource: "azure-prod-storage-account", setting: "enableHttpsTrafficOnly" },
  { rule: "bucket-controls-attached", title: "S3 bucket without its public access block", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-storage-objects-public-access"), resource: "aws-prod-storage-objects-bucket", setting: "BucketPublicAccessBlock" },
  { rule: "bucket-controls-attached", title: "S3 bucket without a TLS-only policy", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-storage-registry-tls-only"), resource: "aws-prod-storage-registry-bucket", setting: "aws:SecureTransport" },
  { rule: "bucket-controls-attached", title: "Azure storage account without blob service properties", stack: "azure-prod", mutate: (r) => without(r, "azure-prod-storage-blob-service"), resource: "azure-prod-storage-account", setting: "BlobServiceProperties" },
  { rule: "registry-not-public", title: "ACR with anonymous pull", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-registry-acr"), ["anonymousPullEnabled"], true), resource: "azure-prod-registry-acr", setting: "anonymousPullEnabled" },
  { rule: "registry-not-public", title: "ACR admin user", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-registry-acr"), ["adminUserEnabled"], true), resource: "azure-prod-registry-acr", setting: "adminUserEnabled" },
  { rule: "registry-not-public", title: "Artifact Registry readable by allUsers", stack: "prod", mutate: (r) => set(named(r, "prod-registry-writer"), ["member"], "allUsers"), resource: "prod-registry-writer", setting: "member" },
  {
    rule: "registry-not-public",
    title: "ECR repository policy open to everyone",
    base: () => [res("aws:ecr/repositoryPolicy:RepositoryPolicy", "mirror-policy", { repository: "mirror", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "ecr:BatchGetImage" }] }) })],
    mutate: (r) => set(named(r, "mirror-policy"), ["policy"], JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:BatchGetImage" }] })),
    resource: "mirror-policy",
    setting: "policy",
  },
  { rule: "dns-dnssec", title: "unsigned Cloud DNS zone", stack: "prod", mutate: (r) => set(named(r, "prod-dns-zone"), ["dnssecConfig", "state"], "off"), resource: "prod-dns-zone", setting: "dnssecConfig.state" },
  { rule: "dns-dnssec", title: "Route 53 zone without DNSSEC", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-dns-dnssec"), resource: "aws-prod-dns-zone", setting: "HostedZoneDnsSec" },
  { rule: "dns-dnssec", title: "Azure zone without DNSSEC", stack: "azure-prod", mutate: (r) => without(r, "azure-prod-dns-dnssec"), resource: "azure-prod-dns-zone", setting: "DnssecConfig" },

  // cluster
  { rule: "node-pools-gitpod-labels", title: "regular workspace pool with a wrong label value", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-regular-workspaces"), ["nodeConfig", "labels", "gitpod.io/workload_workspace_regular"], "false"), resource: "prod-cluster-regular-workspaces", setting: "nodeConfig.labels" },
  { rule: "node-pools-gitpod-labels", title: "AKS services pool without labels", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["agentPoolProfiles", "0", "nodeLabels"], {}), resource: "azure-prod-cluster-aks", setting: "agentPoolProfiles[0].nodeLabels" },
  {
    rule: "node-pools-gitpod-labels",
    title: "a fourth EKS node group with the headless labels",
    stack: "aws-prod",
    mutate: (r) => {
      const copy = JSON.parse(JSON.stringify(named(r, "aws-prod-cluster-headless-workspaces-ng"))) as ResourceView;
      copy.name = "aws-prod-cluster-extra-ng";
      copy.urn = urnOf(copy.type, copy.name);
      return [...r, copy];
    },
    resource: "aws-prod-cluster-extra-ng",
    setting: "labels",
  },
  { rule: "network-policy-enabled", title: "GKE without network policy", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-gke"), ["networkPolicy", "enabled"], false), resource: "prod-cluster-gke", setting: "networkPolicy" },
  { rule: "network-policy-enabled", title: "AKS without a network policy engine", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["networkProfile", "networkPolicy"], undefined), resource: "azure-prod-cluster-aks", setting: "networkProfile.networkPolicy" },
  { rule: "network-policy-enabled", title: "EKS without Calico", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-calico-tigera-operator"), resource: "aws-prod-cluster-eks", setting: "tigera-operator" },
  { rule: "workload-identity-enabled", title: "GKE without a workload pool", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-gke"), ["workloadIdentityConfig"], undefined), resource: "prod-cluster-gke", setting: "workloadIdentityConfig.workloadPool" },
  { rule: "workload-identity-enabled", title: "AKS without workload identity", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["securityProfile", "workloadIdentity", "enabled"], false), resource: "azure-prod-cluster-aks", setting: "securityProfile.workloadIdentity.enabled" },
  { rule: "workload-identity-enabled", title: "EKS without an OIDC provider", stack: "aws-prod", mutate: (r) => without(r, "aws-prod-cluster-oidc"), resource: "aws-prod-cluster-eks", setting: "openIdConnectProvider" },
  { rule: "gke-node-service-account", title: "GKE pool on the default compute account", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-services"), ["nodeConfig", "serviceAccount"], "123-compute@developer.gserviceaccount.com"), resource: "prod-cluster-services", setting: "nodeConfig.serviceAccount" },
  { rule: "gke-node-service-account", title: "GKE pool without a service account", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-services"), ["nodeConfig", "serviceAccount"], undefined), resource: "prod-cluster-services", setting: "nodeConfig.serviceAccount" },
  { rule: "node-metadata-protected", title: "GKE pool exposing node metadata", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-services"), ["nodeConfig", "workloadMetadataConfig", "mode"], "GCE_METADATA"), resource: "prod-cluster-services", setting: "nodeConfig.workloadMetadataConfig.mode" },
  { rule: "node-metadata-protected", title: "EKS nodes with IMDSv1", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-services-lt"), ["metadataOptions", "httpTokens"], "optional"), resource: "aws-prod-cluster-services-lt", setting: "metadataOptions.httpTokens" },
  { rule: "node-metadata-protected", title: "EKS nodes with IMDS reachable from pods", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-services-lt"), ["metadataOptions", "httpPutResponseHopLimit"], 2), resource: "aws-prod-cluster-services-lt", setting: "metadataOptions.httpPutResponseHopLimit" },
  { rule: "nodes-no-public-ip", title: "GKE with public nodes", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-gke"), ["privateClusterConfig", "enablePrivateNodes"], false), resource: "prod-cluster-gke", setting: "privateClusterConfig.enablePrivateNodes" },
  { rule: "nodes-no-public-ip", title: "AKS pool with node public IPs", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-regularws"), ["enableNodePublicIP"], true), resource: "azure-prod-cluster-regularws", setting: "enableNodePublicIP" },
  { rule: "nodes-no-public-ip", title: "AKS inline pool with node public IPs", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["agentPoolProfiles", "0", "enableNodePublicIP"], true), resource: "azure-prod-cluster-aks", setting: "agentPoolProfiles[0].enableNodePublicIP" },
  { rule: "nodes-no-public-ip", title: "EKS launch template with public addresses", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-services-lt"), ["networkInterfaces"], [{ associatePublicIpAddress: "true" }]), resource: "aws-prod-cluster-services-lt", setting: "networkInterfaces[0].associatePublicIpAddress" },
  { rule: "eks-secrets-encryption", title: "EKS without secrets encryption", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-eks"), ["encryptionConfig"], undefined), resource: "aws-prod-cluster-eks", setting: "encryptionConfig" },
  { rule: "aks-local-accounts-disabled", title: "AKS with local accounts", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["disableLocalAccounts"], false), resource: "azure-prod-cluster-aks", setting: "disableLocalAccounts" },
  { rule: "aks-local-accounts-disabled", title: "AKS without Entra ID", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["aadProfile"], undefined), resource: "azure-prod-cluster-aks", setting: "aadProfile.managed" },
  { rule: "cluster-api-access-restricted", title: "GKE API open to 0.0.0.0/0", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-gke"), ["masterAuthorizedNetworksConfig", "cidrBlocks"], [{ cidrBlock: "0.0.0.0/0" }]), resource: "prod-cluster-gke", setting: "masterAuthorizedNetworksConfig.cidrBlocks" },
  { rule: "cluster-api-access-restricted", title: "EKS public endpoint without CIDRs", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-eks"), ["vpcConfig", "publicAccessCidrs"], undefined), resource: "aws-prod-cluster-eks", setting: "vpcConfig.publicAccessCidrs" },
  { rule: "cluster-api-access-restricted", title: "AKS API without authorized ranges", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-cluster-aks"), ["apiServerAccessProfile"], undefined), resource: "azure-prod-cluster-aks", setting: "apiServerAccessProfile.authorizedIPRanges" },
  { rule: "cluster-deletion-protection", title: "GKE without deletion protection in production", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-gke"), ["deletionProtection"], false), resource: "prod-cluster-gke", setting: "deletionProtection" },
  { rule: "cluster-deletion-protection", title: "EKS without deletion protection in production", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-eks"), ["deletionProtection"], false), resource: "aws-prod-cluster-eks", setting: "deletionProtection" },

  // identity
  {
    rule: "no-static-keys-for-cluster-tools",
    title: "cert-manager chart given a service account key",
    stack: "prod",
    mutate: (r) => {
      named(r, "prod-cert-manager-chart").dependencies.push(named(r, "prod-storage-key").urn);
    },
    resource: "prod-cert-manager-chart",
    setting: "prod-storage-key",
  },
  { rule: "no-static-keys-for-cluster-tools", title: "a key for cert-manager's workload-identity account", stack: "prod", mutate: (r) => [...r, keyFor(r, "prod-identity-certs")], resource: "certs-key", setting: "serviceAccountId" },
  {
    rule: "no-static-keys-for-cluster-tools",
    title: "an AWS access key in external-dns's namespace",
    stack: "aws-prod",
    mutate: (r) => {
      const key = res("aws:iam/accessKey:AccessKey", "dns-key", { user: "dns" });
      const secret = res("kubernetes:core/v1:Secret", "dns-credentials", { metadata: { name: "aws-credentials", namespace: "external-dns" }, stringData: "[secret]" }, { dependencies: [key.urn] });
      return [...r, key, secret];
    },
    resource: "dns-credentials",
    setting: "dns-key",
  },
  {
    rule: "no-credentials-in-cluster-tools",
    title: "external-dns chart values with an AWS secret key",
    stack: "aws-prod",
    mutate: (r) => set(named(r, "aws-prod-external-dns-chart"), ["values", "aws", "credentials"], { accessKey: "AKIAABCDEFGHIJKLMNOP", secretKey: "[secret]" }),
    resource: "aws-prod-external-dns-chart",
    setting: "values.aws.credentials.secretKey",
  },
  {
    rule: "no-credentials-in-cluster-tools",
    title: "a credentials file with an AWS key in Velero's namespace",
    base: () => [res("kubernetes:core/v1:Secret", "velero-credentials", { metadata: { name: "velero-cloud-credentials", namespace: "velero" }, data: { cloud: Buffer.from("AZURE_SUBSCRIPTION_ID=s\nAZURE_RESOURCE_GROUP=g\n").toString("base64") } })],
    mutate: (r) => set(named(r, "velero-credentials"), ["data", "cloud"], Buffer.from("[default]\naws_access_key_id=AKIAABCDEFGHIJKLMNOP\naws_secret_access_key=abc\n").toString("base64")),
    resource: "velero-credentials",
    setting: "data.cloud",
  },
  {
    rule: "no-credentials-in-cluster-tools",
    title: "a service account key file in cert-manager's values",
    stack: "prod",
    mutate: (r) => set(named(r, "prod-cert-manager-chart"), ["values", "extraEnv"], [{ name: "KEY", value: '{"type": "service_account", "project_id": "p"}' }]),
    resource: "prod-cert-manager-chart",
    setting: "values.extraEnv[0].value",
  },
  { rule: "cluster-tools-workload-identity", title: "cert-manager chart without the GKE annotation", stack: "prod", mutate: (r) => set(named(r, "prod-cert-manager-chart"), ["values", "serviceAccount", "annotations"], {}), resource: "prod-cert-manager-chart", setting: "values.serviceAccount.annotations" },
  { rule: "cluster-tools-workload-identity", title: "external-dns chart without the IRSA annotation", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-external-dns-chart"), ["values", "serviceAccount", "annotations"], { "iam.gke.io/gcp-service-account": "x" }), resource: "aws-prod-external-dns-chart", setting: "eks.amazonaws.com/role-arn" },
  { rule: "cluster-tools-workload-identity", title: "external-dns pods without the Azure workload identity label", stack: "azure-prod", mutate: (r) => set(named(r, "azure-prod-external-dns-chart"), ["values", "podLabels"], {}), resource: "azure-prod-external-dns-chart", setting: "values.podLabels" },
  { rule: "cluster-tools-workload-identity", title: "Velero chart without the annotation", base: veleroStack, mutate: (r) => set(named(r, "velero-chart"), ["values", "serviceAccount", "server", "annotations"], {}), resource: "velero-chart", setting: "values.serviceAccount.server.annotations" },
  {
    rule: "cluster-tools-workload-identity",
    title: "Velero's ServiceAccount object without the annotation",
    base: () => [res("kubernetes:core/v1:ServiceAccount", "velero-sa", { metadata: { name: "velero", namespace: "velero", annotations: { "iam.gke.io/gcp-service-account": "velero@p.iam.gserviceaccount.com" } } })],
    mutate: (r) => set(named(r, "velero-sa"), ["metadata", "annotations"], undefined),
    resource: "velero-sa",
    setting: "metadata.annotations",
  },
  { rule: "no-broad-admin-roles", title: "GCP editor for the nodes", stack: "prod", mutate: (r) => set(named(r, "prod-cluster-nodes-container-defaultNodeServiceAccount"), ["role"], "roles/editor"), resource: "prod-cluster-nodes-container-defaultNodeServiceAccount", setting: "role" },
  { rule: "no-broad-admin-roles", title: "AWS AdministratorAccess for the nodes", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-cluster-nodes-AmazonEKSWorkerNodePolicy"), ["policyArn"], "arn:aws:iam::aws:policy/AdministratorAccess"), resource: "aws-prod-cluster-nodes-AmazonEKSWorkerNodePolicy", setting: "policyArn" },
  {
    rule: "no-broad-admin-roles",
    title: "AWS inline policy allowing everything",
    stack: "aws-prod",
    mutate: (r) => set(named(r, "aws-prod-identity-external-dns-policy"), ["policy"], JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })),
    resource: "aws-prod-identity-external-dns-policy",
    setting: "policy",
  },
  {
    rule: "no-broad-admin-roles",
    title: "Azure Owner for external-dns",
    stack: "azure-prod",
    mutate: (r) => set(named(r, "azure-prod-identity-external-dns-dnsZoneLister"), ["roleDefinitionId"], "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    resource: "azure-prod-identity-external-dns-dnsZoneLister",
    setting: "roleDefinitionId",
  },

  // kubernetes
  { rule: "helm-chart-version-pinned", title: "chart version range", stack: "prod", mutate: (r) => set(named(r, "prod-cert-manager-chart"), ["version"], "^1.21.0"), resource: "prod-cert-manager-chart", setting: "version" },
  { rule: "helm-chart-version-pinned", title: "chart without a version", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-calico-tigera-operator"), ["version"], undefined), resource: "aws-prod-calico-tigera-operator", setting: "version" },
  { rule: "helm-repository-https", title: "chart repository over plain HTTP", stack: "prod", mutate: (r) => set(named(r, "prod-external-dns-chart"), ["repositoryOpts", "repo"], "http://kubernetes-sigs.github.io/external-dns/"), resource: "prod-external-dns-chart", setting: "repositoryOpts.repo" },
  { rule: "no-latest-image-tags", title: "installer Job on :latest", stack: "prod", mutate: (r) => set(named(r, "prod-gitpod-installer-install"), ["spec", "template", "spec", "containers", "0", "image"], "eu.gcr.io/gitpod-core-dev/build/installer:latest"), resource: "prod-gitpod-installer-install", setting: "spec.template.spec.containers[0].image" },
  { rule: "no-latest-image-tags", title: "chart values image tag latest", stack: "prod", mutate: (r) => set(named(r, "prod-cert-manager-chart"), ["values", "webhook", "image", "tag"], "latest"), resource: "prod-cert-manager-chart", setting: "values.webhook.image.tag" },
  { rule: "no-latest-image-tags", title: "Velero plugin image without a tag", base: veleroStack, mutate: (r) => set(named(r, "velero-chart"), ["values", "initContainers", "0", "image"], "velero/velero-plugin-for-gcp"), resource: "velero-chart", setting: "values.initContainers[0].image" },

  // protection
  { rule: "data-resources-protected", title: "unprotected Cloud SQL instance in production", stack: "prod", mutate: (r) => void (named(r, "prod-database-mysql").protect = false), resource: "prod-database-mysql", setting: "protect" },
  { rule: "data-resources-protected", title: "unprotected DNS zone in production", stack: "azure-prod", mutate: (r) => void (named(r, "azure-prod-dns-zone").protect = false), resource: "azure-prod-dns-zone", setting: "protect" },
  { rule: "data-resources-protected", title: "unprotected KMS key under the RDS instance", stack: "aws-prod", mutate: (r) => void (named(r, "aws-prod-database-key").protect = false), resource: "aws-prod-database-key", setting: "protect" },
  { rule: "data-resources-protected", title: "unprotected resource group holding the data", stack: "azure-prod", mutate: (r) => void (named(r, "azure-prod-network-rg").protect = false), resource: "azure-prod-network-rg", setting: "protect" },
  { rule: "data-resources-protected", title: "unprotected replica of RDS backups and its key", stack: "aws-prod", mutate: (r) => void (named(r, "aws-prod-backup-db-key").protect = false), resource: "aws-prod-backup-db-key", setting: "protect" },
  { rule: "no-force-destroy-in-production", title: "S3 bucket force-destroyed", stack: "aws-prod", mutate: (r) => set(named(r, "aws-prod-storage-objects-bucket"), ["forceDestroy"], true), resource: "aws-prod-storage-objects-bucket", setting: "forceDestroy" },
  { rule: "no-force-destroy-in-production", title: "Cloud DNS zone force-destroyed", stack: "prod", mutate: (r) => set(named(r, "prod-dns-zone"), ["forceDestroy"], true), resource: "prod-dns-zone", setting: "forceDestroy" },
];
