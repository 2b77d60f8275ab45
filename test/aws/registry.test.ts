import { ecrHost, ImageMirror } from "../../components/aws/registry";
import { onlyResource, resourcesOfType } from "../helpers";
import { json, planComponent } from "./fixtures";

describe("ECR image mirror", () => {
  it("creates one immutable, scanned, encrypted, protected repository per image under the prefix", async () => {
    const plan = await planComponent(() => {
      new ImageMirror("m", { repositoryPrefix: "gitpod", images: ["server", "ide/code"], accountId: "123456789012", region: "eu-west-1", protect: true });
    });
    const repositories = resourcesOfType(plan, "aws:ecr/repository:Repository");
    expect(repositories.map((r) => r.inputs.name).sort()).toEqual(["gitpod/ide/code", "gitpod/server"]);
    for (const repository of repositories) {
      expect(repository.inputs).toMatchObject({
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        forceDelete: false,
      });
      expect(repository.options.protect).toBe(true);
    }
    const lifecycle = json(resourcesOfType(plan, "aws:ecr/lifecyclePolicy:LifecyclePolicy")[0], "policy");
    expect(lifecycle.rules[0].selection).toMatchObject({ tagStatus: "untagged", countNumber: 14 });
  });

  it("names the installer's repository after the account's registry host", () => {
    expect(ecrHost("123456789012", "eu-west-1")).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  });

  it("is one repository only when one image is listed", async () => {
    const plan = await planComponent(() => {
      new ImageMirror("m", { repositoryPrefix: "mirror", images: ["proxy"], accountId: "123456789012", region: "eu-west-1", protect: false });
    });
    expect(onlyResource(plan, "aws:ecr/repository:Repository").options.protect).toBe(false);
  });
});
