/**
 * Which resources hold data, on every cloud: recreating the cluster must never replace or delete one of them, nor
 * any protected resource. The recover command refuses to run when a preview would, and the restore-mode stack test
 * checks that restore mode leaves all of them exactly as they are.
 */

/** Resource types that hold data or keep it readable (keys, replication), by cloud. */
export const dataResourceTypes: Record<"gcp" | "aws" | "azure", readonly string[]> = {
  gcp: [
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:sql/database:Database",
    "gcp:storage/bucket:Bucket",
    "gcp:artifactregistry/repository:Repository",
    "gcp:dns/managedZone:ManagedZone",
    "gcp:kms/cryptoKey:CryptoKey",
  ],
  aws: [
    "aws:rds/instance:Instance",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:ecr/repository:Repository",
    "aws:route53/zone:Zone",
    "aws:kms/key:Key",
  ],
  azure: [
    "azure-native:resources:ResourceGroup",
    "azure-native:dbformysql:Server",
    "azure-native:dbformysql:Database",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:BlobContainer",
    "azure-native:containerregistry:Registry",
    "azure-native:dns:Zone",
  ],
};

const allDataTypes = new Set(Object.values(dataResourceTypes).flat());

/** A resource that must survive a cluster rebuild: a data type, or protected. */
export function mustSurviveRebuild(resource: { type: string; protect?: boolean }): boolean {
  return resource.protect === true || allDataTypes.has(resource.type);
}
