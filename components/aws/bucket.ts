import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, policyDocument } from "./common";

/**
 * Prefix of a bucket's name: lowercase letters, digits and hyphens (stack names may hold uppercase letters and
 * underscores, which S3 refuses), short enough for S3's 37-character prefix limit, ending in a hyphen.
 */
export function bucketPrefix(stackPrefix: string, purpose: string): string {
  return `${awsName(`${stackPrefix}-${purpose}`, 36)}-`;
}

/** Bucket policy that refuses every request not made over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": false } },
    },
  ]);
}

export interface PrivateBucketArgs {
  /** Prefix of the bucket's name; S3 appends a unique suffix. */
  bucketPrefix: string;
  /** What the bucket holds, for its tags. */
  purpose: string;
  /** Days noncurrent object versions are kept before they expire. */
  noncurrentVersionDays: number;
  /** Protect the bucket from deletion. */
  protect: boolean;
  /**
   * S3 Object Lock with a default retention on every new object version (governance or compliance), or none. Only
   * possible when the bucket is created; a replica of a locked bucket must be locked too (S3 replication refuses
   * otherwise: failure reason DstBucketObjectLockConfigMissing).
   */
  objectLock?: { mode: "governance" | "compliance"; days: number };
}

/**
 * An S3 bucket nobody outside the account can read: all public access blocked, ACLs disabled (bucket owner
 * enforced), versioned, encrypted by default, TLS only, old versions, abandoned multipart uploads and delete markers
 * left without versions cleaned up; optionally Object Lock.
 */
export class PrivateBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:PrivateBucket", name, {}, opts);
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucketPrefix: args.bucketPrefix, forceDestroy: false, objectLockEnabled: args.objectLock !== undefined, tags: { purpose: args.purpose } },
      { parent: this, protect: args.protect },
    );
    const bucket = this.bucket.id;
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            // A delete marker whose versions have all expired only slows down listings.
            expiration: { expiredObjectDeleteMarker: true },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    if (args.objectLock) {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        { bucket, rule: { defaultRetention: { mode: args.objectLock.mode.toUpperCase(), days: args.objectLock.days } } },
        { parent: this, dependsOn: [versioning] },
      );
    }
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket, policy: this.bucket.arn.apply(tlsOnlyBucketPolicy) },
      { parent: this, dependsOn: [publicAccess] },
    );
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}

