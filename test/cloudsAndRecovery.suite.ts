import { runSuite } from "./suite";

runSuite("clouds-and-recovery");
