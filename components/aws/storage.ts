import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketPrefix, PrivateBucket } from "./bucket";
import { dnsSuffixOf, policyDocument } from "./common";

/** The regional S3 endpoint Gitpod's installer points at. */
export function s3Endpoint(region: string): string {
  return `s3.${region}.${dnsSuffixOf(region)}`;
}

/**
 * The least an S3 client that reads and writes objects of its buckets needs, and nothing else: Gitpod's
 * content-service (workspace backups, blobs) and the in-cluster registry's S3 storage driver alike. Gitpod's object
 * storage key also holds its replica bucket, so that after a region loss Gitpod can be pointed there with it.
 */
export function bucketClientPolicy(...bucketArns: string[]): string {
  return policyDocument([
    {
      Sid: "Bucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      Resource: bucketArns.length === 1 ? bucketArns[0] : bucketArns,
    },
    {
      Sid: "Objects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: bucketArns.length === 1 ? `${bucketArns[0]}/*` : bucketArns.map((arn) => `${arn}/*`),
    },
  ]);
}

export interface BucketCredentialsArgs {
  /** The buckets the credentials may use. */
  bucketArns: pulumi.Input<string>[];
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
      { user: user.name, policy: pulumi.all(args.bucketArns).apply((arns) => bucketClientPolicy(...arns)) },
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
  /** Provider of `backup.replicaRegion`: Gitpod's object storage gets a replica bucket there. */
  replicaProvider?: aws.Provider;
  /** `aws.objectStorage.existingBucket`: Gitpod uses this bucket, which the stack does not create or replicate. */
  existingObjectsBucket?: string;
  /** ARN partition, for the existing bucket's ARN. */
  partition: string;
}

/**
 * Gitpod's object storage bucket (workspace content), its replica bucket in the replica region (filled by
 * replication.ts), and the bucket of its in-cluster registry, each with least-privilege credentials (a leaked registry
 * key cannot read workspace content and the other way round). The registry is not replicated: its layers are
 * workspace images Gitpod rebuilds.
 */
export class Storage extends pulumi.ComponentResource {
  /** Gitpod's object storage bucket, when the stack creates it (not with an existing bucket). */
  readonly objectStorage?: PrivateBucket;
  readonly objectStorageReplica?: PrivateBucket;
  /** The bucket Gitpod's object storage uses: the created one or the existing one. */
  readonly objectStorageBucket: pulumi.Output<string>;
  readonly objectStorageCredentials: BucketCredentials;
  readonly registry: PrivateBucket;
  readonly registryCredentials: BucketCredentials;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Storage", name, {}, opts);
    const objects = { purpose: "gitpod-object-storage", noncurrentVersionDays: 30, protect: args.protect };
    if (args.existingObjectsBucket === undefined) {
      this.objectStorage = new PrivateBucket(`${name}-objects`, { ...objects, bucketPrefix: bucketPrefix(args.namePrefix, "objects") }, { parent: this });
    }
    this.objectStorageBucket = this.objectStorage?.name ?? pulumi.output(args.existingObjectsBucket ?? "");
    const objectsArn = this.objectStorage?.arn ?? pulumi.output(`arn:${args.partition}:s3:::${args.existingObjectsBucket}`);
    if (args.replicaProvider && this.objectStorage) {
      this.objectStorageReplica = new PrivateBucket(
        `${name}-objects-replica`,
        { ...objects, purpose: "gitpod-object-storage-replica", bucketPrefix: bucketPrefix(args.namePrefix, "objects-replica") },
        { parent: this, provider: args.replicaProvider },
      );
    }
    this.objectStorageCredentials = new BucketCredentials(
      `${name}-objects`,
      { bucketArns: [objectsArn, ...(this.objectStorageReplica ? [this.objectStorageReplica.arn] : [])], purpose: "gitpod-object-storage" },
      { parent: this },
    );
    // Layers are content-addressed and rewritten rarely: old versions only matter for a short undo window.
    this.registry = new PrivateBucket(
      `${name}-registry`,
      { bucketPrefix: bucketPrefix(args.namePrefix, "registry"), purpose: "gitpod-registry", noncurrentVersionDays: 7, protect: args.protect },
      { parent: this },
    );
    this.registryCredentials = new BucketCredentials(`${name}-registry`, { bucketArns: [this.registry.arn], purpose: "gitpod-registry" }, { parent: this });
    this.registerOutputs({
      objectStorageBucket: this.objectStorageBucket,
      objectStorageReplicaBucket: this.objectStorageReplica?.name,
      registryBucket: this.registry.name,
    });
  }
}
