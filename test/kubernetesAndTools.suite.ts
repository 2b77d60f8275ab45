import { runSuite } from "./suite";

runSuite("kubernetes-and-tools");
