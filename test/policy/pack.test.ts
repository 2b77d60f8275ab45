import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { rules } from "../../policy/rules";
import { projectRoot, readStackFile } from "../../scripts/plan/stackFile";
import { childNodeFlags } from "../helpers";

/**
 * The pack as `pulumi preview --policy-pack policy` runs it: Pulumi's own policy-pack runner
 * (@pulumi/pulumi/cmd/run-policy-pack, resolved from policy/ like the CLI does), started in policy/ with the stack's
 * name and config in the environment, type-checked by ts-node, serving CrossGuard's gRPC analyzer. This test is
 * the engine's side of that conversation.
 */
const policyDir = path.join(projectRoot, "policy");
const stack = "aws-prod";

let pack: ChildProcess;
let client: analyzerRpc.AnalyzerClient;
let stderr = "";

beforeAll(async () => {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [policyDir] });
  pack = spawn(process.execPath, [...childNodeFlags, runner, "127.0.0.1:0", "."], {
    cwd: policyDir,
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(readStackFile(stack).values), PULUMI_NODEJS_STACK: stack, PULUMI_NODEJS_PROJECT: "gitpod-platform" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  pack.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const port = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    pack.stdout?.on("data", (chunk) => {
      stdout += String(chunk);
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) resolve(match[1]);
    });
    pack.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
  client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
  client?.close();
  if (pack?.pid !== undefined && pack.exitCode === null) pack.kill();
});

/** A unary call of the analyzer client as a promise. */
function call<Res>(invoke: (callback: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

function resource(type: string, name: string, props: Record<string, unknown>, dependencies: string[] = []): analyzer.AnalyzerResource {
  const r = new analyzer.AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:${stack}::gitpod-platform::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(props as Record<string, never>));
  const options = new analyzer.AnalyzerResourceOptions();
  options.setProtect(false);
  r.setOptions(options);
  r.setDependenciesList(dependencies);
  return r;
}

const levels = ["advisory", "mandatory", "remediate", "disabled"];

describe("the policy pack under Pulumi's policy runner", () => {
  it("loads and serves every rule with its enforcement level", async () => {
    const info = await call<analyzer.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    expect(info.getName()).toBe("gitpod-platform");
    const served = info.getPoliciesList().map((p) => `${p.getName()} ${levels[p.getEnforcementlevel()]}`);
    expect(served.sort()).toEqual(rules.map((r) => `${r.name} ${r.level}`).sort());
  });

  it("rejects a resource before it is created (resource rule), production rules included (aws-prod is production)", async () => {
    const req = new analyzer.AnalyzeRequest();
    const rds = resource("aws:rds/instance:Instance", "db", { engine: "mysql", publiclyAccessible: true, storageEncrypted: true, deletionProtection: false, backupRetentionPeriod: 14 });
    req.setType(rds.getType());
    req.setName(rds.getName());
    req.setUrn(rds.getUrn());
    req.setProperties(rds.getProperties());
    req.setOptions(rds.getOptions());
    const response = await call<analyzer.AnalyzeResponse>((cb) => client.analyze(req, cb));
    const found = response.getDiagnosticsList().map((d) => `${d.getPolicyname()} ${levels[d.getEnforcementlevel()]}`);
    expect(found).toEqual(expect.arrayContaining(["database-not-public mandatory", "database-deletion-protection mandatory"]));
    const message = response.getDiagnosticsList().find((d) => d.getPolicyname() === "database-not-public")?.getMessage();
    expect(message).toContain("db (aws:rds/instance:Instance): publiclyAccessible is true");
  });

  it("knows the stack's cloud from PULUMI_CONFIG: on aws-prod a GKE annotation does not bind external-dns", async () => {
    // Without the stack config the rule would accept any cloud's annotation; with it, only the stack's cloud's.
    const chart = resource("kubernetes:helm.sh/v4:Chart", "external-dns", {
      chart: "external-dns",
      version: "1.21.1",
      repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns/" },
      values: { serviceAccount: { create: true, annotations: { "iam.gke.io/gcp-service-account": "dns@p.iam.gserviceaccount.com" } } },
    });
    const req = new analyzer.AnalyzeRequest();
    req.setType(chart.getType());
    req.setName(chart.getName());
    req.setUrn(chart.getUrn());
    req.setProperties(chart.getProperties());
    req.setOptions(chart.getOptions());
    const diagnostics = (await call<analyzer.AnalyzeResponse>((cb) => client.analyze(req, cb))).getDiagnosticsList();
    const identity = diagnostics.filter((d) => d.getPolicyname() === "cluster-tools-workload-identity");
    expect(identity.map((d) => levels[d.getEnforcementlevel()])).toEqual(["mandatory"]);
    expect(identity[0].getMessage()).toContain("values.serviceAccount.annotations lacks eks.amazonaws.com/role-arn");
  });

  it("copes with values a preview cannot know: skips them where it can, reports 'can't run during preview' where it cannot", async () => {
    // The engine sends an unknown value as this sentinel string (@pulumi/pulumi runtime/rpc.ts unknownValue).
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const chart = resource("kubernetes:helm.sh/v4:Chart", "cert-manager", {
      chart: "cert-manager",
      version: "v1.21.1",
      repositoryOpts: { repo: "https://charts.jetstack.io" },
      values: {
        image: { repository: "quay.io/jetstack/cert-manager-controller", tag: unknown },
        webhook: { image: { repository: "quay.io/jetstack/cert-manager-webhook", tag: "latest" } },
        serviceAccount: { create: true, annotations: { "eks.amazonaws.com/role-arn": unknown } },
      },
    });
    const req = new analyzer.AnalyzeRequest();
    req.setType(chart.getType());
    req.setName(chart.getName());
    req.setUrn(chart.getUrn());
    req.setProperties(chart.getProperties());
    req.setOptions(chart.getOptions());
    const diagnostics = (await call<analyzer.AnalyzeResponse>((cb) => client.analyze(req, cb))).getDiagnosticsList();
    const byPolicy = (name: string) => diagnostics.filter((d) => d.getPolicyname() === name);
    expect(byPolicy("no-latest-image-tags").map((d) => d.getMessage())).toEqual([expect.stringContaining("values.webhook.image.tag is \"latest\"")]);
    const identity = byPolicy("cluster-tools-workload-identity");
    expect(identity.map((d) => levels[d.getEnforcementlevel()])).toEqual(["advisory"]);
    expect(identity[0].getMessage()).toContain("during preview");
  });

  it("checks relations across the stack (stack rule) and points at the resource", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "objects", { forceDestroy: false });
    const versioning = resource("aws:s3/bucketVersioning:BucketVersioning", "objects-versioning", { versioningConfiguration: { status: "Enabled" } }, [bucket.getUrn()]);
    const req = new analyzer.AnalyzeStackRequest();
    req.setResourcesList([bucket, versioning]);
    const response = await call<analyzer.AnalyzeResponse>((cb) => client.analyzeStack(req, cb));
    const attached = response.getDiagnosticsList().find((d) => d.getPolicyname() === "bucket-controls-attached");
    expect(attached?.getUrn()).toBe(bucket.getUrn());
    expect(attached?.getMessage()).toContain("objects (aws:s3/bucket:Bucket): nothing attaches BucketPublicAccessBlock, BucketServerSideEncryptionConfiguration");
    expect(attached?.getMessage()).not.toContain("BucketVersioning");
    const protectedData = response.getDiagnosticsList().find((d) => d.getPolicyname() === "data-resources-protected");
    expect(protectedData?.getMessage()).toContain("objects (aws:s3/bucket:Bucket): protect is false");
  });
});
