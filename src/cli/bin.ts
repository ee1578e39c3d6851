#!/usr/bin/env node
/**
 * The `acrkit` program: runs {@link main} on the process's arguments and streams.
 * @module
 */
import { processIo } from "./io";
import { main } from "./main";

void main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
