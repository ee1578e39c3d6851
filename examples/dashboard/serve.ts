/**
 * `npm run dashboard`: builds the dashboard and serves it with a seeded local emulator, or in front of a registry:
 * `npm run dashboard -- --registry https://myregistry.azurecr.io --port 8080`.
 * @module
 */
import { parseArgs } from "node:util";
import { startDashboard } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    registry: { type: "string" },
  },
});
const dashboard = await startDashboard({
  port: Number(values.port),
  host: values.host,
  ...(values.registry ? { registry: values.registry } : {}),
});
console.log(`acrkit dashboard: ${dashboard.url}`);
console.log(
  values.registry
    ? `  proxying ${values.registry} from the same origin`
    : `  seeded emulator: ${dashboard.registry} (CORS on)`,
);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void dashboard.close().then(() => process.exit(0)));
