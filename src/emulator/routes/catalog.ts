/**
 * The repository catalog, shared by GET /v2/_catalog and GET /acr/v1/_catalog.
 * @module
 */
import type { Context } from "../context";
import { json } from "../http";
import { linkHeaders, pageQuery, takePage } from "../paging";

/** A handler listing visible repositories (listEnabled) by name, paged with Links back to `path`. */
export function catalogHandler(path: string): (ctx: Context) => Response {
  return (ctx) => {
    const query = pageQuery(ctx.url, ctx.env.options.defaultPageSize);
    const visible = ctx.env.registry.repositories().filter((repository) => repository.attributes.listEnabled);
    const page = takePage(visible, (repository) => repository.name, query, path, true);
    return json({ repositories: page.items.map((repository) => repository.name) }, 200, linkHeaders(page));
  };
}
