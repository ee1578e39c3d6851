/**
 * GET /v2/_catalog and GET /v2/<name>/tags/list, paged with n, last and a relative Link.
 * @module
 */
import { catalogAccess, repositoryAccess, type Context, type Endpoint } from "../context";
import { nameUnknown } from "../errors";
import { json } from "../http";
import { linkHeaders, pageQuery, takePage } from "../paging";
import { refusalResponse } from "../profiles/refusal-response";
import { catalogHandler } from "./catalog";

function listTags(ctx: Context): Response {
  const name = ctx.params.name!;
  const repository = ctx.env.registry.repository(name);
  if (!repository) return nameUnknown(name);
  const { answers } = ctx.env.options.profile;
  const query = pageQuery(ctx.url, answers.tagsPageSize ?? ctx.env.options.defaultPageSize);
  if (answers.tagsMaxN && query.n > answers.tagsMaxN.limit) return refusalResponse(answers.tagsMaxN.refusal);
  const names = [...repository.tags.values()]
    .filter((tag) => tag.attributes.listEnabled)
    .map((tag) => tag.name)
    .sort();
  // ECR's Link is absolute (registry-quirks row 8); GAR adds fields of its own (row 28).
  const path = `${answers.absoluteLinks ? ctx.url.origin : ""}/v2/${name}/tags/list`;
  const page = takePage(names, (tag) => tag, query, path, true);
  const extra = answers.tagsExtraFields ? { child: [], manifest: {} } : {};
  return json({ name, tags: page.items, ...extra }, 200, linkHeaders(page));
}

const catalog = catalogHandler("/v2/_catalog");

/** `_catalog`, where the profile serves one. */
function ociCatalog(ctx: Context): Response {
  const refusal = ctx.env.options.profile.endpoints.catalog;
  return refusal ? refusalResponse(refusal) : catalog(ctx);
}

/** The catalog and tag-list endpoints. */
export const v2CatalogTagEndpoints: Endpoint[] = [
  { pattern: /^\/v2\/_catalog$/, methods: { GET: { access: catalogAccess, handle: ociCatalog } } },
  {
    pattern: /^\/v2\/(?<name>.+)\/tags\/list$/,
    methods: { GET: { access: repositoryAccess("pull"), handle: listTags } },
  },
];
