/**
 * What the Gitpod source says about each image repository (or `repository:tag`, which wins) of 2022.11.3 (paths at tag 2022.11.3 of gitpod-io/gitpod,
 * under install/installer/), kept by images-regenerate.ts when it rebuilds images-2022.11.3.json.
 * `when`: the config under which the render holds the image (checked against the render goldens by test/mirror).
 * `redirectedByRepository`: whether the installer's `repository` setting moves the image to `<repository>/<path>`.
 */
type When =
  | "always"
  | "database.inCluster"
  | "database.notInCluster"
  | "database.cloudSQL"
  | "objectStorage.inCluster"
  | "objectStorage.azure"
  | "containerRegistry.inCluster"
  | "workspace.fsShiftMethod=shiftfs"
  | "outsideRender";

interface Annotation {
  origin: "gitpod" | "thirdParty";
  when: When;
  redirectedByRepository: boolean;
  evidence: string;
  /** The image has left its original location; `sources` lists where to copy it from, first that answers wins. */
  moved?: { sources: string[]; since: string; verified: boolean; evidence: string };
}

const gitpod = (evidence: string, when: When = "always"): Annotation => ({
  origin: "gitpod",
  when,
  redirectedByRepository: true,
  evidence: `${evidence}; ctx.ImageName(ctx.Config.Repository, ...) (pkg/common/render.go)`,
});
const thirdParty = (evidence: string, when: When = "always"): Annotation => ({
  origin: "thirdParty",
  when,
  redirectedByRepository: true,
  evidence: `${evidence}; common.ThirdPartyContainerRepo(cfg.Repository, ...) (pkg/common/common.go:730)`,
});
const bitnamiLegacy = (name: string): Annotation["moved"] => ({
  sources: [`docker.io/bitnamilegacy/${name}`],
  since: "2025-09-29",
  verified: false,
  evidence:
    "bitnami/containers#83267: versioned tags moved from docker.io/bitnami to docker.io/bitnamilegacy (brownouts from 2025-08-28, " +
    "complete 2025-09-29); that this exact tag exists there was not checked (offline)",
});
const dockerLibrary = (name: string): Annotation["moved"] => ({
  sources: [`docker.io/library/${name}`, `mirror.gcr.io/library/${name}`, `public.ecr.aws/docker/library/${name}`],
  since: "2025-04-01",
  verified: false,
  evidence:
    "not moved: Docker Hub allows 10 anonymous pulls an hour per IP since 2025-04-01 (docker/docs), so the copy falls back to " +
    "Google's (mirror.gcr.io) and AWS's (public.ecr.aws/docker/library) copies of the official images; tags there unverified",
});

