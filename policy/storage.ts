/**
 * Object storage, registries and DNS zones: never public, versioned, encrypted, TLS only; DNSSEC on public zones.
 */
import {
  asArray,
  asRecord,
  byUrn,
  dependsOn,
  describe,
  get,
  isProduction,
  isPublicStatement,
  ofType,
  policyStatements,
  ResourceRule,
  ResourceView,
  show,
  StackRule,
  Violation,
} from "./lib";

export const types = {
  gcsBucket: "gcp:storage/bucket:Bucket",
  gcsIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
  gcsIamBinding: "gcp:storage/bucketIAMBinding:BucketIAMBinding",
  gcsAccessControl: "gcp:storage/bucketAccessControl:BucketAccessControl",
  gcsDefaultObjectAccessControl: "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
  gcsAcl: "gcp:storage/bucketACL:BucketACL",
  s3Bucket: "aws:s3/bucket:Bucket",
  s3BucketV2: "aws:s3/bucketV2:BucketV2",
  s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3Acl: "aws:s3/bucketAcl:BucketAcl",
  s3AclV2: "aws:s3/bucketAclV2:BucketAclV2",
  s3Policy: "aws:s3/bucketPolicy:BucketPolicy",
  s3Versioning: "aws:s3/bucketVersioning:BucketVersioning",
  s3VersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  s3Encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  s3EncryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  storageAccount: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  blobContainer: "azure-native:storage:BlobContainer",
  artifactRepository: "gcp:artifactregistry/repository:Repository",
  artifactIamMember: "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
  artifactIamBinding: "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding",
  ecrRepository: "aws:ecr/repository:Repository",
  ecrRepositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  ecrRegistryPolicy: "aws:ecr/registryPolicy:RegistryPolicy",
  acr: "azure-native:containerregistry:Registry",
  gcpZone: "gcp:dns/managedZone:ManagedZone",
  route53Zone: "aws:route53/zone:Zone",
  route53Dnssec: "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec",
  azureZone: "azure-native:dns:Zone",
  azureDnssec: "azure-native:dns:DnssecConfig",
} as const;

const publicMembers = ["allUsers", "allAuthenticatedUsers"];
const publicS3Acls = ["public-read", "public-read-write", "authenticated-read"];
const publicGcsAcls = ["publicRead", "publicReadWrite", "authenticatedRead"];

function publicMemberViolations(r: ResourceView, field: "member" | "members" | "entity"): string[] {
  const members = field === "members" ? asArray(r.props.members).map(String) : [String(r.props[field] ?? "")];
  return members.filter((m) => publicMembers.includes(m)).map((m) => `${describe(r)}: ${field} grants ${show(r.props.role ?? "access")} to ${m}; grant it to named principals only`);
}

