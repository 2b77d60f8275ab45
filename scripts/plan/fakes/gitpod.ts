import { CloudFakes } from "./types";
import { fakeSecretMarker } from "./random";

/**
 * Fake computed outputs for what the Gitpod component creates besides Kubernetes objects: the database encryption
 * key. Its value carries the generated-secret marker, so the tests can prove it never appears in plain text.
 */
export const gitpodFakes: CloudFakes = {
  outputs: {
    "random:index/randomBytes:RandomBytes": (_inputs, name) => ({ base64: `${fakeSecretMarker}-${name}`, hex: `${fakeSecretMarker}-${name}-hex` }),
  },
  calls: {},
};
