/**
 * Command line of the CORS proxy example:
 * `npx tsx examples/cors-proxy/main.ts --registry https://myregistry.azurecr.io --static ./public --port 8080`.
 * @module
 */
import { parseArgs } from "node:util";
import { createCorsProxy } from "./proxy";

const { values } = parseArgs({
  options: {
    registry: { type: "string" },
    static: { type: "string" },
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    "public-origin": { type: "string" },
    cors: { type: "boolean", default: false },
  },
});
if (!values.registry) {
  console.error(
    "usage: main.ts --registry https://<name>.azurecr.io [--static <dir>] [--port 8080] [--host 127.0.0.1] [--public-origin <url>] [--cors]",
  );
  process.exit(2);
}
const proxy = createCorsProxy({
  registry: values.registry,
  ...(values.static ? { staticDir: values.static } : {}),
  ...(values["public-origin"] ? { publicOrigin: values["public-origin"] } : {}),
  cors: values.cors,
});
const running = await proxy.listen({ port: Number(values.port), host: values.host });
console.log(`cors-proxy: ${running.url} → ${values.registry}${values.static ? ` (app: ${values.static})` : ""}`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void running.close().then(() => process.exit(0)));
