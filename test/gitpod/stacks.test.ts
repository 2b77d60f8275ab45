/**
 * Every committed stack, planned as `npm run plan` does it: the gitpod.config.yaml it writes is a valid v1 config
 * whose database, object storage and registry blocks match that cloud's platform resources in the same plan, every
 * Secret it names is planned (with hidden data), the install resources are there, and no secret value shows.
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { fakeSecretMarker } from "../../scripts/plan/fakes/random";
import { writePlan } from "../../scripts/plan/output";
import { Plan } from "../../scripts/plan/run";
import { committedStacks, readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, onlyResource, resourceNamed, resourcesOfType, withoutImageMirror } from "../helpers";
import { installerConfigV1Schema } from "./installerSchema";
import { renderFacts, shapeOfCloud } from "./renderFacts";

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(installerConfigV1Schema);

/** The Secret names each cloud's platform shape makes the installer config refer to. */
const secretsByCloud: Record<string, string[]> = {
  gcp: ["container-registry", "database", "database-ca", "ssh-gateway-host-key", "storage-gcp"],
  aws: ["container-registry-s3-backend", "database", "database-ca", "ssh-gateway-host-key", "storage-s3"],
  azure: ["container-registry", "database", "database-ca", "ssh-gateway-host-key", "storage-azure"],
};

