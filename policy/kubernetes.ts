/**
 * What the program deploys into Kubernetes: pinned charts from HTTPS repositories, no floating image tags.
 */
import { asArray, describe, get, helmTypes, isRecord, ResourceRule, show } from "./lib";

/** An exact SemVer 2 version (optionally with a leading v): no ranges, wildcards or empty values. */
const exactVersion = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** A chart from a local directory or archive, versioned with the repository itself. */
function isLocalChart(props: Record<string, unknown>): boolean {
  const chart = String(props.chart ?? props.path ?? "");
  return /^(\.{1,2}\/|\/)/.test(chart) && props.repositoryOpts === undefined;
}

export const helmChartVersionPinned: ResourceRule = {
  kind: "resource",
  name: "helm-chart-version-pinned",
  family: "kubernetes",
  level: "mandatory",
  description: "Every Helm chart (helm.sh/v4 Chart, v3 Chart and Release) names an exact chart version, so a preview today and an update tomorrow install the same chart.",
  types: helmTypes,
  check(r) {
    if (isLocalChart(r.props)) return [];
    const version = r.props.version;
    return typeof version === "string" && exactVersion.test(version)
      ? []
      : [`${describe(r)}: version is ${show(version)}; pin the exact chart version (e.g. 1.2.3), no range or latest`];
  },
};

export const helmRepositoryHttps: ResourceRule = {
  kind: "resource",
  name: "helm-repository-https",
  family: "kubernetes",
  level: "mandatory",
  description: "Helm charts come over HTTPS or from an OCI registry (repositoryOpts.repo, chart URLs), never plain HTTP.",
  types: helmTypes,
  check(r) {
    const repo = get(r.props, ["repositoryOpts", "repo"]);
    const out: string[] = [];
    if (typeof repo === "string" && !/^(https|oci):\/\//.test(repo)) out.push(`${describe(r)}: repositoryOpts.repo is ${show(repo)}; use an https:// or oci:// repository`);
    if (typeof r.props.chart === "string" && r.props.chart.startsWith("http://")) out.push(`${describe(r)}: chart is ${show(r.props.chart)}; use https://`);
    return out;
  },
};

/** Why an image reference floats, or undefined if it is pinned (a tag other than latest, or a digest). */
export function floatingImage(image: string): string | undefined {
  if (image.includes("@sha256:")) return undefined;
  const lastSegment = image.split("/").pop() ?? "";
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return "has no tag (means latest)";
  const tag = lastSegment.slice(colon + 1);
  return tag === "latest" || tag === "" ? `has tag ${show(tag)}` : undefined;
}

/** Workload kinds and where their pod spec sits. */
const podSpecPaths: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/**
 * Reads a property; a value CrossGuard cannot know during preview (it throws UnknownValueError) reads as undefined,
 * so a walk over chart values is not cut short by one computed annotation.
 */
function read(value: Record<string, unknown> | unknown[], key: string | number): unknown {
  try {
    return (value as Record<string | number, unknown>)[key];
  } catch (e) {
    if (e instanceof Error && e.constructor.name === "UnknownValueError") return undefined;
    throw e;
  }
}

/** Every `image` in chart values: strings, and `{repository, tag, digest}` objects whose tag is set. */
export function valuesImages(values: unknown, path = "values"): { path: string; problem: string }[] {
  const found: { path: string; problem: string }[] = [];
  const visit = (value: unknown, at: string) => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(read(value, i), `${at}[${i}]`);
      return;
    }
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      const child = read(value, key);
      const childPath = `${at}.${key}`;
      if (key === "image" && typeof child === "string") {
        const problem = floatingImage(child);
        if (problem) found.push({ path: childPath, problem: `${show(child)} ${problem}` });
      } else if (key === "image" && isRecord(child) && read(child, "digest") === undefined) {
        const tag = read(child, "tag");
        // No tag: the chart's own appVersion, pinned by the chart version.
        if (tag === "latest") found.push({ path: `${childPath}.tag`, problem: `is "latest"` });
        else visit(child, childPath);
      } else {
        visit(child, childPath);
      }
    }
  };
  visit(values, path);
  return found;
}

export const noLatestImageTags: ResourceRule = {
  kind: "resource",
  name: "no-latest-image-tags",
  family: "kubernetes",
  level: "mandatory",
  description: "Every container image the program names (workload pod specs, chart values) has a fixed tag or digest: no latest, no missing tag.",
  types: [...Object.keys(podSpecPaths), ...helmTypes],
  check(r) {
    if (helmTypes.includes(r.type)) {
      return valuesImages(r.props.values).map(({ path, problem }) => `${describe(r)}: ${path} ${problem}; pin a version tag or digest`);
    }
    const specPath = podSpecPaths[r.type];
    const spec = get(r.props, specPath);
    const out: string[] = [];
    for (const list of ["initContainers", "containers", "ephemeralContainers"]) {
      asArray(get(spec, [list])).forEach((container, i) => {
        const image = get(container, ["image"]);
        const problem = typeof image === "string" ? floatingImage(image) : "is unset";
        if (problem) out.push(`${describe(r)}: ${specPath.join(".")}.${list}[${i}].image ${show(image)} ${problem}; pin a version tag or digest`);
      });
    }
    return out;
  },
};

export const kubernetesRules = [helmChartVersionPinned, helmRepositoryHttps, noLatestImageTags];
