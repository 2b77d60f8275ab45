import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { resourceName } from "./naming";

export interface ClusterSecretsKeyArgs {
  /** Project of the key ring and of the cluster whose service agent uses the key. */
  project: string;
  /** Region of the key ring: GKE requires the key in the cluster's location. */
  region: string;
  /** Protect the key: without it, every Kubernetes Secret of the cluster is unreadable. */
  protect: boolean;
  /** Name of the stack, for project-wide names. */
  stack: string;
}

/** How often Cloud KMS rotates the key (90 days); GKE re-encrypts Secrets with the new version as they are written. */
export const secretsKeyRotation = "7776000s";

/**
 * A Cloud KMS key for GKE's application-layer Secrets encryption: the Kubernetes Secrets (database, storage and
 * registry credentials, Velero's repository password) are encrypted with a key the project controls, on top of the
 * disk encryption GKE always does. Only GKE's service agent may use it.
 */
export class ClusterSecretsKey extends pulumi.ComponentResource {
  readonly key: gcp.kms.CryptoKey;
  /** The key's name, known once GKE may use it: a cluster given this waits for the grant. */
  readonly keyName: pulumi.Output<string>;

  constructor(name: string, args: ClusterSecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:ClusterSecretsKey", name, {}, opts);
    // Cloud KMS never deletes a key ring (destroy only forgets it), and creating an existing one fails: a suffix kept
    // in state gives a stack rebuilt after `pulumi destroy` a ring of its own.
    const suffix = new random.RandomId(`${name}-ring-suffix`, { byteLength: 3 }, { parent: this, protect: args.protect });
    const keyRing = new gcp.kms.KeyRing(
      `${name}-ring`,
      { name: pulumi.interpolate`${resourceName(args.stack, "keys")}-${suffix.hex}`, location: args.region },
      { parent: this, protect: args.protect },
    );
    this.key = new gcp.kms.CryptoKey(
      `${name}-key`,
      { name: "gke-secrets", keyRing: keyRing.id, purpose: "ENCRYPT_DECRYPT", rotationPeriod: secretsKeyRotation },
      { parent: this, protect: args.protect },
    );
    // Makes GKE's service agent exist before it is granted the key (on a fresh project it appears only later). The
    // member is spelled from the project number (GKE's documented agent name), not taken from the resource's email,
    // which the API returns only for services Google configured with a service identity.
    const gkeAgent = new gcp.projects.ServiceIdentity(
      `${name}-gke-agent`,
      { project: args.project, service: "container.googleapis.com" },
      { parent: this },
    );
    const project = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this });
    const member = pulumi
      .all([project.number, gkeAgent.id])
      .apply(([number]) => `serviceAccount:service-${number}@container-engine-robot.iam.gserviceaccount.com`);
    const grant = new gcp.kms.CryptoKeyIAMMember(
      `${name}-gke`,
      { cryptoKeyId: this.key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member },
      { parent: this },
    );
    this.keyName = pulumi.all([this.key.id, grant.id]).apply(([keyId]) => keyId);
    this.registerOutputs({ keyName: this.keyName });
  }
}
