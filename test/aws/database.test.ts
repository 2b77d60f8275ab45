import * as pulumi from "@pulumi/pulumi";
import { Database, gitpodParameters, maxAllocatedStorage, parameterGroupFamily, performanceInsightsSupported, rdsServerCa } from "../../components/aws/database";
import { rdsCaRoots } from "../../components/aws/rdsCa";
import { ValidationOptions } from "../../config";
import { Plan } from "../../scripts/plan/run";
import { onlyResource } from "../helpers";
import { awsConfig, planComponent } from "./fixtures";

const INSTANCE = "aws:rds/instance:Instance";

/** The CA bundle the last planned Database put into the contract. */
let caCertificate: pulumi.Output<string> | undefined;

function planDatabase(configOverrides: Record<string, unknown> = {}, finalSnapshot?: boolean, options: ValidationOptions = {}): Promise<Plan> {
  const config = awsConfig(configOverrides, options);
  return planComponent(() => {
    const db = new Database("db", {
      database: config.database,
      vpcId: "vpc-1",
      subnetIds: ["db-a", "db-b", "db-c"],
      clientSecurityGroupId: "sg-nodes",
      identifier: "gitpod-test-mysql",
      logRetentionDays: 365,
      protect: config.protect,
      finalSnapshot: finalSnapshot ?? config.protect,
      region: config.aws!.region,
    });
    caCertificate = db.caCertificate;
  });
}

