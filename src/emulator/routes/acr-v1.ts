/**
 * ACR's metadata API under /acr/v1: catalog, repository, tags and manifests.
 *
 * Path segments starting with `_` are reserved, and no repository-name component can start with one,
 * so `/acr/v1/team/app/_tags` is always the tag list of `team/app`.
 * @module
 */
import { isDigest } from "../../core/grammar/digest";
import { manifestJson, repositoryJson, tagJson } from "../acr-json";
import { catalogAccess, repositoryAccess, type Context, type Endpoint } from "../context";
import { denied, errorResponse, manifestUnknown, nameUnknown, tagUnknown } from "../errors";
import { empty, json, parseJsonObject, readLimited } from "../http";
import { linkHeaders, pageQuery, takePage } from "../paging";
import { allowedBy, patchAttributes } from "../policy";
import type { ChangeableAttributes, ManifestRecord, RepositoryRecord, TagRecord } from "../state";
import { compareInstants } from "../time";
import { catalogHandler } from "./catalog";

const NAME = "(?<name>.+)";

/** Runs the handler on an existing repository, else answers NAME_UNKNOWN. */
function withRepository(handler: (ctx: Context, repository: RepositoryRecord) => Response | Promise<Response>) {
  return (ctx: Context) => {
    const repository = ctx.env.registry.repository(ctx.params.name!);
    return repository ? handler(ctx, repository) : nameUnknown(ctx.params.name!);
  };
}

/** Orders by `orderby` (timedesc, timeasc; anything else lexical by key) and reports whether the order is lexical. */
function ordered<T extends { lastUpdateTime: bigint }>(items: T[], keyOf: (item: T) => string, orderby: string) {
  if (orderby === "timedesc" || orderby === "timeasc") {
    const sign = orderby === "timedesc" ? -1 : 1;
    items.sort((a, b) => sign * compareInstants(a.lastUpdateTime, b.lastUpdateTime) || (keyOf(a) < keyOf(b) ? -1 : 1));
    return { items, lexical: false };
  }
  items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return { items, lexical: true };
}

/** Applies a PATCH body to an object's attributes; 400 on a non-boolean flag. */
async function patch(ctx: Context, target: { attributes: ChangeableAttributes }): Promise<Response | undefined> {
  const bytes = await readLimited(ctx.request, 64 * 1024);
  const body = bytes.byteLength === 0 ? {} : parseJsonObject(bytes);
  const next = body && patchAttributes(target.attributes, body);
  if (!next) return errorResponse(400, "INVALID_REQUEST", "changeableAttributes must be booleans");
  target.attributes = next;
  return undefined;
}

const getRepository = withRepository((ctx, repository) => json(repositoryJson(ctx.service, repository)));

const patchRepository = withRepository(async (ctx, repository) => {
  return (await patch(ctx, repository)) ?? json(repositoryJson(ctx.service, repository));
});

const deleteRepository = withRepository((ctx, repository) => {
  const everything = [repository, ...repository.manifests.values(), ...repository.tags.values()];
  if (!allowedBy("deleteEnabled", ...everything)) return denied();
  return json(ctx.env.registry.deleteRepository(repository.name), 202);
});

const listTags = withRepository((ctx, repository) => {
  const query = pageQuery(ctx.url, ctx.env.options.defaultPageSize);
  const digest = ctx.url.searchParams.get("digest");
  const visible = [...repository.tags.values()].filter(
    (tag) => tag.attributes.listEnabled && (!digest || tag.digest === digest),
  );
  const { items, lexical } = ordered(visible, (tag) => tag.name, query.orderby);
  const page = takePage(items, (tag) => tag.name, query, `/acr/v1/${repository.name}/_tags`, lexical);
  const body = { registry: ctx.service, imageName: repository.name, tags: page.items.map(tagJson) };
  return json(body, 200, linkHeaders(page));
});

