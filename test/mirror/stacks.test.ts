/**
 * The offline plan of every committed stack: production stacks install from their own registry's mirror (the
 * installer config's `repository` and the installer image point at it), copy into it before anything else of Gitpod,
 * and prove every image pullable before the installer runs. No committed stack installs from upstream: Bitnami's
 * versioned RabbitMQ, which every install needs, left docker.io/bitnami (facts/gitpod/images-2022.11.3.json), so
 * development mirrors too, and k3s names a registry its operator fills (`npm run mirror -- --commands`).
 */
import * as YAML from "yaml";
import { parseStackConfig } from "../../config";
import { mirrorPlan, mirrorRepositoryPaths } from "../../components/gitpodImages/images";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { committedStacks, readStackFile } from "../../scripts/plan/stackFile";
import { stackMirrorRepository } from "../../scripts/mirror";
import { committedPlan, resourceNamed, resourcesOfType } from "../helpers";

const jobs = (plan: Plan, stack: string) => ({
  copy: plan.resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name === `${stack}-gitpod-images-copy`),
  preflight: resourceNamed(plan, "kubernetes:batch/v1:Job", `${stack}-gitpod-images-preflight`),
  installer: resourceNamed(plan, "kubernetes:batch/v1:Job", `${stack}-gitpod-installer-install`),
});
const data = (plan: Plan, namespace: string): Record<string, string> =>
  resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { namespace: string }).namespace === namespace)!.inputs.data as Record<string, string>;
const image = (job: PlannedResource) => (job.inputs.spec as any).template.spec.containers[0].image as string;

describe.each(committedStacks())("images of committed stack %s", (stack) => {
  let plan: Plan;
  let production: boolean;
  let mirrors: boolean;
  let repository: string;
  beforeAll(async () => {
    plan = await committedPlan(stack);
    const config = parseStackConfig(readStackFile(stack).values);
    production = config.environment === "production";
    mirrors = resourcesOfType(plan, "kubernetes:batch/v1:Job").some((r) => r.name === `${stack}-gitpod-images-copy`);
    repository = YAML.parse(data(plan, "gitpod-installer")["gitpod.config.yaml"]).repository;
    if (mirrors && config.cloud !== "aws") expect(repository).toBe(stackMirrorRepository(stack, config).repository);
    if (!mirrors) expect(repository).toBe(config.gitpod.imageRepository);
    if (mirrors && config.cloud === "aws") {
      // ECR Public (anonymous pulls): one repository per image path, created in us-east-1 before the copy pushes.
      expect(repository).toMatch(/^public\.ecr\.aws\/[a-z0-9]+\/gitpod$/);
      const repos = resourcesOfType(plan, "aws:ecrpublic/repository:Repository").map((r) => r.inputs.repositoryName).sort();
      expect(repos).toEqual(mirrorRepositoryPaths().map((p) => `gitpod/${p}`));
    }
  });

  it("installs from the stack's own mirror or a registry it names, never upstream; production always mirrors", () => {
    if (production) expect(mirrors).toBe(true);
    expect(repository).not.toMatch(/gcr\.io|docker\.io|quay\.io/);
    expect(image(jobs(plan, stack).installer)).toBe(`${repository}/installer:release-2022.11.3`);
  });

  it("pulls the workspace-node DaemonSet's image from the same place, after the copy", () => {
    const ds = resourcesOfType(plan, "kubernetes:apps/v1:DaemonSet").find((r) => (r.inputs.metadata as { name: string }).name === "gitpod-workspace-node")!;
    expect((ds.inputs.spec as any).template.spec.containers[0].image).toMatch(new RegExp(`^${repository.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`));
    const { copy } = jobs(plan, stack);
    if (copy) expect(ds.dependencies).toContain(copy.urn);
  });

  it("copies the mirror first (when it mirrors), then proves every image pullable, then installs", () => {
    const { copy, preflight, installer } = jobs(plan, stack);
    expect(installer.dependencies).toContain(preflight.urn);
    if (!mirrors) {
      expect(copy).toBeUndefined();
      return;
    }
    expect(preflight.dependencies).toContain(copy!.urn);
    const tsv = data(plan, "gitpod-mirror")["plan.tsv"].trim().split("\n").map((line) => line.split("\t"));
    expect(tsv.map((row) => row[0])).toEqual(mirrorPlan(repository).map((entry) => entry.target));
    // What the preflight checks from the mirror is what the copy must deliver.
    const required = new Set(tsv.filter((row) => row[3] === "required").map((row) => row[0]));
    const checked = data(plan, "gitpod-mirror")["images.txt"].trim().split("\n");
    for (const ref of checked.filter((r) => r.startsWith(`${repository}/`))) expect(required).toContain(ref);
    expect(checked.filter((r) => !r.startsWith(`${repository}/`)).every((r) => r === "b.gcr.io/cloudsql-docker/gce-proxy:1.11")).toBe(true);
  });

  it("checks with the registry login registry-facade has, and pushes with the platform's", () => {
    const secrets = resourcesOfType(plan, "kubernetes:core/v1:Secret").filter((s) => (s.inputs.metadata as { namespace: string }).namespace === "gitpod-mirror");
    for (const secret of secrets) {
      expect(secret.inputs.type).toBe("kubernetes.io/dockerconfigjson");
      expect(JSON.stringify(secret.inputs.stringData)).toMatch(/^("\[secret\]"|\{"\.dockerconfigjson":"\[secret\]"\})$/);
    }
    expect(secrets.some((s) => s.name.endsWith("-push"))).toBe(mirrors);
  });
});