export const annotations: Record<string, Annotation> = {
  "agent-smith": gitpod("pkg/components/agent-smith/daemonset.go"),
  blobserve: gitpod("pkg/components/blobserve/deployment.go"),
  "ca-updater": gitpod("pkg/common/common.go CAUpdater init container"),
  "content-service": gitpod("pkg/components/content-service/deployment.go"),
  dashboard: gitpod("pkg/components/dashboard/deployment.go"),
  "db-migrations": gitpod("pkg/components/database/migrations/job.go"),
  "docker-up": gitpod("pkg/components/registry-facade/configmap.go static layer (pulled by registry-facade)"),
  "ide-metrics": gitpod("pkg/components/ide-metrics/deployment.go"),
  "ide-proxy": gitpod("pkg/components/ide-proxy/deployment.go"),
  "ide-service": gitpod("pkg/components/ide-service/deployment.go"),
  "image-builder-mk3": gitpod("pkg/components/image-builder-mk3/deployment.go"),
  "image-builder-mk3/bob": gitpod("pkg/components/image-builder-mk3/configmap.go builder image"),
  "installation-telemetry": gitpod("pkg/components/gitpod/cronjob.go"),
  "openvsx-proxy": gitpod("pkg/components/openvsx-proxy/statefulset.go"),
  proxy: gitpod("pkg/components/proxy/deployment.go"),
  "public-api-server": gitpod("pkg/components/public-api-server/deployment.go"),
  "registry-facade": gitpod("pkg/components/registry-facade/daemonset.go"),
  "seccomp-profile-installer": gitpod("pkg/components/ws-daemon/daemonset.go init container"),
  server: gitpod("pkg/components/server/deployment.go"),
  "service-waiter": gitpod("pkg/common/common.go service-waiter init containers"),
  "shiftfs-module-loader": gitpod("pkg/components/ws-daemon/daemonset.go (fsShiftMethod shiftfs only)", "workspace.fsShiftMethod=shiftfs"),
  supervisor: gitpod("pkg/components/registry-facade/configmap.go static layer (pulled by registry-facade)"),
  workspacekit: gitpod("pkg/components/registry-facade/configmap.go static layer (pulled by registry-facade)"),
  "ws-daemon": gitpod("pkg/components/ws-daemon/daemonset.go"),
  "ws-manager": gitpod("pkg/components/ws-manager/deployment.go"),
  "ws-manager-bridge": gitpod("pkg/components/ws-manager-bridge/deployment.go"),
  "ws-proxy": gitpod("pkg/components/ws-proxy/deployment.go"),
  "ide/code": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/code-desktop": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/code-desktop-insiders": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/intellij": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/goland": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/pycharm": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/phpstorm": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/rubymine": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/webstorm": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/rider": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/clion": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  "ide/jb-backend-plugin": gitpod("pkg/components/ide-service/ide_config_configmap.go (pulled by registry-facade)"),
  installer: { ...gitpod("install/kots/manifests/gitpod-installer-job.yaml:42; this program's installer Job"), when: "outsideRender" },
  "bitnami/rabbitmq": {
    ...thirdParty("pkg/components/rabbitmq/helm.go rabbitmq.image.registry; chart rabbitmq 11.3.0"),
    moved: bitnamiLegacy("rabbitmq"),
  },
  "bitnami/mysql": { ...thirdParty("third_party/charts/mysql/values.yaml; pkg/components/mysql/helm.go mysql.image.registry", "database.inCluster"), moved: bitnamiLegacy("mysql") },
  "bitnami/bitnami-shell": {
    ...thirdParty("chart mysql 9.4.5 volumePermissions; pkg/components/mysql/helm.go mysql.volumePermissions.image.registry", "database.inCluster"),
    moved: bitnamiLegacy("bitnami-shell"),
  },
  "bitnami/minio": { ...thirdParty("pkg/components/minio/helm.go minio.image.registry; pkg/components/minio/azure/constants.go", "objectStorage.inCluster"), moved: bitnamiLegacy("minio") },
  "bitnami/minio:2022.4.29-debian-10-r0": {
    ...thirdParty("pkg/components/minio/azure/constants.go ImageTag \"Last tag with Azure gateway support\"; minio/azure/minio.go gateway", "objectStorage.azure"),
    moved: bitnamiLegacy("minio"),
  },
  "library/mysql": { ...thirdParty("pkg/components/database/init/constants.go dbSessionsImage (db-init Job)", "database.notInCluster"), moved: dockerLibrary("mysql") },
  "cloudsql-docker/gce-proxy": {
    origin: "thirdParty",
    when: "database.cloudSQL",
    redirectedByRepository: false,
    evidence:
      "pkg/components/database/cloudsql/constants.go ImageRepo = \"b.gcr.io/cloudsql-docker\"; deployment.go:73 ctx.ImageName(ImageRepo, ...): " +
      "hard-coded, `repository` does not redirect it (only dropImageRepo would)",
    moved: {
      sources: ["b.gcr.io/cloudsql-docker/gce-proxy", "gcr.io/cloudsql-docker/gce-proxy"],
      since: "2017",
      verified: false,
      evidence: "Google deprecated bring-your-own-bucket hosts such as b.gcr.io (Container Registry deprecation notices); the proxy's v1 docs use gcr.io/cloudsql-docker/gce-proxy; tag 1.11 there unverified",
    },
  },
  "library/registry": { ...thirdParty("pkg/components/docker-registry/helm.go; chart docker-registry 2.2.2", "containerRegistry.inCluster"), moved: dockerLibrary("registry") },
  "library/redis": { ...thirdParty("pkg/components/openvsx-proxy/statefulset.go:139 redis sidecar"), moved: dockerLibrary("redis") },
  "library/alpine": { ...thirdParty("pkg/components/proxy/constants.go init container"), moved: dockerLibrary("alpine") },
  "library/ubuntu": { ...thirdParty("pkg/components/ws-daemon/daemonset.go:36 disable-kube-health-monitor init container"), moved: dockerLibrary("ubuntu") },
  "brancz/kube-rbac-proxy": thirdParty("pkg/common/constants.go KubeRBACProxyRepo = \"quay.io\""),
  "gitpod/workspace-full": thirdParty("pkg/components/workspace/constants.go DefaultWorkspaceImage (server and image-builder config)"),
};

/** Images that are not in the release list but fill in for one that may be gone (none yet). */
export const fallbackImages: string[] = [];
