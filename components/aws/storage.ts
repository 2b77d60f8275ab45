import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, dnsSuffixOf, policyDocument } from "./common";

/** The regional S3 endpoint Gitpod's installer points at. */
export function s3Endpoint(region: string): string {
  return `s3.${region}.${dnsSuffixOf(region)}`;
}

/**
 * The least an S3 client that reads and writes objects of one bucket needs, and nothing else: Gitpod's
 * content-service (workspace backups, blobs) and the in-cluster registry's S3 storage driver alike.
 */
export function bucketClientPolicy(bucketArn: string): string {
  return policyDocument([
    {
      Sid: "Bucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      Resource: bucketArn,
    },
    {
      Sid: "Objects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: `${bucketArn}/*`,
    },
  ]);
}

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
}

/**
 * An S3 bucket nobody outside the account can read: all public access blocked, ACLs disabled (bucket owner
 * enforced), versioned, encrypted by default, TLS only, old versions and abandoned multipart uploads cleaned up.
 */
export class PrivateBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:PrivateBucket", name, {}, opts);
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucketPrefix: args.bucketPrefix, forceDestroy: false, tags: { purpose: args.purpose } },
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
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
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

export interface BucketCredentialsArgs {
  /** The bucket the credentials may use. */
  bucketArn: pulumi.Input<string>;
  /** Who uses them, for the user's tags. */
  purpose: string;
}

/**
 * An IAM user with an access key that may only read and write objects in one bucket. Gitpod's installer takes
 * static S3 keys for object storage and for the registry's storage; these are the narrowest keys that work.
 */
export class BucketCredentials extends pulumi.ComponentResource {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
  readonly userName: pulumi.Output<string>;

  constructor(name: string, args: BucketCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:BucketCredentials", name, {}, opts);
    const user = new aws.iam.User(`${name}-user`, { path: "/gitpod/", tags: { purpose: args.purpose } }, { parent: this });
    new aws.iam.UserPolicy(
      `${name}-policy`,
      { user: user.name, policy: pulumi.output(args.bucketArn).apply(bucketClientPolicy) },
      { parent: this },
    );
    const key = new aws.iam.AccessKey(`${name}-key`, { user: user.name }, { parent: this, additionalSecretOutputs: ["secret"] });
    this.userName = user.name;
    this.accessKeyId = pulumi.secret(key.id);
    this.secretAccessKey = pulumi.secret(key.secret);
    this.registerOutputs({ userName: this.userName });
  }
}

export interface StorageArgs {
  /** Start of the buckets' names, e.g. gitpod-<stack>. */
  namePrefix: string;
  /** Protect the buckets from deletion. */
  protect: boolean;
}

/**
 * Gitpod's object storage bucket and the bucket of its in-cluster registry, each with its own least-privilege
 * credentials (a leaked registry key cannot read workspace content and the other way round).
 */
export class Storage extends pulumi.ComponentResource {
  readonly objectStorage: PrivateBucket;
  readonly objectStorageCredentials: BucketCredentials;
  readonly registry: PrivateBucket;
  readonly registryCredentials: BucketCredentials;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Storage", name, {}, opts);
    this.objectStorage = new PrivateBucket(
      `${name}-objects`,
      { bucketPrefix: bucketPrefix(args.namePrefix, "objects"), purpose: "gitpod-object-storage", noncurrentVersionDays: 30, protect: args.protect },
      { parent: this },
    );
    this.objectStorageCredentials = new BucketCredentials(
      `${name}-objects`,
      { bucketArn: this.objectStorage.arn, purpose: "gitpod-object-storage" },
      { parent: this },
    );
    // Layers are content-addressed and rewritten rarely: old versions only matter for a short undo window.
    this.registry = new PrivateBucket(
      `${name}-registry`,
      { bucketPrefix: bucketPrefix(args.namePrefix, "registry"), purpose: "gitpod-registry", noncurrentVersionDays: 7, protect: args.protect },
      { parent: this },
    );
    this.registryCredentials = new BucketCredentials(
      `${name}-registry`,
      { bucketArn: this.registry.arn, purpose: "gitpod-registry" },
      { parent: this },
    );
    this.registerOutputs({ objectStorageBucket: this.objectStorage.name, registryBucket: this.registry.name });
  }
}
