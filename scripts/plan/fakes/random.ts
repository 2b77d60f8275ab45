import { CloudFakes } from "./types";

/**
 * Generated secrets get recognisable fake values offline, so tests can prove that none of them ever appears
 * in plain text in a plan.
 */
export const fakeSecretMarker = "offline-generated-secret";

export const randomFakes: CloudFakes = {
  outputs: {
    "random:index/randomPassword:RandomPassword": (_inputs, name) => ({ result: `${fakeSecretMarker}-${name}` }),
    "random:index/randomId:RandomId": (_inputs, name) => ({ hex: `0ff1${name.length.toString(16)}`, b64Std: `${fakeSecretMarker}-${name}` }),
  },
  calls: {},
};
