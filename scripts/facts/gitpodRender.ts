/* eslint-disable @typescript-eslint/no-explicit-any -- the goldens are YAML documents of any shape */
/**
 * Regenerates facts/gitpod/render-2022.11.3.json from Gitpod's own render goldens: what `gitpod-installer render`
 * produces at the release tag for each config shape this project uses. Run by hand with a clone of gitpod-io/gitpod:
 *
 *   node -r sucrase/register/ts scripts/facts/gitpodRender.ts /path/to/gitpod.git [tag] > facts/gitpod/render-2022.11.3.json
 *
 * Nothing else in the repository reads outside its tree; the tests read the JSON this writes.
 */
import { execFileSync } from "child_process";
import * as YAML from "yaml";

/** The goldens whose config matches a shape a stack produces (see the `shapes` note in the output). */
export const renderShapes: Record<string, string> = {
  "gcp-setup": "GCP: cloudSQL, cloudStorage, external registry",
  "aws-setup": "AWS: external database, s3 object storage, in-cluster registry on s3storage",
  "azure-setup": "Azure: external database, azure object storage, external registry",
  minimal: "k3s test install: in-cluster database, object storage and registry",
};

const renderDir = "install/installer/cmd/testdata/render";

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: any;
}

/** The facts of one golden. Every list is sorted, so a regeneration diff shows only real changes. */
export function renderFacts(objects: K8sObject[]) {
  const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  const sorted = [...objects].sort((a, b) => key(a).localeCompare(key(b)));
  const podSpec = (o: K8sObject): any => (o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec);
  return {
    objects: sorted.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name })),
    roleRefs: sorted
      .filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")
      .map((o) => ({ kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name, roleRef: { kind: o.roleRef.kind, name: o.roleRef.name } })),
    roles: sorted
      .filter((o) => o.kind === "Role" || o.kind === "ClusterRole")
      .map((o) => ({ kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name, rules: o.rules ?? [] })),
    images: sorted
      .filter((o) => podSpec(o))
      .flatMap((o) =>
        [...(podSpec(o).initContainers ?? []), ...(podSpec(o).containers ?? [])].map((c: any) => ({ kind: o.kind, name: o.metadata.name, container: c.name, image: c.image })),
      ),
    jobs: sorted.filter((o) => o.kind === "Job").map((o) => ({ name: o.metadata.name, ttlSecondsAfterFinished: o.spec?.ttlSecondsAfterFinished ?? null })),
    services: sorted
      .filter((o) => o.kind === "Service")
      .map((o) => ({
        name: o.metadata.name,
        type: o.spec?.type ?? "ClusterIP",
        ports: (o.spec?.ports ?? []).map((p: any) => ({ name: p.name ?? null, port: p.port, protocol: p.protocol ?? "TCP" })),
      })),
  };
}

/** Which database, object storage and registry blocks the golden's config uses (keys, sorted): its shape. */
export function configShape(config: Record<string, any>): Record<string, string[]> {
  return Object.fromEntries(["database", "objectStorage", "containerRegistry"].map((block) => [block, Object.keys(config[block] ?? { inCluster: true }).sort()]));
}

function main(): void {
  const [gitDir, tag = "2022.11.3"] = process.argv.slice(2);
  if (!gitDir) throw new Error("usage: gitpodRender.ts <gitpod .git dir> [tag]");
  const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 }).trim();
  const commit = git("rev-parse", `${tag}^{commit}`);
  const shapes = Object.fromEntries(
    Object.entries(renderShapes).map(([shape, what]) => {
      const golden = `${renderDir}/${shape}/output.golden`;
      const config = `${renderDir}/${shape}/config.yaml`;
      const objects = YAML.parseAllDocuments(git("show", `${tag}:${golden}`))
        .map((doc) => doc.toJSON() as K8sObject | null)
        .filter((o): o is K8sObject => o !== null && typeof o === "object" && typeof o.kind === "string");
      const configYaml = YAML.parse(git("show", `${tag}:${config}`)) as Record<string, any>;
      return [
        shape,
        {
          what,
          source: { golden, goldenBlob: git("rev-parse", `${tag}:${golden}`), config, configBlob: git("rev-parse", `${tag}:${config}`) },
          configShape: configShape(configYaml),
          ...renderFacts(objects),
        },
      ];
    }),
  );
  const facts = {
    source: { repository: "https://github.com/gitpod-io/gitpod", tag, commit, regenerate: "node -r sucrase/register/ts scripts/facts/gitpodRender.ts <gitpod .git dir> [tag]" },
    note:
      "Rendered by Gitpod's own tests (install/installer/cmd/render_test.go) with namespace `renderNamespace` and versions.yaml's `test` tags: " +
      "names prefixed `<renderNamespace>-` carry the install namespace, and image tags are `:test`, not the release's (the release images are in images-2022.11.3.json).",
    renderNamespace: "default",
    shapes,
  };
  process.stdout.write(`${JSON.stringify(facts, null, 1)}\n`);
}

if (require.main === module) main();
