/**
 * Gitpod 2022.11.3's own render (facts/gitpod/render-2022.11.3.json, extracted from the installer's render goldens by
 * scripts/facts/gitpodRender.ts), with the goldens' namespace `default` replaced by the namespace this program installs
 * into, as `gitpod-installer render --namespace` would name them.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyRule } from "../../components/kubernetes/gitpod/rbac";
import { BindingObject, RoleObject } from "./rbacModel";

export type Shape = "gcp-setup" | "aws-setup" | "azure-setup" | "minimal";

interface ShapeFacts {
  what: string;
  source: { golden: string; goldenBlob: string; config: string; configBlob: string };
  /** The keys of the golden config's database, objectStorage and containerRegistry blocks. */
  configShape: Record<"database" | "objectStorage" | "containerRegistry", string[]>;
  objects: { apiVersion: string; kind: string; namespace?: string; name: string }[];
  roleRefs: { kind: string; namespace?: string; name: string; roleRef: { kind: string; name: string } }[];
  roles: { kind: string; namespace?: string; name: string; rules: PolicyRule[] }[];
  images: { kind: string; name: string; container: string; image: string }[];
  jobs: { name: string; ttlSecondsAfterFinished: number | null }[];
  services: { name: string; type: string; ports: { name: string | null; port: number; protocol: string }[] }[];
}

export interface RenderFacts {
  source: { repository: string; tag: string; commit: string; regenerate: string };
  renderNamespace: string;
  shapes: Record<Shape, ShapeFacts>;
}

export const renderFacts: RenderFacts = JSON.parse(fs.readFileSync(path.join(__dirname, "../../facts/gitpod/render-2022.11.3.json"), "utf8"));
const render = renderFacts;
export const shapes = Object.keys(render.shapes) as Shape[];

/** The stack's cloud each golden's config matches (its config.yaml): the installer config this program writes has that shape. */
export const shapeOfCloud: Record<"gcp" | "aws" | "azure" | "inCluster", Shape> = { gcp: "gcp-setup", aws: "aws-setup", azure: "azure-setup", inCluster: "minimal" };

const clusterScoped = new Set(["ClusterRole", "ClusterRoleBinding"]);

function rename(name: string, namespace: string): string {
  return name.startsWith(`${render.renderNamespace}-`) ? `${namespace}-${name.slice(render.renderNamespace.length + 1)}` : name;
}

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export function renderedObjects(shape: Shape, namespace: string): RenderedObject[] {
  return render.shapes[shape].objects.map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: clusterScoped.has(o.kind) ? "" : namespace,
    name: rename(o.name, namespace),
  }));
}

export function renderedRoles(shape: Shape, namespace: string): RoleObject[] {
  return render.shapes[shape].roles.map((r) => ({
    kind: r.kind as RoleObject["kind"],
    ...(r.kind === "Role" ? { namespace } : {}),
    name: rename(r.name, namespace),
    rules: r.rules,
  }));
}

export function renderedBindings(shape: Shape, namespace: string): BindingObject[] {
  return render.shapes[shape].roleRefs.map((b) => ({
    kind: b.kind as BindingObject["kind"],
    ...(b.kind === "RoleBinding" ? { namespace } : {}),
    name: rename(b.name, namespace),
    roleRef: { kind: b.roleRef.kind as "Role" | "ClusterRole", name: rename(b.roleRef.name, namespace) },
  }));
}
