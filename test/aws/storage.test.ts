import { bucketPrefix } from "../../components/aws/bucket";
import { bucketClientPolicy, s3Endpoint, Storage } from "../../components/aws/storage";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { json, planComponent } from "./fixtures";

let lastStorage: Storage | undefined;

function planStorage(protect: boolean, existingObjectsBucket?: string): Promise<Plan> {
  return planComponent(() => {
    lastStorage = new Storage("st", { namePrefix: "gitpod-test", protect, partition: "aws", existingObjectsBucket });
  });
}

/** The bucket a per-bucket setting resource points at. */
const target = (resource: PlannedResource) => resource.inputs.bucket;

describe("S3 storage", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStorage(true);
  });

  it("has two buckets, Gitpod's object storage and the registry's, protected and never force-destroyed", () => {
    const buckets = resourcesOfType(plan, "aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.name).sort()).toEqual(["st-objects-bucket", "st-registry-bucket"]);
    expect(buckets.map((b) => b.inputs.bucketPrefix).sort()).toEqual(["gitpod-test-objects-", "gitpod-test-registry-"]);
    for (const bucket of buckets) {
      expect(bucket.options.protect).toBe(true);
      expect(bucket.inputs.forceDestroy).toBe(false);
    }
  });

  it("versions, encrypts and blocks all public access on every bucket, with ACLs disabled", () => {
    const ids = ["st-objects-bucket-id", "st-registry-bucket-id"];
    const each = (type: string) => resourcesOfType(plan, type).map(target).sort();
    const versioning = resourcesOfType(plan, "aws:s3/bucketVersioning:BucketVersioning");
    expect(versioning.map(target).sort()).toEqual(ids);
    for (const v of versioning) expect(v.inputs.versioningConfiguration).toEqual({ status: "Enabled" });

    const encryption = resourcesOfType(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
    expect(encryption.map(target).sort()).toEqual(ids);
    for (const e of encryption) expect(e.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);

    const blocks = resourcesOfType(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    expect(blocks.map(target).sort()).toEqual(ids);
    for (const b of blocks) {
      expect(b.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    expect(each("aws:s3/bucketOwnershipControls:BucketOwnershipControls")).toEqual(ids);
    for (const o of resourcesOfType(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")) {
      expect(o.inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    }
  });

  it("refuses requests without TLS and expires old versions and abandoned uploads", () => {
    const policy = json(resourceNamed(plan, "aws:s3/bucketPolicy:BucketPolicy", "st-objects-tls-only"), "policy");
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": false } } }),
    ]);
    const lifecycle = resourceNamed(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "st-objects-lifecycle").inputs as any;
    expect(lifecycle.rules[0]).toMatchObject({
      status: "Enabled",
      noncurrentVersionExpiration: { noncurrentDays: 30 },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    });
  });

  it("gives Gitpod and the registry each their own IAM user limited to object access in their own bucket", () => {
    const users = resourcesOfType(plan, "aws:iam/user:User");
    expect(users).toHaveLength(2);
    for (const [component, bucket] of [
      ["st-objects", "gitpod-test-objects-"],
      ["st-registry", "gitpod-test-registry-"],
    ]) {
      const arn = `arn:aws:s3:::${bucket}`;
      const policy = json(resourceNamed(plan, "aws:iam/userPolicy:UserPolicy", `${component}-policy`), "policy");
      const resources = policy.Statement.flatMap((s: any) => [s.Resource].flat());
      expect(resources).toHaveLength(2);
      for (const resource of resources) expect(resource.startsWith(arn)).toBe(true);
      const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
      expect(actions.every((a: string) => a.startsWith("s3:") && !a.includes("*"))).toBe(true);
      expect(actions).not.toContain("s3:DeleteBucket");
      expect(actions).not.toContain("s3:PutBucketPolicy");
      expect(policy.Statement.every((s: any) => s.Effect === "Allow")).toBe(true);
    }
  });

  it("keeps the access keys secret", () => {
    for (const key of resourcesOfType(plan, "aws:iam/accessKey:AccessKey")) expect(key.options.additionalSecretOutputs).toContain("secret");
  });

  it("leaves buckets unprotected when the stack does not protect data", async () => {
    const dev = await planStorage(false);
    for (const bucket of resourcesOfType(dev, "aws:s3/bucket:Bucket")) expect(bucket.options.protect).toBe(false);
  });
});

describe("S3 storage after a region loss (aws.objectStorage.existingBucket)", () => {
  it("hands Gitpod the existing bucket (the lost stack's replica) with a key for it, and creates only the registry's", async () => {
    const plan = await planStorage(true, "gitpod-aws-prod-objects-replica-20261130");
    expect(resourcesOfType(plan, "aws:s3/bucket:Bucket").map((b) => b.name)).toEqual(["st-registry-bucket"]);
    expect(await valueOf(lastStorage!.objectStorageBucket)).toBe("gitpod-aws-prod-objects-replica-20261130");
    const policy = json(resourceNamed(plan, "aws:iam/userPolicy:UserPolicy", "st-objects-policy"), "policy");
    expect(policy.Statement.find((s: any) => s.Sid === "Objects").Resource).toBe("arn:aws:s3:::gitpod-aws-prod-objects-replica-20261130/*");
  });
});

describe("storage helpers", () => {
  it("grants bucket-level listing on the bucket and object access below it only", () => {
    const policy = JSON.parse(bucketClientPolicy("arn:aws:s3:::b"));
    expect(policy.Statement.map((s: any) => s.Resource)).toEqual(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
  });

  it("names buckets with a valid, short prefix whatever the stack is called", () => {
    expect(bucketPrefix("gitpod-Prod_EU", "objects")).toBe("gitpod-prod-eu-objects-");
    const long = bucketPrefix("gitpod-a-very-long-stack-name-for-the-europe-region", "registry");
    expect(long.length).toBeLessThanOrEqual(37);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]-$/);
  });

  it("points Gitpod at the regional S3 endpoint", () => {
    expect(s3Endpoint("eu-west-1")).toBe("s3.eu-west-1.amazonaws.com");
    expect(s3Endpoint("cn-north-1")).toBe("s3.cn-north-1.amazonaws.com.cn");
  });
});
