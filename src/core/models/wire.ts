/**
 * The JSON shapes of ACR's `/acr/v1` API, field names exactly as on the wire.
 * @module
 */

/** `changeableAttributes` of repositories, manifests and tags. */
export interface WireChangeableAttributes {
  deleteEnabled?: boolean;
  writeEnabled?: boolean;
  listEnabled?: boolean;
  readEnabled?: boolean;
}

/** `GET /acr/v1/{name}`. */
export interface WireRepository {
  registry?: string;
  imageName?: string;
  createdTime?: string;
  lastUpdateTime?: string;
  manifestCount?: number;
  tagCount?: number;
  changeableAttributes?: WireChangeableAttributes;
}

/** A tag in `GET /acr/v1/{name}/_tags`. */
export interface WireTag {
  name?: string;
  digest?: string;
  createdTime?: string;
  lastUpdateTime?: string;
  changeableAttributes?: WireChangeableAttributes;
}

/** A manifest in `GET /acr/v1/{name}/_manifests`. */
export interface WireManifest {
  digest?: string;
  imageSize?: number;
  createdTime?: string;
  lastUpdateTime?: string;
  architecture?: string | null;
  os?: string | null;
  mediaType?: string;
  configMediaType?: string;
  references?: { digest?: string; architecture?: string; os?: string }[];
  tags?: string[];
  changeableAttributes?: WireChangeableAttributes;
}
