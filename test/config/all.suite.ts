import { runTestFilesIn } from "../suite";

runTestFilesIn(__dirname);