export const bucketNotPublic: ResourceRule = {
  kind: "resource",
  name: "bucket-not-public",
  family: "storage",
  level: "mandatory",
  description:
    "No bucket or blob container can be made public: GCS publicAccessPrevention enforced with uniform bucket-level access and no allUsers grants; S3 public access block with all four settings on, no public ACL or bucket policy; Azure allowBlobPublicAccess false and containers without public access.",
  types: [
    types.gcsBucket,
    types.gcsIamMember,
    types.gcsIamBinding,
    types.gcsAccessControl,
    types.gcsDefaultObjectAccessControl,
    types.gcsAcl,
    types.s3Bucket,
    types.s3BucketV2,
    types.s3PublicAccessBlock,
    types.s3Acl,
    types.s3AclV2,
    types.s3Policy,
    types.storageAccount,
    types.blobContainer,
  ],
  check(r) {
    const p = r.props;
    switch (r.type) {
      case types.gcsBucket: {
        const out: string[] = [];
        if (p.publicAccessPrevention !== "enforced") out.push(`${describe(r)}: publicAccessPrevention is ${show(p.publicAccessPrevention)}; set it to "enforced"`);
        if (p.uniformBucketLevelAccess !== true) out.push(`${describe(r)}: uniformBucketLevelAccess is ${show(p.uniformBucketLevelAccess)}; set it to true (no object ACLs)`);
        return out;
      }
      case types.gcsIamMember:
        return publicMemberViolations(r, "member");
      case types.gcsIamBinding:
        return publicMemberViolations(r, "members");
      case types.gcsAccessControl:
      case types.gcsDefaultObjectAccessControl:
        return publicMemberViolations(r, "entity");
      case types.gcsAcl: {
        const entities = asArray(p.roleEntities).map(String).filter((e) => publicMembers.some((m) => e.endsWith(`:${m}`)));
        const out = entities.map((e) => `${describe(r)}: roleEntities grants ${e}; remove it`);
        if (publicGcsAcls.includes(String(p.predefinedAcl))) out.push(`${describe(r)}: predefinedAcl is ${show(p.predefinedAcl)}; use a private ACL`);
        return out;
      }
      case types.s3PublicAccessBlock:
        return (["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const)
          .filter((flag) => p[flag] !== true)
          .map((flag) => `${describe(r)}: ${flag} is ${show(p[flag])}; set it to true`);
      case types.s3Bucket:
      case types.s3BucketV2:
      case types.s3Acl:
      case types.s3AclV2:
        return publicS3Acls.includes(String(p.acl)) ? [`${describe(r)}: acl is ${show(p.acl)}; buckets are private (acl private or none)`] : [];
      case types.s3Policy:
        return policyStatements(p.policy).some(isPublicStatement)
          ? [`${describe(r)}: policy has an Allow statement for Principal "*" without a Condition; grant named principals only`]
          : [];
      case types.storageAccount:
        return p.allowBlobPublicAccess === false ? [] : [`${describe(r)}: allowBlobPublicAccess is ${show(p.allowBlobPublicAccess)}; set it to false`];
      case types.blobContainer:
        return p.publicAccess === undefined || p.publicAccess === "None" ? [] : [`${describe(r)}: publicAccess is ${show(p.publicAccess)}; set it to "None"`];
    }
    return [];
  },
};

export const bucketVersioning: ResourceRule = {
  kind: "resource",
  name: "bucket-versioning",
  family: "storage",
  level: "mandatory",
  description:
    "Buckets keep overwritten and deleted objects: GCS versioning.enabled (or a retention policy, which GCS does not allow together with versioning and which forbids overwrites and deletes outright), S3 BucketVersioning status Enabled, Azure blob service isVersioningEnabled.",
  types: [types.gcsBucket, types.s3Versioning, types.s3VersioningV2, types.blobService],
  check(r) {
    const p = r.props;
    if (r.type === types.gcsBucket) {
      if (get(p, ["versioning", "enabled"]) === true || get(p, ["retentionPolicy", "retentionPeriod"]) !== undefined) return [];
      return [`${describe(r)}: versioning.enabled is ${show(get(p, ["versioning", "enabled"]))}; set it to true (or set a retentionPolicy)`];
    }
    if (r.type === types.blobService) {
      return p.isVersioningEnabled === true ? [] : [`${describe(r)}: isVersioningEnabled is ${show(p.isVersioningEnabled)}; set it to true`];
    }
    const status = get(p, ["versioningConfiguration", "status"]);
    return status === "Enabled" ? [] : [`${describe(r)}: versioningConfiguration.status is ${show(status)}; set it to "Enabled"`];
  },
};

const s3Algorithms = ["AES256", "aws:kms", "aws:kms:dsse"];

export const bucketEncrypted: ResourceRule = {
  kind: "resource",
  name: "bucket-encrypted",
  family: "storage",
  level: "mandatory",
  description:
    "S3 buckets declare default encryption (SSE-S3 or SSE-KMS) in their server-side encryption configuration. GCS and Azure Storage always encrypt at rest.",
  types: [types.s3Encryption, types.s3EncryptionV2],
  check(r) {
    const rules = asArray(r.props.rules).map(asRecord);
    const algorithms = rules.map((rule) => get(rule, ["applyServerSideEncryptionByDefault", "sseAlgorithm"]));
    return algorithms.some((a) => s3Algorithms.includes(String(a)))
      ? []
      : [`${describe(r)}: rules[].applyServerSideEncryptionByDefault.sseAlgorithm is ${show(algorithms)}; set AES256 or aws:kms`];
  },
};

export const storageTlsOnly: ResourceRule = {
  kind: "resource",
  name: "storage-tls-only",
  family: "storage",
  level: "mandatory",
  description: "Azure storage accounts accept HTTPS only (enableHttpsTrafficOnly) with TLS 1.2 or newer (minimumTlsVersion).",
  types: [types.storageAccount],
  check(r) {
    const p = r.props;
    const out: string[] = [];
    if (p.minimumTlsVersion !== "TLS1_2" && p.minimumTlsVersion !== "TLS1_3") out.push(`${describe(r)}: minimumTlsVersion is ${show(p.minimumTlsVersion)}; set it to TLS1_2`);
    if (p.enableHttpsTrafficOnly === false) out.push(`${describe(r)}: enableHttpsTrafficOnly is false; set it to true`);
    return out;
  },
};

/** A bucket policy statement denying requests without TLS. */
function deniesInsecureTransport(statement: Record<string, unknown>): boolean {
  const secure = get(statement, ["Condition", "Bool", "aws:SecureTransport"]);
  return statement.Effect === "Deny" && (secure === false || secure === "false");
}

export const bucketControlsAttached: StackRule = {
  kind: "stack",
  name: "bucket-controls-attached",
  family: "storage",
  level: "mandatory",
  description:
    "Every S3 bucket has its public access block, versioning, default encryption and a policy denying non-TLS requests (each a resource of its own that must exist), and every Azure storage account its blob service properties.",
  check(resources) {
    const index = byUrn(resources);
    const out: Violation[] = [];
    const attached = (bucket: ResourceView, kinds: string[], accept: (r: ResourceView) => boolean = () => true) =>
      ofType(resources, ...kinds).some((r) => dependsOn(r, bucket, index) && accept(r));
    for (const bucket of ofType(resources, types.s3Bucket, types.s3BucketV2)) {
      const missing = [
        attached(bucket, [types.s3PublicAccessBlock]) ? undefined : "BucketPublicAccessBlock",
        attached(bucket, [types.s3Versioning, types.s3VersioningV2]) ? undefined : "BucketVersioning",
        attached(bucket, [types.s3Encryption, types.s3EncryptionV2]) ? undefined : "BucketServerSideEncryptionConfiguration",
        attached(bucket, [types.s3Policy], (policy) => policyStatements(policy.props.policy).some(deniesInsecureTransport))
          ? undefined
          : 'BucketPolicy denying requests with aws:SecureTransport "false"',
      ].filter((m): m is string => m !== undefined);
      if (missing.length > 0) out.push({ urn: bucket.urn, message: `${describe(bucket)}: nothing attaches ${missing.join(", ")} to this bucket; add them` });
    }
    for (const account of ofType(resources, types.storageAccount)) {
      if (!attached(account, [types.blobService])) {
        out.push({ urn: account.urn, message: `${describe(account)}: has no BlobServiceProperties (isVersioningEnabled, soft delete)` });
      }
    }
    return out;
  },
};

export const registryNotPublic: ResourceRule = {
  kind: "resource",
  name: "registry-not-public",
  family: "storage",
  level: "mandatory",
  description:
    "Image registries need credentials: no allUsers on Artifact Registry, no ECR policy open to Principal \"*\", ACR without anonymous pull or the admin user.",
  types: [types.artifactIamMember, types.artifactIamBinding, types.ecrRepositoryPolicy, types.ecrRegistryPolicy, types.acr],
  check(r) {
    const p = r.props;
    switch (r.type) {
      case types.artifactIamMember:
        return publicMemberViolations(r, "member");
      case types.artifactIamBinding:
        return publicMemberViolations(r, "members");
      case types.acr: {
        const out: string[] = [];
        if (p.anonymousPullEnabled === true) out.push(`${describe(r)}: anonymousPullEnabled is true; set it to false`);
        if (p.adminUserEnabled === true) out.push(`${describe(r)}: adminUserEnabled is true (a shared static password); use tokens or identities`);
        return out;
      }
    }
    return policyStatements(p.policy).some(isPublicStatement)
      ? [`${describe(r)}: policy has an Allow statement for Principal "*" without a Condition; grant named principals only`]
      : [];
  },
};

export const dnsDnssec: StackRule = {
  kind: "stack",
  name: "dns-dnssec",
  family: "storage",
  level: "advisory",
  description:
    "In production, public DNS zones are signed: Cloud DNS dnssecConfig.state on, a Route 53 HostedZoneDnsSec, an Azure DnssecConfig.",
  check(resources, context) {
    if (!isProduction(context)) return [];
    const index = byUrn(resources);
    const out: Violation[] = [];
    for (const zone of ofType(resources, types.gcpZone)) {
      if (zone.props.visibility === "private") continue;
      const state = get(zone.props, ["dnssecConfig", "state"]);
      if (state !== "on") out.push({ urn: zone.urn, message: `${describe(zone)}: dnssecConfig.state is ${show(state)}; set it to "on"` });
    }
    for (const zone of ofType(resources, types.route53Zone)) {
      if (asArray(zone.props.vpcs).length > 0) continue;
      const signed = ofType(resources, types.route53Dnssec).some((d) => dependsOn(d, zone, index) && d.props.signingStatus !== "NOT_SIGNING");
      if (!signed) out.push({ urn: zone.urn, message: `${describe(zone)}: no HostedZoneDnsSec signs this public zone (signingStatus SIGNING)` });
    }
    for (const zone of ofType(resources, types.azureZone)) {
      if (zone.props.zoneType === "Private") continue;
      if (!ofType(resources, types.azureDnssec).some((d) => dependsOn(d, zone, index))) {
        out.push({ urn: zone.urn, message: `${describe(zone)}: no DnssecConfig signs this public zone` });
      }
    }
    return out;
  },
};

export const storageRules = [bucketNotPublic, bucketVersioning, bucketEncrypted, storageTlsOnly, bucketControlsAttached, registryNotPublic, dnsDnssec];
