/**
 * `npx tsx bench/browser-engines.ts [--mib N] [--save-mib N]`: upload and verified download of N MiB (default 48)
 * from a page in Chromium, Firefox ESR and WebKitGTK, and with --save-mib a verified download of that size saved
 * through saveBlob (1024 for the 1 GiB case). Prints one JSON line per engine; bench/README.md, "Per engine".
 * @module
 */
import { browserEngines } from "./lib/browser-engines";

function option(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} needs a positive whole number of MiB, got ${process.argv[index + 1]}`);
  return value;
}

for (const result of await browserEngines(option("--mib") ?? 48, option("--save-mib")))
  console.log(JSON.stringify(result));
