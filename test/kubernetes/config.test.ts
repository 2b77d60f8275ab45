/** The Kubernetes layer's stack config: certificates and externalDns, with defaults and rejected inputs. */
import { parseStackConfig } from "../../config";
import { configProblems, configValues, minimalGcpConfig } from "../helpers";

const valid = minimalGcpConfig;


test("defaults: production issuer, two public resolvers, external-dns sync with no explicit owner", () => {
  const config = parseStackConfig(configValues(valid));
  expect(config.certificates).toEqual({
    acmeEmail: "ops@example.com",
    issuer: "letsencrypt-production",
    recursiveNameservers: ["8.8.8.8:53", "1.1.1.1:53"],
  });
  expect(config.externalDns).toEqual({ policy: "sync" });
});

test("accepts host:port, [IPv6]:port and DNS-over-HTTPS resolvers", () => {
  const config = parseStackConfig(
    configValues({
      ...valid,
      certificates: { acmeEmail: "ops@example.com", recursiveNameservers: ["9.9.9.9:53", "[2606:4700:4700::1111]:53", "https://1.1.1.1/dns-query"] },
      externalDns: { policy: "upsert-only", ownerId: "gitpod-eu-1" },
    }),
  );
  expect(config.certificates.recursiveNameservers).toHaveLength(3);
  expect(config.externalDns).toEqual({ policy: "upsert-only", ownerId: "gitpod-eu-1" });
});

test.each([
  [{ certificates: { acmeEmail: "ops@example.com", recursiveNameservers: ["8.8.8.8"] } }, "gitpod-platform:certificates.recursiveNameservers.0", "host:port"],
  [{ certificates: { acmeEmail: "ops@example.com", recursiveNameservers: ["http://1.1.1.1/dns-query"] } }, "gitpod-platform:certificates.recursiveNameservers.0", "https://"],
  [{ certificates: { acmeEmail: "ops@example.com", recursiveNameservers: [] } }, "gitpod-platform:certificates.recursiveNameservers", "at least one"],
  [{ certificates: { acmeEmail: "ops@example.com", issuer: "letsencrypt" } }, "gitpod-platform:certificates.issuer", "letsencrypt-production"],
  [{ certificates: { acmeEmail: "ops@example.com", nameservers: ["8.8.8.8:53"] } }, "gitpod-platform:certificates.nameservers", "unknown key"],
  [{ externalDns: { policy: "upsert" } }, "gitpod-platform:externalDns.policy", "sync"],
  [{ externalDns: { ownerId: "Gitpod_Prod" } }, "gitpod-platform:externalDns.ownerId", "lowercase"],
  [{ externalDns: { ownerID: "gitpod" } }, "gitpod-platform:externalDns.ownerID", "unknown key"],
])("rejects %j naming %s", (override, key, message) => {
  const problems = configProblems({ ...valid, ...override });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain(key);
  expect(problems[0]).toContain(message);
});
