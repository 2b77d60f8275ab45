import * as pulumi from "@pulumi/pulumi";
import * as getAvailabilityZonesModule from "@pulumi/aws/getAvailabilityZones";
import * as getCallerIdentityModule from "@pulumi/aws/getCallerIdentity";
import * as ssmParameterModule from "@pulumi/aws/ssm/getParameter";
import { AwsPlatform } from "../../components/aws";
import { issuerHostPath } from "../../components/aws/identity";
import { rdsCaBundleFor } from "../../components/aws/rdsCa";
import { gitpodNodeLabels, Platform } from "../../components/platform";
import { awsFakes } from "../../scripts/plan/fakes/aws";
import { Plan, PlannedResource, planStack } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { configProblems, configValues, minimalAwsConfig, resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { awsConfig, json, planComponent } from "./fixtures";

const STACK = "aws-prod";
const committedBackup = JSON.parse(readStackFile(STACK).values["gitpod-platform:backup"]) as Record<string, unknown>;
const failover = (extra: Record<string, unknown> = {}) => configValues({ backup: { ...committedBackup, failover: true }, ...extra });

/** Every resource registered below `root` (its descendants by parent URN). */
function descendants(plan: Plan, root: PlannedResource): PlannedResource[] {
  const inside = new Set([root.urn]);
  for (const resource of plan.resources) if (inside.has(resource.parent)) inside.add(resource.urn);
  return plan.resources.filter((r) => r.urn !== root.urn && inside.has(r.urn));
}

/** The provider URNs the lookups of one plan went through (SSM parameters, caller identity, availability zones). */
async function lookupsDuring(run: () => Promise<Plan>): Promise<{ plan: Plan; providers: string[] }> {
  const calls: pulumi.InvokeOutputOptions[] = [];
  const realSsm = ssmParameterModule.getParameterOutput;
  const realCaller = getCallerIdentityModule.getCallerIdentityOutput;
  const realZones = getAvailabilityZonesModule.getAvailabilityZonesOutput;
  const spySsm = jest.spyOn(ssmParameterModule, "getParameterOutput").mockImplementation((args: any, opts?: any) => {
    calls.push(opts ?? {});
    return realSsm(args, opts);
  });
  const spyCaller = jest.spyOn(getCallerIdentityModule, "getCallerIdentityOutput").mockImplementation((args?: any, opts?: any) => {
    calls.push(opts ?? {});
    return realCaller(args, opts);
  });
  const spyZones = jest.spyOn(getAvailabilityZonesModule, "getAvailabilityZonesOutput").mockImplementation((args?: any, opts?: any) => {
    calls.push(opts ?? {});
    return realZones(args, opts);
  });
  try {
    const plan = await run();
    const providers = await Promise.all(calls.map((opts) => (opts.provider ? valueOf(opts.provider.urn) : Promise.resolve("(default provider)"))));
    return { plan, providers };
  } finally {
    spySsm.mockRestore();
    spyCaller.mockRestore();
    spyZones.mockRestore();
  }
}

describe(`the ${STACK} stack with backup.failover`, () => {
  let before: Plan;
  let after: Plan;
  let lookups: { primary: string[]; failover: string[] };
  let replicaProvider: string;
  let site: PlannedResource[];
  beforeAll(async () => {
    const primary = await lookupsDuring(() => planStack(STACK));
    const failed = await lookupsDuring(() => planStack(STACK, { configOverrides: failover() }));
    before = primary.plan;
    after = failed.plan;
    lookups = { primary: primary.providers, failover: failed.providers };
    replicaProvider = resourceNamed(after, "pulumi:providers:aws", `${STACK}-aws-replica`).urn;
    site = descendants(after, resourceNamed(after, "gitpod:aws:ReplicaSite", `${STACK}-replica`));
  }, 60000);

  it("leaves every resource of the AWS platform as it was: same name, parent, provider, inputs and options", () => {
    const platform = descendants(before, resourceNamed(before, "gitpod:aws:Platform", STACK));
    expect(platform.length).toBeGreaterThan(200);
    const byUrn = new Map(after.resources.map((r) => [r.urn, r]));
    const changed = platform.flatMap((old) => {
      const now = byUrn.get(old.urn);
      if (!now) return [`${old.urn}: gone`];
      // The one exception, justified in components/aws/replicaSite.ts keepLaunchTemplateImage: the primary's launch
      // templates keep their AMI from state instead of reading SSM in the lost region (an option, not an input change).
      const options =
        old.type === "aws:ec2/launchTemplate:LaunchTemplate" ? { ...now.options, ignoreChanges: now.options.ignoreChanges.filter((p) => p !== "imageId") } : now.options;
      // And the primary provider asks the replica region's STS when it is configured (providers/aws.ts): a provider
      // setting, no resource in the lost region changes with it.
      const { stsRegion, ...inputs } = now.inputs;
      if (old.type === "pulumi:providers:aws" && old.name === `${STACK}-aws` && stsRegion !== committedBackup.replicaRegion) return [`${old.urn}: stsRegion ${String(stsRegion)}`];
      const same = { inputs: old.type === "pulumi:providers:aws" ? inputs : now.inputs, parent: now.parent, provider: now.provider, options, dependencies: now.dependencies };
      const was = { inputs: old.inputs, parent: old.parent, provider: old.provider, options: old.options, dependencies: old.dependencies };
      return JSON.stringify(same) === JSON.stringify(was) ? [] : [old.urn];
    });
    expect(changed).toEqual([]);
    const templates = resourcesOfType(after, "aws:ec2/launchTemplate:LaunchTemplate").filter((t) => !site.includes(t));
    expect(templates.map((t) => t.options.ignoreChanges)).toEqual([["imageId"], ["imageId"], ["imageId"]]);
  });

  it("looks nothing up in the lost region: the AMI and account lookups go to the replica region", () => {
    const primaryProvider = resourceNamed(before, "pulumi:providers:aws", `${STACK}-aws`).urn;
    expect(lookups.primary).toContain(primaryProvider);
    expect(lookups.failover.length).toBeGreaterThan(0);
    expect(lookups.failover.filter((urn) => urn !== replicaProvider)).toEqual([]);
  });

  it("builds the cluster and its three node groups, with the Gitpod labels, in the replica region's zones", () => {
    const custom = site.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(custom.filter((r) => r.provider !== replicaProvider).map((r) => r.name)).toEqual([]);
    const clusters = site.filter((r) => r.type === "aws:eks/cluster:Cluster");
    expect(clusters.map((c) => c.inputs.name)).toEqual(["gitpod-aws-prod-failover"]);
    expect(clusters[0].inputs).toMatchObject({ version: "1.35", deletionProtection: true });
    const groups = site.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
    expect(groups).toHaveLength(3);
    expect(groups.map((g) => g.inputs.labels)).toEqual(expect.arrayContaining(Object.values(gitpodNodeLabels)));
    expect(groups.map((g) => g.inputs.nodeGroupName).sort()).toEqual([
      "gitpod-aws-prod-failover-headless-workspaces",
      "gitpod-aws-prod-failover-regular-workspaces",
      "gitpod-aws-prod-failover-services",
    ]);
    const zones = site.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone);
    expect([...new Set(zones)]).toEqual(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
    expect(site.filter((r) => r.type === "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    const endpoint = site.find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint?.inputs.serviceName).toBe("com.amazonaws.eu-central-1.s3");
  });

  it("restores the database from the replicated automated backups, under their key, protected like the primary", () => {
    const restored = site.filter((r) => r.type === "aws:rds/instance:Instance");
    expect(restored).toHaveLength(1);
    const replication = resourceNamed(after, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", `${STACK}-backup-db-backups`);
    const backupsKeyArn = awsFakes.outputs["aws:kms/key:Key"]({}, `${STACK}-backup-db-key`).arn;
    const inputs = restored[0].inputs as any;
    expect(inputs).toMatchObject({
      identifier: "gitpod-aws-prod-failover-mysql",
      // The mock runtime's id of the replication; the real provider's id is the replicated backups' ARN.
      restoreToPointInTime: { sourceDbInstanceAutomatedBackupsArn: `${replication.name}-id`, useLatestRestorableTime: true },
      kmsKeyId: backupsKeyArn,
      performanceInsightsKmsKeyId: backupsKeyArn,
      engine: "mysql",
      engineVersion: "8.0",
      multiAz: true,
      storageEncrypted: true,
      publiclyAccessible: false,
      deletionProtection: true,
      skipFinalSnapshot: false,
      password: "[secret]",
      caCertIdentifier: "rds-ca-rsa2048-g1",
    });
    expect(inputs.dbName).toBeUndefined();
    expect(restored[0].options.protect).toBe(true);
    // No new key and no new password: the restore keeps the backups' key and the source's master password.
    expect(site.filter((r) => r.type === "aws:kms/key:Key").map((k) => k.name)).toEqual([`${STACK}-replica-cluster-secrets`]);
    expect(site.filter((r) => r.type === "random:index/randomPassword:RandomPassword")).toEqual([]);
    const subnets = site.find((r) => r.type === "aws:rds/subnetGroup:SubnetGroup");
    expect(restored[0].dependencies).toContain(subnets!.urn);
  });

  it("gives the new cluster its own IRSA roles, trusting its OIDC issuer, and Velero its bucket policies", () => {
    const oidc = site.find((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider")!;
    const issuer = issuerHostPath(String(oidc.inputs.url));
    const velero = site.find((r) => r.type === "aws:iam/role:Role" && r.name === `${STACK}-replica-identity-velero-role`)!;
    expect(Object.keys(json(velero, "assumeRolePolicy").Statement[0].Condition.StringEquals)).toEqual([`${issuer}:sub`, `${issuer}:aud`]);
    const primaryIssuer = issuerHostPath(String(onlyNamed(before, `${STACK}-cluster-oidc`).inputs.url));
    expect(issuer).not.toBe(primaryIssuer);
    const policies = site.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith(`${STACK}-replica-velero-`));
    // Read-write on both buckets: the replica bucket is Velero's location while the region is lost.
    expect(policies.map((p) => json(p, "policy").Statement.map((s: any) => s.Sid))).toEqual([
      ["BackupObjects", "BackupBucket"],
      ["BackupObjects", "BackupBucket"],
    ]);
  });

  it("hands the Kubernetes layer a provider for the new cluster, waiting for its node groups", () => {
    const provider = resourceNamed(after, "pulumi:providers:kubernetes", `${STACK}-kubernetes`);
    expect(provider.inputs.clusterIdentifier).toBe("gitpod-aws-prod-failover");
    expect(resourceNamed(before, "pulumi:providers:kubernetes", `${STACK}-kubernetes`).inputs.clusterIdentifier).toBe("gitpod-aws-prod");
    const groups = site.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup").map((g) => g.urn);
    expect(provider.dependencies).toEqual(expect.arrayContaining(groups));
    expect(after.outputs.clusterName).toBe("gitpod-aws-prod-failover");
  });
});

describe(`the ${STACK} stack with backup.failover and looked-up zones`, () => {
  it("keeps the primary subnets' zones from state instead of looking them up in the lost region", async () => {
    const awsSection = JSON.parse(readStackFile(STACK).values["gitpod-platform:aws"]) as Record<string, unknown>;
    delete awsSection.availabilityZones;
    const withoutZones = { aws: awsSection };
    const normal = await lookupsDuring(() => planStack(STACK, { configOverrides: configValues(withoutZones) }));
    const failed = await lookupsDuring(() => planStack(STACK, { configOverrides: failover(withoutZones) }));
    const primary = resourceNamed(normal.plan, "pulumi:providers:aws", `${STACK}-aws`).urn;
    expect(normal.providers.filter((urn) => urn === primary).length).toBeGreaterThanOrEqual(2);
    expect(failed.providers.filter((urn) => urn === primary)).toEqual([]);
    const subnets = resourcesOfType(failed.plan, "aws:ec2/subnet:Subnet").filter((r) => r.name.startsWith(`${STACK}-network-`));
    expect(subnets).toHaveLength(9);
    for (const subnet of subnets) expect(subnet.options.ignoreChanges).toEqual(["availabilityZone"]);
  }, 60000);
});

function onlyNamed(plan: Plan, name: string): PlannedResource {
  const found = plan.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
}

describe("the platform contract in failover", () => {
  let platform: Platform;
  let aws: AwsPlatform;
  beforeAll(async () => {
    await planComponent(() => {
      aws = new AwsPlatform("p", {
        config: awsConfig({ aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }, backup: { replicaRegion: "eu-central-1", failover: true } }),
      });
      platform = aws.platform;
    });
  });

  it("points Gitpod at the restored database, with the source's password and the replica region's RDS CAs", async () => {
    const db = platform.database;
    if (db.kind !== "external") throw new Error("expected an external database");
    expect(await valueOf(db.host)).toMatch(/^gitpod-p-failover-mysql\./);
    expect(await valueOf(db.password)).toBe(await valueOf(aws.database.password));
    expect(await valueOf(db.caCertificate!)).toBe(rdsCaBundleFor("eu-central-1"));
  });

  it("points object storage at the replica bucket with the key that already holds it, and the registry at a new bucket there", async () => {
    const storage = platform.objectStorage;
    const registry = platform.registry;
    if (storage.kind !== "s3" || registry.kind !== "inClusterS3") throw new Error("expected S3");
    expect(storage).toMatchObject({ region: "eu-central-1", endpoint: "s3.eu-central-1.amazonaws.com" });
    expect(await valueOf(storage.bucket)).toBe(await valueOf(aws.storage.objectStorageReplica!.name));
    expect(await valueOf(storage.accessKeyId)).toBe(await valueOf(aws.storage.objectStorageCredentials.accessKeyId));
    expect(registry).toMatchObject({ region: "eu-central-1", endpoint: "s3.eu-central-1.amazonaws.com" });
    expect(await valueOf(registry.bucket)).toMatch(/^gitpod-p-failover-registry-/);
  });

  it("reports the replica region, keeps the zone, backs up to the replica bucket and snapshots volumes where the cluster is", async () => {
    expect(platform.metadataRegion).toBe("eu-central-1");
    expect(await valueOf(platform.clusterName)).toBe("gitpod-p-failover");
    expect(await valueOf(platform.dns.acmeDns01Solver)).toMatchObject({ route53: { region: "eu-central-1" } });
    expect(await valueOf(platform.dns.externalDns!.env!)).toEqual({ AWS_DEFAULT_REGION: "eu-central-1" });
    expect(await valueOf(platform.backup.snapshotConfig!)).toEqual({ region: "eu-central-1" });
    // The replica bucket is Velero's read-write location: restores read it and new backups reach the surviving region.
    expect(await valueOf(platform.backup.bucket)).toBe(await valueOf(aws.backup.replicaBucket!.name));
    expect(await valueOf(platform.backup.config)).toEqual({ region: "eu-central-1" });
    expect(platform.backup.replica).toBeUndefined();
    const annotations = await valueOf(platform.workloadIdentity.velero.serviceAccountAnnotations);
    expect(annotations["eks.amazonaws.com/role-arn"]).toMatch(/p-replica-identity-velero-role/);
  });
});

describe("aws.replicaSite and backup.failover are checked before anything is registered", () => {
  const config = (backup: Record<string, unknown>, aws: Record<string, unknown> = {}) => ({
    ...minimalAwsConfig,
    aws: { region: "eu-west-1", ...aws },
    backup: { replicaRegion: "eu-central-1", ...backup },
  });

  it.each([
    [
      "zones of another region",
      config({ failover: true }, { replicaSite: { availabilityZones: ["eu-central-1a", "eu-west-1b", "eu-central-1c"] } }),
      `gitpod-platform:aws.replicaSite.availabilityZones.1 = "eu-west-1b": is not a zone of backup.replicaRegion eu-central-1: one of eu-central-1a, eu-central-1b, eu-central-1c`,
    ],
    [
      "an explicit primary AMI without its replica-region counterpart",
      config({ failover: true }, { nodeImage: { amiId: "ami-0123456789abcdef0" } }),
      "gitpod-platform:aws.replicaSite.amiId is unset: must be set while aws.nodeImage.amiId (ami-0123456789abcdef0) is",
    ],
    [
      "an existing object storage bucket, which has no replica",
      config({ failover: true }, { objectStorage: { existingBucket: "my-gitpod-objects" } }),
      "gitpod-platform:backup.failover = true: cannot move Gitpod's object storage",
    ],
    [
      "a replica VPC over the service range",
      config({}, { replicaSite: { vpcCidr: "172.20.0.0/16" } }),
      `gitpod-platform:aws.replicaSite.vpcCidr = "172.20.0.0/16": must not overlap aws.network.serviceCidr (172.20.0.0/16)`,
    ],
    ["a replica VPC too small", config({}, { replicaSite: { vpcCidr: "10.9.0.0/24" } }), `gitpod-platform:aws.replicaSite.vpcCidr = "10.9.0.0/24": must be a /16 to /20 block`],
  ])("refuses %s", (_what, input, message) => {
    expect(configProblems(input).join("\n")).toContain(message);
  });

  it("refuses a replica site without a replica region", () => {
    const input = { ...minimalAwsConfig, environment: "development", backup: {}, aws: { region: "eu-west-1", replicaSite: { vpcCidr: "10.9.0.0/16" } } };
    expect(configProblems(input)).toContain(`gitpod-platform:aws.replicaSite.vpcCidr = "10.9.0.0/16": needs backup.replicaRegion: the replica site is built there`);
  });

  it("accepts the committed production stack's failover without any replicaSite key", () => {
    const parsed = awsConfig({ backup: { replicaRegion: "eu-central-1", failover: true } });
    expect(parsed.aws.replicaSite).toEqual({});
    expect(parsed.backup.failover).toBe(true);
  });
});
