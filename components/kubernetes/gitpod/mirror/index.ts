import * as crypto from "crypto";
import * as k8s from "../../../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { fixedNamespace } from "../../namespace";
import { MirrorEntry } from "../../../gitpodImages/images";
import { copyPlanTsv, copyScript, preflightList, preflightScript } from "./scripts";
import { PulledImage } from "./settings";

export { mirrorPlan, mirrorTarget, mirrorRepositoryPaths, releaseImages, upstreamRepository } from "../../../gitpodImages/images";
export { imageSourceOf, imagesGitpodPulls, imageFor, outsideRepository, defaultToolImage } from "./settings";

/** Namespace of the copy and preflight Jobs and of the registry credentials they use. */
export const mirrorNamespace = "gitpod-mirror";

export interface GitpodImagesArgs {
  /** The mirror's images, when this stack copies into the platform's registry; unset otherwise. */
  copyPlan?: pulumi.Output<MirrorEntry[]>;
  /** `.dockerconfigjson` the copy pushes with (secret); required with copyPlan. */
  pushCredentials?: pulumi.Output<string>;
  /** Every image Gitpod will pull and from where. */
  pulled: pulumi.Output<PulledImage[]>;
  /** `.dockerconfigjson` Gitpod's registry-facade pulls with (secret); unset where Gitpod pulls anonymously. */
  pullCredentials?: pulumi.Output<string>;
  /** The Jobs' image (regctl with a shell). */
  toolImage: string;
  copyTimeoutMinutes: number;
  /** Node labels the Jobs are scheduled by (the services pool). */
  nodeSelector: Record<string, string>;
}

/**
 * Gitpod's images before the installer runs: a Job that copies what the mirror lacks (when the stack mirrors), then a
 * preflight Job that proves every image the render will use can be pulled from where Gitpod will pull it. The
 * installer Job depends on `preflight`, so Gitpod is installed only when all its images are there.
 */
export class GitpodImages extends pulumi.ComponentResource {
  readonly copy?: k8s.batch.v1.Job;
  readonly preflight: k8s.batch.v1.Job;

  constructor(name: string, args: GitpodImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:GitpodImages", name, {}, opts);
    const child = { parent: this };
    const labels = { app: "gitpod", component: "gitpod-mirror", "app.kubernetes.io/managed-by": "pulumi" };
    const ns = fixedNamespace(`${name}-namespace`, mirrorNamespace, "restricted", child);
    const credentials = (part: string, dockerConfig: pulumi.Output<string>) =>
      new k8s.core.v1.Secret(
        `${name}-${part}`,
        { metadata: { namespace: ns.metadata.name, labels }, type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": pulumi.secret(dockerConfig) } },
        child,
      );

    const copyData = args.copyPlan?.apply(copyPlanTsv);
    const preflightData = args.pulled.apply(preflightList);
    const config = new k8s.core.v1.ConfigMap(
      `${name}-scripts`,
      {
        metadata: { namespace: ns.metadata.name, labels },
        data: {
          "preflight.sh": preflightScript(),
          "images.txt": preflightData,
          ...(copyData ? { "copy.sh": copyScript(), "plan.tsv": copyData } : {}),
        },
      },
      child,
    );

    const job = (part: string, script: string, input: pulumi.Output<string>, secret: k8s.core.v1.Secret | undefined, timeoutMinutes: number, dependsOn: pulumi.Resource[]) =>
      new k8s.batch.v1.Job(
        `${name}-${part}`,
        {
          metadata: { namespace: ns.metadata.name, labels, annotations: { "pulumi.com/replaceUnready": "true" } },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: timeoutMinutes * 60,
            template: {
              // A new list (or script) replaces the Job, which runs again.
              metadata: { labels, annotations: { "gitpod.io/mirror-input-sha256": input.apply((text) => sha256(text + script + args.toolImage)) } },
              spec: {
                restartPolicy: "Never",
                automountServiceAccountToken: false,
                nodeSelector: args.nodeSelector,
                securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                  {
                    name: part,
                    image: args.toolImage,
                    command: ["/bin/sh", `/mirror/${part === "copy" ? "copy.sh" : "preflight.sh"}`],
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                    terminationMessagePolicy: "FallbackToLogsOnError",
                    volumeMounts: [
                      { name: "scripts", mountPath: "/mirror", readOnly: true },
                      { name: "tmp", mountPath: "/tmp" },
                      ...(secret ? [{ name: "credentials", mountPath: "/credentials", readOnly: true }] : []),
                    ],
                  },
                ],
                volumes: [
                  { name: "scripts", configMap: { name: config.metadata.name } },
                  { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
                  ...(secret ? [{ name: "credentials", secret: { secretName: secret.metadata.name } }] : []),
                ],
              },
            },
          },
        },
        { ...child, dependsOn, deleteBeforeReplace: true, customTimeouts: { create: `${timeoutMinutes + 5}m`, update: `${timeoutMinutes + 5}m` } },
      );

    if (args.copyPlan && copyData) {
      if (!args.pushCredentials) throw new Error("GitpodImages: a copy plan needs push credentials");
      this.copy = job("copy", copyScript(), copyData, credentials("push", args.pushCredentials), args.copyTimeoutMinutes, [config]);
    }
    const pull = args.pullCredentials ? credentials("pull", args.pullCredentials) : undefined;
    this.preflight = job("preflight", preflightScript(), preflightData, pull, 15, [config, ...(this.copy ? [this.copy] : [])]);
    this.registerOutputs({ preflight: this.preflight.metadata.name });
  }
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}
