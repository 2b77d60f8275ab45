import { createHash } from "crypto";
import { stackTags, ubuntuEksAmiParameter } from "../../components/aws";
import { gitpodNodeLabels } from "../../components/platform";
import { Plan, planStack } from "../../scripts/plan/run";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { awsConfig } from "./fixtures";

const STACK = "aws-prod";

/** AWS resource types that hold data: recreating the cluster must never take them along. */
const dataTypes = [
  "aws:rds/instance:Instance",
  "aws:s3/bucket:Bucket",
  "aws:route53/zone:Zone",
  "aws:ecr/repository:Repository",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
];

const override = (config: Record<string, unknown>) => configValues(config);

describe(`the ${STACK} stack (AWS reference architecture)`, () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan(STACK);
  });

  it("has exactly one EKS cluster, pinned, with encrypted secrets, logs and API access entries", () => {
    const cluster = onlyResource(plan, "aws:eks/cluster:Cluster").inputs as any;
    expect(cluster).toMatchObject({ name: "gitpod-aws-prod", version: "1.35", accessConfig: { authenticationMode: "API" }, deletionProtection: true });
    expect(cluster.encryptionConfig.resources).toEqual(["secrets"]);
    expect(cluster.enabledClusterLogTypes).toHaveLength(5);
    expect(cluster.vpcConfig.publicAccessCidrs).toEqual(["198.51.100.0/24"]);
    expect(resourcesOfType(plan, "aws:eks/accessEntry:AccessEntry")).toHaveLength(2);
    expect(onlyResource(plan, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(365);
  });

  it("has exactly three managed node groups carrying the Gitpod labels, on the Ubuntu EKS AMI from Canonical's SSM parameter", () => {
    const groups = resourcesOfType(plan, "aws:eks/nodeGroup:NodeGroup");
    expect(groups).toHaveLength(3);
    expect(groups.map((g) => g.inputs.labels)).toEqual(expect.arrayContaining(Object.values(gitpodNodeLabels)));
    const parameter = "/aws/service/canonical/ubuntu/eks/24.04/1.35/stable/current/amd64/hvm/ebs-gp3/ami-id";
    const fakeAmi = `ami-0${createHash("sha256").update(parameter).digest("hex").slice(0, 16)}`;
    for (const template of resourcesOfType(plan, "aws:ec2/launchTemplate:LaunchTemplate")) expect(template.inputs.imageId).toBe(fakeAmi);
    expect((plan.outputs.nodePools as any[]).map((p) => p.labels)).toEqual(expect.arrayContaining(Object.values(gitpodNodeLabels)));
  });

  it("has an RDS MySQL instance that is private, encrypted, Multi-AZ, backed up, deletion-protected with a final snapshot", () => {
    const db = onlyResource(plan, "aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({
      engine: "mysql",
      engineVersion: "8.0",
      publiclyAccessible: false,
      storageEncrypted: true,
      multiAz: true,
      backupRetentionPeriod: 14,
      deletionProtection: true,
      skipFinalSnapshot: false,
      dbName: "gitpod",
      password: "[secret]",
      caCertIdentifier: "rds-ca-rsa2048-g1",
    });
  });

  it("requires TLS to RDS and hands Gitpod the RDS root CAs to verify it", () => {
    const params = resourceNamed(plan, "aws:rds/parameterGroup:ParameterGroup", `${STACK}-database-params`).inputs as any;
    expect(params.parameters).toContainEqual({ name: "require_secure_transport", value: "1", applyMethod: "immediate" });
    const secret = resourcesOfType(plan, "kubernetes:core/v1:Secret").find((s) => (s.inputs.metadata as any).name === "database-ca");
    expect(secret).toBeDefined();
    expect((secret!.inputs.metadata as any).namespace).toBe("gitpod");
  });

  it("has versioned, encrypted, non-public buckets for object storage, the registry, Velero's backups and their replica", () => {
    const buckets = resourcesOfType(plan, "aws:s3/bucket:Bucket").map((b) => b.urn);
    expect(buckets).toHaveLength(4);
    const settingsOf = (type: string) => resourcesOfType(plan, type).filter((r) => r.dependencies.some((d) => buckets.includes(d)));
    expect(settingsOf("aws:s3/bucketVersioning:BucketVersioning").map((v) => (v.inputs.versioningConfiguration as any).status)).toEqual(["Enabled", "Enabled", "Enabled", "Enabled"]);
    expect(settingsOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).toHaveLength(4);
    for (const block of settingsOf("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
      expect(block.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    expect(settingsOf("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toHaveLength(4);
  });

  it("has the hosted zone for the domain, DNSSEC-signed, and exports its name servers", () => {
    expect(onlyResource(plan, "aws:route53/zone:Zone").inputs.name).toBe("gitpod.example.com");
    expect(onlyResource(plan, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec").inputs.signingStatus).toBe("SIGNING");
    expect(plan.outputs.nameServers).toHaveLength(4);
  });

  it("protects every data resource and the database's encryption key", () => {
    for (const type of dataTypes) {
      for (const resource of resourcesOfType(plan, type)) expect({ urn: resource.urn, protect: resource.options.protect }).toEqual({ urn: resource.urn, protect: true });
    }
    const dbKey = resourcesOfType(plan, "aws:kms/key:Key").find((k) => k.name.endsWith("database-key"));
    expect(dbKey?.options.protect).toBe(true);
  });

  it("creates no ECR repositories while no image mirror is configured: workspace images go to the S3-backed registry", () => {
    expect(resourcesOfType(plan, "aws:ecr/repository:Repository")).toEqual([]);
  });

  it("installs Calico and the cluster autoscaler after the node groups", () => {
    const release = resourceNamed(plan, "kubernetes:helm.sh/v3:Release", "aws-prod-calico-tigera-operator");
    expect((release.inputs.values as any).installation.cni).toEqual({ type: "AmazonVPC" });
    const groups = resourcesOfType(plan, "aws:eks/nodeGroup:NodeGroup").map((g) => g.urn);
    expect(release.dependencies).toEqual(expect.arrayContaining(groups));
    const autoscaler = resourceNamed(plan, "kubernetes:helm.sh/v3:Release", "aws-prod-autoscaler-release");
    expect((autoscaler.inputs.values as any).autoDiscovery).toEqual({ clusterName: "gitpod-aws-prod" });
    expect(autoscaler.dependencies).toEqual(expect.arrayContaining(groups));
  });

  it("creates every AWS resource through the stack's explicit providers, with the stack's default tags", () => {
    const providers = resourcesOfType(plan, "pulumi:providers:aws");
    const byName = Object.fromEntries(providers.map((p) => [p.name, p]));
    expect(byName["aws-prod-aws"].inputs.region).toBe("eu-west-1");
    expect(byName["aws-prod-aws-replica"].inputs.region).toBe("eu-central-1");
    expect(byName["aws-prod-aws-global"].inputs.region).toBe("us-east-1");
    expect(JSON.parse(String(byName["aws-prod-aws"].inputs.defaultTags))).toEqual({
      tags: { "gitpod.io/stack": "aws-prod", "gitpod.io/environment": "production", "gitpod.io/domain": "gitpod.example.com", "managed-by": "pulumi", "cost-center": "developer-platform" },
    });
    const awsResources = plan.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(awsResources.length).toBeGreaterThan(80);
    const explicit = ["aws-prod-aws", "aws-prod-aws-global", "aws-prod-aws-replica"].map((n) => byName[n].urn);
    for (const resource of awsResources) expect(explicit).toContain(resource.provider);
    // Only the backup layer's replicas (bucket, replicated database backups and their key) live in the replica region.
    const inReplica = awsResources.filter((r) => r.provider === byName["aws-prod-aws-replica"].urn).map((r) => r.name);
    expect(inReplica.every((n) => n.startsWith("aws-prod-backup-"))).toBe(true);
    expect(inReplica).toEqual(expect.arrayContaining(["aws-prod-backup-replica-bucket", "aws-prod-backup-db-backups", "aws-prod-backup-db-key"]));
    const global = awsResources.filter((r) => r.provider === byName["aws-prod-aws-global"].urn).map((r) => r.type);
    expect(global).toEqual(["aws:kms/key:Key"]);
  });

  it("hands the Kubernetes layer a kubeconfig that waits for the node groups, the network add-ons and Calico", () => {
    const provider = resourcesOfType(plan, "pulumi:providers:kubernetes").find((p) => p.name === "aws-prod-kubernetes");
    expect(provider).toBeDefined();
    expect(provider!.inputs.kubeconfig).toBe("[secret]");
    const ready = [
      ...resourcesOfType(plan, "aws:eks/nodeGroup:NodeGroup"),
      ...resourcesOfType(plan, "aws:eks/addon:Addon").filter((a) => ["vpc-cni", "kube-proxy", "coredns"].includes(String(a.inputs.addonName))),
      resourceNamed(plan, "kubernetes:helm.sh/v3:Release", "aws-prod-calico-tigera-operator"),
    ].map((r) => r.urn);
    expect(ready).toHaveLength(7);
    expect(provider!.dependencies).toEqual(expect.arrayContaining(ready));
  });

  it("exports the kubeconfig as a secret", () => {
    expect(plan.outputs.kubeconfig).toBe("[secret]");
    expect(plan.outputs.clusterName).toBe("gitpod-aws-prod");
  });
});

describe(`variants of the ${STACK} stack`, () => {
  it("looks up three zones when none are configured, takes an explicit AMI id, and creates protected ECR mirror repositories", async () => {
    const plan = await planStack(STACK, {
      configOverrides: override({
        aws: { region: "eu-west-2", nodeImage: { amiId: "ami-0123456789abcdef0" }, imageMirror: { images: ["server", "proxy"] } },
      }),
    });
    const zones = resourcesOfType(plan, "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone);
    expect([...new Set(zones)].sort()).toEqual(["eu-west-2a", "eu-west-2b", "eu-west-2c"]);
    for (const template of resourcesOfType(plan, "aws:ec2/launchTemplate:LaunchTemplate")) expect(template.inputs.imageId).toBe("ami-0123456789abcdef0");
    const repositories = resourcesOfType(plan, "aws:ecr/repository:Repository");
    expect(repositories.map((r) => r.inputs.name).sort()).toEqual(["gitpod/proxy", "gitpod/server"]);
    for (const repository of repositories) expect(repository.options.protect).toBe(true);
    expect(resourcesOfType(plan, "pulumi:providers:aws").map((p) => p.name).sort()).toEqual(["aws-prod-aws", "aws-prod-aws-global", "aws-prod-aws-replica"]);
  });

  it("in development: one NAT gateway, nothing protected, no final snapshot", async () => {
    const plan = await planStack(STACK, {
      configOverrides: override({ environment: "development", aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] } }),
    });
    expect(resourcesOfType(plan, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    const db = onlyResource(plan, "aws:rds/instance:Instance");
    expect(db.inputs).toMatchObject({ multiAz: false, deletionProtection: false, skipFinalSnapshot: true });
    expect(onlyResource(plan, "aws:eks/cluster:Cluster").inputs.deletionProtection).toBe(false);
    for (const type of dataTypes) for (const resource of resourcesOfType(plan, type)) expect(resource.options.protect).toBe(false);
  });
});

describe("AWS platform helpers", () => {
  it("finds Canonical's Ubuntu EKS image by release, Kubernetes minor version and serial", () => {
    expect(ubuntuEksAmiParameter("24.04", "1.33.5", "20251015")).toBe("/aws/service/canonical/ubuntu/eks/24.04/1.33/stable/20251015/amd64/hvm/ebs-gp3/ami-id");
    expect(ubuntuEksAmiParameter("22.04", "1.31", "current")).toBe("/aws/service/canonical/ubuntu/eks/22.04/1.31/stable/current/amd64/hvm/ebs-gp2/ami-id");
  });

  it("adds the stack's own tags, which cannot override the identifying ones", () => {
    const tags = stackTags("s", awsConfig({ aws: { region: "eu-west-1", tags: { team: "dx", "gitpod.io/stack": "other" } } }));
    expect(tags).toMatchObject({ "gitpod.io/stack": "s", "managed-by": "pulumi", team: "dx" });
  });
});
