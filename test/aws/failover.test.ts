import { planStack } from "../../scripts/plan/run";
import { configValues } from "../helpers";

it("plans", async () => {
  const plan = await planStack("aws-prod", { configOverrides: configValues({ backup: { replicaRegion: "eu-central-1", lockDays: 30, lockMode: "governance", failover: true } }) });
  console.log(plan.resources.length);
});
