/**
 * The copy and preflight scripts, run by /bin/sh against a fake `regctl` that keeps a registry as files (one file per
 * reference holding its digest): the copy is idempotent and resumable, falls back to the next source, fills moving
 * tags from the release's pinned build, and fails with the list of what it could not copy; the preflight lists what
 * cannot be pulled.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mirrorPlan } from "../../components/gitpodImages/images";
import { copyPlanTsv, copyScript, preflightList, preflightScript } from "../../components/kubernetes/gitpod/mirror/scripts";
import { imagesGitpodPulls } from "../../components/kubernetes/gitpod/mirror/settings";

/**
 * The fake keeps each reference as a file at its own path under $FAKE_REGISTRY/refs, holding its digest, and uses
 * only shell built-ins where it can: the scripts call it once per image and source, and a fork per call was most of
 * this suite's time.
 */
const fakeRegctl = `#!/bin/sh
# regctl image digest REF | regctl manifest head REF | regctl image copy SRC DST, over files in $FAKE_REGISTRY/refs.
echo "$*" >> "$FAKE_REGISTRY/calls.log"
case "$1 $2" in
  "image digest"|"manifest head") f="$FAKE_REGISTRY/refs/$3"; [ -f "$f" ] && read -r digest < "$f" && echo "$digest" && exit 0; echo "not found: $3" >&2; exit 1 ;;
  "image copy") s="$FAKE_REGISTRY/refs/$3"; d="$FAKE_REGISTRY/refs/$4"; [ -f "$s" ] || exit 1; read -r digest < "$s"
    [ -d "\${d%/*}" ] || mkdir -p "\${d%/*}"; echo "$digest" > "$d" ;;
  *) exit 3 ;;
esac
`;

const mirror = "registry.example.com/gitpod";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
}

function setUp(): {
  dir: string;
  registry: string;
  put: (ref: string, digest: string) => void;
  get: (ref: string) => string | undefined;
  remove: (ref: string) => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-script-"));
  const registry = path.join(dir, "registry");
  fs.mkdirSync(registry);
  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(path.join(dir, "bin", "regctl"), fakeRegctl, { mode: 0o755 });
  const file = (ref: string) => path.join(registry, "refs", ref);
  return {
    dir,
    registry,
    put: (ref, digest) => {
      fs.mkdirSync(path.dirname(file(ref)), { recursive: true });
      fs.writeFileSync(file(ref), `${digest}\n`);
    },
    get: (ref) => (fs.existsSync(file(ref)) ? fs.readFileSync(file(ref), "utf8").trimEnd() : undefined),
    remove: (ref) => fs.rmSync(file(ref), { force: true }),
  };
}

