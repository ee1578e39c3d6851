/**
 * GET /v2/_catalog and GET /v2/<name>/tags/list, paged with n, last and a relative Link.
 * @module
 */
import { catalogAccess, repositoryAccess, type Context, type Endpoint } from "../context";
import { nameUnknown } from "../errors";
import { json } from "../http";
import { linkHeaders, pageQuery, takePage } from "../paging";
import { catalogHandler } from "./catalog";

function listTags(ctx: Context): Response {
  const name = ctx.params.name!;
  const repository = ctx.env.registry.repository(name);
  if (!repository) return nameUnknown(name);
  const query = pageQuery(ctx.url, ctx.env.options.defaultPageSize);
  const names = [...repository.tags.values()]
    .filter((tag) => tag.attributes.listEnabled)
    .map((tag) => tag.name)
    .sort();
  const page = takePage(names, (tag) => tag, query, `/v2/${name}/tags/list`, true);
  return json({ name, tags: page.items }, 200, linkHeaders(page));
}

/** The catalog and tag-list endpoints. */
export const v2CatalogTagEndpoints: Endpoint[] = [
  { pattern: /^\/v2\/_catalog$/, methods: { GET: { access: catalogAccess, handle: catalogHandler("/v2/_catalog") } } },
  {
    pattern: /^\/v2\/(?<name>.+)\/tags\/list$/,
    methods: { GET: { access: repositoryAccess("pull"), handle: listTags } },
  },
];