describe("RDS for MySQL in production", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planDatabase({ database: { backupRetentionDays: 21 } });
  });

  it("is private in the database subnets and encrypted with its own KMS key", () => {
    const db = onlyResource(plan, INSTANCE).inputs;
    expect(db.publiclyAccessible).toBe(false);
    expect(db.storageEncrypted).toBe(true);
    expect(db.kmsKeyId).toMatch(/^arn:aws:kms:.+:key\//);
    expect(onlyResource(plan, "aws:kms/key:Key").inputs).toMatchObject({ enableKeyRotation: true });
    expect(onlyResource(plan, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(["db-a", "db-b", "db-c"]);
    expect(db.dbSubnetGroupName).toBe("db-subnets");
  });

  it("is Multi-AZ with the configured backup retention, deletion protection, a final snapshot and Pulumi protection", () => {
    const db = onlyResource(plan, INSTANCE);
    expect(db.inputs).toMatchObject({
      multiAz: true,
      backupRetentionPeriod: 21,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "db-mysql-final",
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
      performanceInsightsEnabled: true,
    });
    expect(db.options.protect).toBe(true);
    expect(onlyResource(plan, "aws:kms/key:Key").options.protect).toBe(true);
  });

  it("sizes MySQL 8.0 on db.m6i.large with gp3 storage that grows", () => {
    expect(onlyResource(plan, INSTANCE).inputs).toMatchObject({
      engine: "mysql",
      engineVersion: "8.0",
      instanceClass: "db.m6i.large",
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: "gp3",
    });
  });

  it("creates database gitpod with user gitpod and a generated secret password", () => {
    const db = onlyResource(plan, INSTANCE);
    expect(db.inputs).toMatchObject({ dbName: "gitpod", username: "gitpod", port: 3306, password: "[secret]" });
    expect(db.options.additionalSecretOutputs).toContain("password");
    expect(onlyResource(plan, "random:index/randomPassword:RandomPassword").inputs).toMatchObject({ length: 40, special: false });
  });

  it("uses a parameter group that lets Gitpod's migrations create triggers with the binary log on and requires TLS", () => {
    const params = onlyResource(plan, "aws:rds/parameterGroup:ParameterGroup").inputs as any;
    expect(params.family).toBe("mysql8.0");
    expect(params.parameters).toEqual([
      { name: "explicit_defaults_for_timestamp", value: "0", applyMethod: "pending-reboot" },
      { name: "default_authentication_plugin", value: "mysql_native_password", applyMethod: "pending-reboot" },
      { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
      { name: "slow_query_log", value: "1", applyMethod: "immediate" },
      { name: "long_query_time", value: "2", applyMethod: "immediate" },
    ]);
    expect(onlyResource(plan, INSTANCE).inputs.parameterGroupName).toBe("db-params");
  });

  it("pins the server certificate to rds-ca-rsa2048-g1 and publishes the RDS root CAs that verify it", async () => {
    expect(rdsServerCa).toBe("rds-ca-rsa2048-g1");
    expect(onlyResource(plan, INSTANCE).inputs.caCertIdentifier).toBe("rds-ca-rsa2048-g1");
    const ca = await new Promise<string>((resolve) => caCertificate!.apply(resolve));
    const names = rdsCaRoots(ca).map((root) => `${root.region} ${root.algorithm}`);
    expect(names).toEqual(["eu-west-1 RSA2048", "eu-west-1 RSA4096", "eu-west-1 ECC384"]);
  });

  it("lets in MySQL from the nodes' security group and nothing else", () => {
    const sg = onlyResource(plan, "aws:ec2/securityGroup:SecurityGroup");
    expect(sg.inputs.ingress ?? []).toEqual([]);
    const rule = onlyResource(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs;
    expect(rule).toMatchObject({ securityGroupId: "db-sg-id", referencedSecurityGroupId: "sg-nodes", ipProtocol: "tcp", fromPort: 3306, toPort: 3306 });
    expect(rule.cidrIpv4).toBeUndefined();
    expect(onlyResource(plan, INSTANCE).inputs.vpcSecurityGroupIds).toEqual(["db-sg-id"]);
  });
});

describe("RDS for MySQL in development", () => {
  it("is single-AZ, unprotected, without a final snapshot, and follows the configured version and size", async () => {
    const plan = await planDatabase({
      environment: "development",
      database: { version: "5.7", machineType: "db.t4g.medium", diskSizeGb: 50, backupRetentionDays: 3 },
    });
    const db = onlyResource(plan, INSTANCE);
    expect(db.inputs).toMatchObject({
      multiAz: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
      engineVersion: "5.7",
      instanceClass: "db.t4g.medium",
      allocatedStorage: 50,
      backupRetentionPeriod: 3,
      publiclyAccessible: false,
      storageEncrypted: true,
    });
    expect(db.inputs.finalSnapshotIdentifier).toBeUndefined();
    expect(db.options.protect).toBe(false);
    const params = onlyResource(plan, "aws:rds/parameterGroup:ParameterGroup").inputs as any;
    expect(params.family).toBe("mysql5.7");
    expect(params.parameters).toContainEqual({ name: "require_secure_transport", value: "1", applyMethod: "immediate" });
  });
});

describe("RDS for MySQL as Gitpod 2022.11 needs it", () => {
  it("turns explicit_defaults_for_timestamp off (Gitpod writes NULL to reset its timestamp columns) on every version", () => {
    for (const version of ["5.7", "8.0"] as const) {
      expect(gitpodParameters(version)).toContainEqual({ name: "explicit_defaults_for_timestamp", value: "0", applyMethod: "pending-reboot" });
    }
    // 5.7's default is mysql_native_password already; only 8.0 needs it pinned for the Node driver `mysql` 2.x.
    expect(gitpodParameters("5.7").map((p) => p.name)).not.toContain("default_authentication_plugin");
  });

  it("states the RDS lifecycle support: extended support only when chosen, disabled otherwise", async () => {
    // Standard support for 8.0 is refused today (facts/calendar/mysql.json): plan it on a day it was still offered.
    const standard = await planDatabase({ database: { supportPlan: "standard" } }, undefined, { today: new Date("2026-05-01") });
    expect(onlyResource(standard, INSTANCE).inputs.engineLifecycleSupport).toBe("open-source-rds-extended-support-disabled");
    const extended = await planDatabase({ database: { supportPlan: "extended" } });
    expect(onlyResource(extended, INSTANCE).inputs.engineLifecycleSupport).toBe("open-source-rds-extended-support");
  });

  it("exports error and slow-query logs into log groups made first with a retention", async () => {
    const plan = await planDatabase();
    const instance = onlyResource(plan, INSTANCE);
    expect(instance.inputs.identifier).toBe("gitpod-test-mysql");
    expect(instance.inputs.enabledCloudwatchLogsExports).toEqual(["error", "slowquery"]);
    const groups = plan.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => g.inputs)).toEqual([
      { name: "/aws/rds/instance/gitpod-test-mysql/error", retentionInDays: 365 },
      { name: "/aws/rds/instance/gitpod-test-mysql/slowquery", retentionInDays: 365 },
    ]);
    expect(instance.dependencies).toEqual(expect.arrayContaining(groups.map((g) => g.urn)));
    // A fixed identifier cannot exist twice: a replacement deletes the old instance first.
    expect(instance.options.deleteBeforeReplace).toBe(true);
  });
});

describe("RDS for MySQL outside the bundle's regions", () => {
  it("fails the plan where the vendored bundle has no root for the region (GovCloud), rather than lock Gitpod out", async () => {
    await expect(planDatabase({ aws: { region: "us-gov-west-1" }, backup: { replicaRegion: "us-gov-east-1" } })).rejects.toThrow(/no "Amazon RDS us-gov-west-1 Root CA RSA2048 G1"/);
  });
});

describe("database helpers", () => {
  it("derives the parameter group family and the autoscaling ceiling", () => {
    expect(parameterGroupFamily("8.0")).toBe("mysql8.0");
    expect(maxAllocatedStorage(20)).toBe(100);
    expect(maxAllocatedStorage(500)).toBe(2500);
    expect(maxAllocatedStorage(16384)).toBe(65536);
  });

  it("turns Performance Insights on wherever the instance class supports it", () => {
    expect(performanceInsightsSupported("db.m6i.large")).toBe(true);
    expect(performanceInsightsSupported("db.t4g.medium")).toBe(true);
    expect(performanceInsightsSupported("db.t4g.small")).toBe(false);
    expect(performanceInsightsSupported("db.t3.micro")).toBe(false);
  });
});