function run(dir: string, registry: string, script: string, input: Record<string, string>): Run {
  for (const [name, text] of Object.entries(input)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(registry, "calls.log"), "");
  const result = spawnSync("/bin/sh", ["-c", script], {
    encoding: "utf8",
    env: {
      PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`,
      FAKE_REGISTRY: registry,
      MIRROR_HOME: path.join(dir, "home"),
      CREDENTIALS: path.join(dir, "credentials"),
      PLAN: path.join(dir, "plan.tsv"),
      LIST: path.join(dir, "images.txt"),
    },
  });
  const calls = fs.readFileSync(path.join(registry, "calls.log"), "utf8").split("\n").filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const plan = mirrorPlan(mirror);
const digestOf = (ref: string) => `sha256:${Buffer.from(ref).toString("hex").slice(0, 64).padEnd(64, "0")}`;

describe("the copy Job's script", () => {
  let env: ReturnType<typeof setUp>;
  beforeEach(() => {
    env = setUp();
    // Upstream as of today: Bitnami's versioned tags only at bitnamilegacy, ide/code:nightly a newer build.
    for (const entry of plan) for (const source of entry.sources) if (!source.startsWith("docker.io/bitnami/")) env.put(source, digestOf(source));
    env.put("eu.gcr.io/gitpod-core-dev/build/ide/code:nightly", digestOf("a 2026 build"));
  });
  afterEach(() => fs.rmSync(env.dir, { recursive: true, force: true }));

  it("copies every image once, from the first source that answers, then skips what is present", () => {
    const first = run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv(plan) });
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`gitpod-mirror: ${plan.length} images: ${plan.length} copied, 0 already present`);
    expect(first.stdout).toMatch(new RegExp(`\\[\\d+/${plan.length}\\] ${mirror}/bitnami/rabbitmq:3.11.5-debian-11-r2 copied from docker.io/bitnamilegacy/rabbitmq`));
    for (const entry of plan) expect(env.get(entry.target)).toBe(digestOf(entry.sources[0]));

    const second = run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv(plan) });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`${plan.length} images: 0 copied, ${plan.length} already present`);
    expect(second.calls.filter((call) => call.startsWith("image copy"))).toEqual([]);
  });

  it("holds the release's own IDE build under the moving tags, not today's nightly", () => {
    run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv(plan) });
    expect(env.get(`${mirror}/ide/code:nightly`)).toBe(digestOf("eu.gcr.io/gitpod-core-dev/build/ide/code:commit-a65f065d070fcf91a9491e806d9fff26d962e873"));
    expect(env.get(`${mirror}/ide/intellij:latest`)).toBe(digestOf("eu.gcr.io/gitpod-core-dev/build/ide/intellij:commit-adff3328ae5722956535c4164c2f5d0946a9664e"));
  });

  it("resumes: only what is missing, or differs from its source, is copied again", () => {
    run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv(plan) });
    const server = plan.find((entry) => entry.target.includes("/server:"))!;
    env.remove(server.target);
    const redis = plan.find((entry) => entry.target.includes("library/redis"))!;
    env.put(redis.target, digestOf("stale"));
    const again = run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv(plan) });
    expect(again.status).toBe(0);
    expect(again.calls.filter((call) => call.startsWith("image copy")).sort()).toEqual([`image copy ${redis.sources[0]} ${redis.target}`, `image copy ${server.sources[0]} ${server.target}`].sort());
  });

  it("keeps a pinned digest: a target with another digest is replaced, a source with another digest fails", () => {
    const entry = { ...plan.find((e) => e.target.includes("/proxy:"))!, digest: digestOf("pinned") };
    const failed = run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv([entry]) });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`gitpod-mirror FAILED: these images could not be copied into the mirror:\n  ${entry.target} (tried: ${entry.sources[0]})`);
    env.put(entry.sources[0], digestOf("pinned"));
    expect(run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv([entry]) }).status).toBe(0);
    expect(env.get(entry.target)).toBe(digestOf("pinned"));
  });

  it("fails listing every required image it could not copy and what to do; an image the stack does not use only warns", () => {
    const gone = plan.filter((entry) => entry.target.includes("bitnami/"));
    for (const entry of gone) for (const source of entry.sources) env.remove(source);
    const input = gone.map((entry) => ({ ...entry, required: !entry.target.includes("minio") }));
    const result = run(env.dir, env.registry, copyScript(), { "plan.tsv": copyPlanTsv(input) });
    expect(result.status).toBe(1);
    for (const entry of input.filter((e) => e.required)) expect(result.stderr).toContain(`  ${entry.target} (tried: ${entry.sources.join(" ")})`);
    expect(result.stderr).not.toContain("minio");
    expect(result.stdout).toMatch(/WARNING: not copied, not used by this stack's configuration:.*bitnami\/minio/);
    expect(result.stderr).toContain("npm run mirror -- --stack <stack> --commands");
  });
});

describe("the preflight Job's script", () => {
  it("passes when every image answers and lists each one that does not, with what to do", () => {
    const env = setUp();
    const images = imagesGitpodPulls(mirror, { database: "external", objectStorage: "external", containerRegistryInCluster: true, fsShiftMethod: "fuse" });
    for (const image of images) env.put(image.pullFrom, digestOf(image.pullFrom));
    const ok = run(env.dir, env.registry, preflightScript(), { "images.txt": preflightList(images) });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`gitpod-preflight: all ${images.length} images can be pulled`);
    const missing = images.filter((image) => image.pullFrom.includes("rabbitmq") || image.pullFrom.includes("supervisor"));
    for (const image of missing) env.remove(image.pullFrom);
    const failed = run(env.dir, env.registry, preflightScript(), { "images.txt": preflightList(images) });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`gitpod-preflight FAILED: Gitpod cannot pull these images from where it will pull them:\n${missing.map((image) => `  ${image.pullFrom}`).join("\n")}`);
    fs.rmSync(env.dir, { recursive: true, force: true });
  });
});