describe.each(committedStacks())("Gitpod in committed stack %s", (stack) => {
  let plan: Plan;
  let config: any;
  let stackConfig: Record<string, any>;
  beforeAll(async () => {
    plan = withoutImageMirror(await committedPlan(stack));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-gitpod-${stack}-`));
    writePlan(plan, dir);
    config = YAML.parse(fs.readFileSync(path.join(dir, "gitpod.config.yaml"), "utf8"));
    fs.rmSync(dir, { recursive: true, force: true });
    const values = readStackFile(stack).values;
    stackConfig = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k.replace(/^gitpod-platform:/, ""), /^\s*[[{]/.test(v) ? JSON.parse(v) : v]),
    );
  });

  it("writes a complete, valid installer config v1 for 2022.11.x", () => {
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect(config).toMatchObject({ apiVersion: "v1", kind: "Full", domain: stackConfig.domain, certificate: { kind: "secret", name: "https-certificates" } });
    expect(config.workspace.runtime.containerdSocket).toMatch(/^\//);
  });

  it("has, block by block, the shape of a render golden the RBAC proof walks (database, storage and registry)", () => {
    // GCP connects to Cloud SQL as an external database (no proxy), which gcp-setup does not render but aws-setup and
    // azure-setup do: the proof walks every golden, so each block must match the same block of one of them.
    const backend = (block: Record<string, unknown>) => Object.keys(block).filter((k) => k !== "inCluster" && k !== "ssl" && k !== "privateBaseImageAllowList");
    const walked = Object.values(shapeOfCloud).map((shape) => renderFacts.shapes[shape].configShape);
    for (const block of ["database", "objectStorage", "containerRegistry"] as const) {
      const shapes = walked.map((golden) => golden[block].filter((k) => k !== "inCluster"));
      expect(shapes).toContainEqual(backend(config[block]));
    }
  });

  it("matches the cloud's platform resources in the same plan", () => {
    const cloud = stackConfig.cloud;
    if (cloud === "gcp") {
      // Cloud SQL as an external MySQL over TLS (docs/gcp.md): the instance exists, Gitpod gets host and CA by Secret.
      resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", `${stack}-database-mysql`);
      expect(config.database).toMatchObject({ inCluster: false, external: { certificate: { name: "database" } }, ssl: { caCert: { name: "database-ca" } } });
      expect(config.database.cloudSQL).toBeUndefined();
      expect(config.objectStorage.cloudStorage.project).toBe(stackConfig.gcp.project);
      const repo = resourceNamed(plan, "gcp:artifactregistry/repository:Repository", `${stack}-registry-images`);
      expect(config.containerRegistry).toMatchObject({
        inCluster: false,
        external: { url: `${repo.inputs.location}-docker.pkg.dev/${stackConfig.gcp.project}/${repo.inputs.repositoryId}` },
      });
      // With a replica region Gitpod's buckets go to the multi-region (workspace content survives the region).
      expect(config.metadata.region).toBe(stackConfig.backup?.replicaRegion ? "eu" : stackConfig.gcp.region);
    } else if (cloud === "aws") {
      const region = stackConfig.aws.region;
      expect(config.database).toMatchObject({ inCluster: false, external: { certificate: { name: "database" } }, ssl: { caCert: { name: "database-ca" } } });
      expect(config.objectStorage.s3).toMatchObject({ endpoint: `s3.${region}.amazonaws.com` });
      expect(config.objectStorage.s3.bucket).toMatch(/objects/);
      expect(config.containerRegistry).toMatchObject({ inCluster: true, s3storage: { region, endpoint: `s3.${region}.amazonaws.com` } });
      expect(config.containerRegistry.s3storage.bucket).toMatch(/registry/);
      expect(config.metadata.region).toBe(region);
    } else if (cloud === "azure") {
      const acr = resourceNamed(plan, "azure-native:containerregistry:Registry", `${stack}-registry-acr`);
      expect(config.containerRegistry.external.url).toBe(`${acr.inputs.registryName}.azurecr.io/gitpod`);
      expect(config.objectStorage).toEqual({ inCluster: false, azure: { credentials: { kind: "secret", name: "storage-azure" } } });
      expect(config.database).toMatchObject({ inCluster: false, ssl: { caCert: { name: "database-ca" } } });
      expect(config.metadata.region).toBe(resourceNamed(plan, "azure-native:storage:StorageAccount", `${stack}-storage-account`).inputs.location);
    } else if (cloud === "existing") {
      // A cluster the operator runs: each service is what `existing.*` says, in-cluster or external.
      const existing = stackConfig.existing;
      if (existing.database.kind === "inCluster") expect(config.database).toEqual({ inCluster: true });
      else expect(config.database).toMatchObject({ inCluster: false, external: { certificate: { name: "database" } } });
      if (existing.objectStorage.kind === "inCluster") expect(config.objectStorage).toEqual({ inCluster: true });
      else expect(config.objectStorage.s3).toMatchObject({ bucket: existing.objectStorage.bucket });
      if (existing.registry.kind === "inCluster") expect(config.containerRegistry).toEqual({ inCluster: true, privateBaseImageAllowList: [] });
      else expect(config.containerRegistry.inCluster).toBe(existing.registry.kind !== "external");
      if (existing.distribution === "k3s") expect(config.workspace.runtime.containerdSocket).toBe("/run/k3s/containerd/containerd.sock");
    } else {
      throw new Error(`no expectations for cloud ${cloud}`);
    }
  });

  it("plans every Secret the config names in namespace gitpod, data hidden", () => {
    const gitpodSecrets = resourcesOfType(plan, "kubernetes:core/v1:Secret").filter((s) => (s.inputs.metadata as any).namespace === "gitpod");
    const referenced = JSON.stringify(config).match(/"kind":"secret","name":"[^"]+"/g) ?? [];
    const expected = secretsByCloud[stackConfig.cloud] ?? [...new Set(referenced.map((r) => r.split('"').slice(-2, -1)[0]))].filter((n) => n !== "https-certificates").sort();
    expect(gitpodSecrets.map((s) => (s.inputs.metadata as any).name).sort()).toEqual(expected);
    for (const secret of gitpodSecrets) expect(secret.inputs.stringData).toBe("[secret]");
  });

  it("plans the install: the Job with the pinned installer image, its ConfigMap holding exactly this config", () => {
    const job = onlyResource(plan, "kubernetes:batch/v1:Job");
    expect((job.inputs.spec as any).template.spec.containers[0].image).toMatch(/\/installer:release-2022\.11\.\d+(\.\d+)?$/);
    const configMap = resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as any).namespace === "gitpod-installer")!;
    expect(YAML.parse((configMap.inputs.data as any)["gitpod.config.yaml"])).toEqual(config);
  });

  it("holds no secret value in gitpod.config.yaml or the plan", () => {
    const text = YAML.stringify(config);
    expect(text).not.toContain(fakeSecretMarker);
    expect(text).not.toContain("offline-placeholder-for-");
    expect(text).not.toMatch(/password|secretAccessKey|PRIVATE KEY/i);
    expect(JSON.stringify(plan)).not.toContain(fakeSecretMarker);
  });
});
