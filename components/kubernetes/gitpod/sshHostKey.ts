import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/**
 * The SSH gateway's host key, which VS Code Desktop and JetBrains Gateway need: Gitpod 2022.11 exposes port 22 on its
 * proxy and starts ws-proxy's SSH gateway only when the installer config names it (`sshGatewayHostKey`,
 * install/installer/pkg/components/proxy/service.go, ws-proxy/deployment.go). ws-proxy reads every file of the
 * Secret mounted at /mnt/host-key with golang.org/x/crypto/ssh ParsePrivateKey; GitpodSecrets stores it as
 * `ssh-gateway-host-key`/`host.key`, the names Gitpod's own KOTS manifest used (install/kots/manifests/gitpod-ssh-gateway-key.yaml).
 *
 * The key is generated once and kept in the Pulumi state, so re-installs, Job re-runs and restores (which re-create
 * the Secret from the state) present the same host key and clients' known_hosts stay valid. Ed25519: every SSH client
 * accepts it, whereas an RSA host key signs with ssh-rsa (SHA-1) unless the server supports rsa-sha2, which
 * OpenSSH >= 8.8 clients require and which was not checked for ws-proxy's 2022 crypto fork. Protected in production:
 * a new key makes every client warn about a changed host key.
 */
export function sshGatewayHostKey(name: string, protect: boolean, parent: pulumi.Resource): tls.PrivateKey {
  return new tls.PrivateKey(name, { algorithm: "ED25519" }, { parent, protect });
}
