/**
 * The part of Gitpod's installer config v1 this program may write, transcribed as a JSON Schema from
 * install/installer/pkg/config/v1/config.go and validation.go at gitpod-io/gitpod tag 2022.11.3 (json tags, the
 * `required` validations, the enum checks). Every object is closed (additionalProperties: false) because the
 * installer parses the config strictly (`--strict-parse` defaults to true): an unknown or misspelt field fails it.
 */
const objectRef = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "name"],
  properties: { kind: { enum: ["secret"] }, name: { type: "string", minLength: 1 } },
};
const str = { type: "string", minLength: 1 };
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", additionalProperties: false, properties, required });
const resourceList = { type: "object", additionalProperties: { type: "string" } };
const duration = { type: "string", pattern: "^(\\d+(h|m|s))+$" };

export const installerConfigV1Schema = closed(
  {
    apiVersion: { const: "v1" },
    kind: { enum: ["IDE", "WebApp", "Meta", "Workspace", "Full"] },
    domain: { type: "string", pattern: "^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]+$" },
    metadata: closed({ region: str, shortname: { type: "string" } }, ["region"]),
    repository: { type: "string", pattern: "^[\\x21-\\x7e]+$" },
    observability: closed({ logLevel: { enum: ["trace", "debug", "info", "warning", "error", "fatal", "panic"] } }, ["logLevel"]),
    certificate: objectRef,
    database: closed({
      inCluster: { type: "boolean" },
      external: closed({ certificate: objectRef }, ["certificate"]),
      cloudSQL: closed({ serviceAccount: objectRef, instance: str }, ["instance", "serviceAccount"]),
      ssl: closed({ caCert: objectRef }),
    }),
    objectStorage: closed({
      inCluster: { type: "boolean" },
      s3: closed({ endpoint: str, credentials: objectRef, bucket: { type: "string" }, allowInsecureConnection: { type: "boolean" } }, ["endpoint", "credentials"]),
      cloudStorage: closed({ serviceAccount: objectRef, project: str }, ["serviceAccount", "project"]),
      azure: closed({ credentials: objectRef }, ["credentials"]),
      blobQuota: { type: "integer" },
      resources: closed({ requests: resourceList, limits: resourceList }, ["requests"]),
    }),
    containerRegistry: closed(
      {
        inCluster: { type: "boolean" },
        external: closed({ url: str, certificate: objectRef }, ["url", "certificate"]),
        s3storage: closed({ bucket: str, region: str, endpoint: str, certificate: objectRef }, ["bucket", "region", "endpoint", "certificate"]),
        privateBaseImageAllowList: { type: "array", items: { type: "string" } },
      },
      ["inCluster"],
    ),
    workspace: closed(
      {
        runtime: closed(
          {
            fsShiftMethod: { enum: ["fuse", "shiftfs"] },
            containerdRuntimeDir: { type: "string", pattern: "^/" },
            containerdSocket: { type: "string", pattern: "^/" },
          },
          ["fsShiftMethod", "containerdRuntimeDir", "containerdSocket"],
        ),
        resources: closed(
          {
            requests: resourceList,
            limits: closed({
              cpu: closed({ buckets: { type: "array" }, min: { type: "string" }, burst: { type: "string" } }),
              memory: { type: "string" },
              storage: { type: "string" },
              "ephemeral-storage": { type: "string" },
            }),
          },
          ["requests"],
        ),
        templates: { type: "object" },
        prebuildPVC: closed({ size: str, storageClass: { type: "string" }, snapshotClass: { type: "string" } }, ["size"]),
        pvc: closed({ size: str, storageClass: { type: "string" }, snapshotClass: { type: "string" } }, ["size"]),
        maxLifetime: duration,
        timeoutDefault: duration,
        timeoutExtended: duration,
        timeoutAfterClose: duration,
        workspaceImage: { type: "string" },
      },
      ["runtime", "resources"],
    ),
    openVSX: closed({ url: { type: "string", format: "uri" }, proxy: closed({ disablePVC: { type: "boolean" } }) }),
    authProviders: { type: "array", items: objectRef },
    blockNewUsers: closed({ enabled: { type: "boolean" }, passlist: { type: "array", items: { type: "string" } } }),
    license: objectRef,
    sshGatewayHostKey: objectRef,
    disableDefinitelyGp: { type: "boolean" },
    customCACert: objectRef,
    dropImageRepo: { type: "boolean" },
    imagePullSecrets: { type: "array", items: objectRef },
    httpProxy: objectRef,
    customization: {
      type: "array",
      items: closed(
        {
          apiVersion: str,
          kind: str,
          metadata: closed({ name: str, annotations: { type: "object", additionalProperties: { type: "string" } }, labels: { type: "object", additionalProperties: { type: "string" } } }),
          spec: closed({ env: { type: "array" } }),
        },
        ["apiVersion", "kind", "metadata"],
      ),
    },
    components: { type: "object" },
  },
  ["apiVersion", "kind", "domain", "repository", "database", "objectStorage", "containerRegistry", "certificate", "workspace"],
);
