/** Entry point for the Pulumi CLI: the program's return value becomes the stack outputs. See program.ts. */
import { program } from "./program";

export = program();