/** Runs the handler on an existing tag, else answers TAG_UNKNOWN. */
function withTag(
  handler: (ctx: Context, repository: RepositoryRecord, tag: TagRecord) => Response | Promise<Response>,
) {
  return withRepository((ctx, repository) => {
    const tag = repository.tags.get(ctx.params.tag!);
    return tag ? handler(ctx, repository, tag) : tagUnknown(ctx.params.tag!);
  });
}

const tagResponse = (ctx: Context, repository: RepositoryRecord, tag: TagRecord) =>
  json({ registry: ctx.service, imageName: repository.name, tag: tagJson(tag) });

const getTag = withTag(tagResponse);

const patchTag = withTag(async (ctx, repository, tag) => (await patch(ctx, tag)) ?? tagResponse(ctx, repository, tag));

const deleteTag = withTag((ctx, repository, tag) => {
  if (!allowedBy("deleteEnabled", repository, tag)) return denied();
  ctx.env.registry.deleteTag(repository, tag.name);
  return empty(202);
});

const listManifests = withRepository((ctx, repository) => {
  const query = pageQuery(ctx.url, ctx.env.options.defaultPageSize);
  const visible = [...repository.manifests.values()].filter((record) => record.attributes.listEnabled);
  const { items, lexical } = ordered(visible, (record) => record.digest, query.orderby);
  const page = takePage(items, (record) => record.digest, query, `/acr/v1/${repository.name}/_manifests`, lexical);
  const manifests = page.items.map((record) =>
    manifestJson(record, ctx.env.registry.tagsOf(repository, record.digest)),
  );
  return json({ registry: ctx.service, imageName: repository.name, manifests }, 200, linkHeaders(page));
});

/** Runs the handler on a manifest named by digest; tags are not accepted here, as in ACR. */
function withManifest(
  handler: (ctx: Context, repository: RepositoryRecord, record: ManifestRecord) => Response | Promise<Response>,
) {
  return withRepository((ctx, repository) => {
    const reference = ctx.params.reference!;
    const record = isDigest(reference) ? repository.manifests.get(reference) : undefined;
    return record ? handler(ctx, repository, record) : manifestUnknown(reference, !isDigest(reference));
  });
}

const manifestResponse = (ctx: Context, repository: RepositoryRecord, record: ManifestRecord) =>
  json({
    registry: ctx.service,
    imageName: repository.name,
    manifest: manifestJson(record, ctx.env.registry.tagsOf(repository, record.digest)),
  });

const getManifest = withManifest(manifestResponse);

const patchManifest = withManifest(
  async (ctx, repository, record) => (await patch(ctx, record)) ?? manifestResponse(ctx, repository, record),
);

const read = repositoryAccess("metadata_read");
const write = repositoryAccess("metadata_write");
const remove = repositoryAccess("delete");

/** The /acr/v1 endpoints, most specific first. */
export const acrV1Endpoints: Endpoint[] = [
  {
    pattern: /^\/acr\/v1\/_catalog$/,
    methods: { GET: { access: catalogAccess, handle: catalogHandler("/acr/v1/_catalog") } },
  },
  {
    pattern: new RegExp(`^/acr/v1/${NAME}/_tags/(?<tag>[^/]+)$`),
    methods: {
      GET: { access: read, handle: getTag },
      PATCH: { access: write, handle: patchTag },
      DELETE: { access: remove, handle: deleteTag },
    },
  },
  { pattern: new RegExp(`^/acr/v1/${NAME}/_tags$`), methods: { GET: { access: read, handle: listTags } } },
  {
    pattern: new RegExp(`^/acr/v1/${NAME}/_manifests/(?<reference>[^/]+)$`),
    methods: { GET: { access: read, handle: getManifest }, PATCH: { access: write, handle: patchManifest } },
  },
  { pattern: new RegExp(`^/acr/v1/${NAME}/_manifests$`), methods: { GET: { access: read, handle: listManifests } } },
  {
    pattern: new RegExp(`^/acr/v1/${NAME}$`),
    methods: {
      GET: { access: read, handle: getRepository },
      PATCH: { access: write, handle: patchRepository },
      DELETE: { access: remove, handle: deleteRepository },
    },
  },
];
