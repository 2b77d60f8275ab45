/** `npm run mirror`: offline, every image of a stack with source, target, digest and flags; copy commands for an air gap. */
import { copyCommands, main, parseMirrorArgs, usage } from "../../scripts/mirror";
import { mirrorPlan } from "../../components/gitpodImages/images";

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

describe("npm run mirror", () => {
  it("--list prints every image of the production stack: source, target in its mirror, digest, moved flag", () => {
    const { code, out } = run(["--stack", "prod", "--list"]);
    expect(code).toBe(0);
    expect(out[0]).toBe("# Gitpod 2022.11.3 images (64), stack prod installs from this mirror (the copy Job fills it at `pulumi up`): europe-west1-docker.pkg.dev/example-gitpod-prod/gitpod-prod-images/mirror");
    // 62 of the release, the installer, and the workspace-node DaemonSet's BusyBox (extraImages.ts).
    expect(out).toHaveLength(66);
    expect(out.find((line) => line.includes("library/busybox:1.37.0"))).toMatch(/^public\.ecr\.aws\/docker\/library\/busybox:1\.37\.0 +europe-west1-docker\.pkg\.dev\/.*\/mirror\/docker\/library\/busybox:1\.37\.0 /);
    const rabbitmq = out.find((line) => line.includes("bitnami/rabbitmq"))!;
    expect(rabbitmq).toMatch(/^docker\.io\/bitnamilegacy\/rabbitmq:3\.11\.5-debian-11-r2 \| docker\.io\/bitnami\/rabbitmq:3\.11\.5-debian-11-r2 +europe-west1-docker\.pkg\.dev\/example-gitpod-prod\/gitpod-prod-images\/mirror\/bitnami\/rabbitmq:3\.11\.5-debian-11-r2 +unpinned +moved \(new location unverified\)$/);
    expect(out.find((line) => line.includes("/ide/code:nightly"))).toMatch(/moving tag, pinned to commit-a65f065d070fcf91a9491e806d9fff26d962e873/);
  });

  it("--commands prints one copy per image with every source as a fallback, for the registry named", () => {
    const { code, out } = run(["--stack", "aws-prod", "--commands", "--tool", "skopeo", "--repository", "harbor.example.com/gitpod"]);
    expect(code).toBe(0);
    const copies = out.filter((line) => line.startsWith("skopeo"));
    expect(copies).toHaveLength(64);
    expect(copies).toContain(
      'skopeo copy --all docker://docker.io/bitnamilegacy/minio:2022.4.29-debian-10-r0 docker://harbor.example.com/gitpod/bitnami/minio:2022.4.29-debian-10-r0 || skopeo copy --all docker://docker.io/bitnami/minio:2022.4.29-debian-10-r0 docker://harbor.example.com/gitpod/bitnami/minio:2022.4.29-debian-10-r0 || failed="$failed harbor.example.com/gitpod/bitnami/minio:2022.4.29-debian-10-r0"',
    );
    expect(copyCommands(mirrorPlan("r.example.com/g"), "crane")[3]).toMatch(/^crane copy \S+ r\.example\.com\/g\/\S+ \|\| failed=/);
  });

  it("refuses copy commands to a mirror not known offline (ECR Public's alias), asking for --repository", () => {
    const { code, err } = run(["--stack", "aws-prod", "--commands"]);
    expect(code).toBe(2);
    expect(err).toEqual([usage, expect.stringMatching(/^error: the stack's mirror is not known offline .*--repository$/)]);
  });

  it("answers --help with exit 0 and a bad argument with the usage and one line, exit 2", () => {
    expect(run(["--help"])).toMatchObject({ code: 0, out: [usage] });
    expect(usage).toMatch(/committed stacks: .*prod/);
    for (const argv of [["--stack", "prod"], ["--list"], ["--stack", "prod", "--list", "--commands"], ["--stack", "prod", "--list", "--frobnicate"], ["--stack", "prod", "--commands", "--tool", "docker"]]) {
      const result = run(argv);
      expect(result.code).toBe(2);
      expect(result.err).toHaveLength(2);
      expect(result.err[0]).toBe(usage);
    }
    expect(() => parseMirrorArgs(["--stack", "prod", "--list", "--repository", "https://x/"])).toThrow(/--repository/);
  });

  it("names the stack's config problem with exit 1", () => {
    const { code, err } = run(["--stack", "no-such-stack", "--list"]);
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/No stack file Pulumi\.no-such-stack\.yaml/);
  });
});
