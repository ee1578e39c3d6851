#!/usr/bin/env node
/**
 * The `docker-credential-acrkit` program.
 * @module
 */
import { credentialHelper } from "./credential-helper";
import { processIo } from "./io";

void credentialHelper(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
