/**
 * Which resources hold data, on every cloud. Recreating the cluster must never replace or delete one of them: the
 * policy pack requires them protected in production, the recover command refuses to run when a preview would touch
 * one, and the restore-mode test checks that restore mode leaves them exactly as they are. One list, used by all.
 */

/** Databases and their replicated backups, buckets and blob storage, registries, DNS zones. */
export const dataResourceTypes: readonly string[] = [
  "gcp:sql/databaseInstance:DatabaseInstance",
  "gcp:sql/database:Database",
  "gcp:storage/bucket:Bucket",
  "gcp:artifactregistry/repository:Repository",
  "gcp:dns/managedZone:ManagedZone",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:ecr/repository:Repository",
  "aws:route53/zone:Zone",
  "azure-native:dbformysql:Server",
  "azure-native:dbformysql:Database",
  "azure-native:storage:StorageAccount",
  "azure-native:storage:BlobContainer",
  "azure-native:containerregistry:Registry",
  "azure-native:dns:Zone",
];

/**
 * Resources whose deletion takes data with them or makes it unreadable: encryption keys, the Azure resource group
 * everything lives in, and the settings that keep old versions and replicas of backups.
 */
export const dataHolderTypes: readonly string[] = [
  "aws:kms/key:Key",
  "gcp:kms/cryptoKey:CryptoKey",
  "gcp:kms/keyRing:KeyRing",
  "azure-native:resources:ResourceGroup",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Key",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
];

const mustSurvive = new Set([...dataResourceTypes, ...dataHolderTypes]);

/** A resource that must survive a cluster rebuild: data, what data needs, or anything protected. */
export function mustSurviveRebuild(resource: { type: string; protect?: boolean }): boolean {
  return resource.protect === true || mustSurvive.has(resource.type);
}
