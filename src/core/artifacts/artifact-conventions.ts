/**
 * The conventions an OCI artifact follows (image-spec 1.1 and ORAS): the empty config, and file names in the
 * `org.opencontainers.image.title` annotation of each layer.
 * @module
 */
import type { OciDescriptor } from "../models/oci";

/** The annotation that carries a layer's file name, as ORAS and the OCI image spec name it. */
export const TITLE_ANNOTATION = "org.opencontainers.image.title";

/** The media type of the OCI empty descriptor: the config of an artifact that has none. */
export const EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";

/** The content of the empty blob, `{}`. */
export const EMPTY_CONTENT = "{}";

/** The OCI empty descriptor (image-spec 1.1 §"Guidance for an Empty Descriptor"): the blob `{}`. */
export const EMPTY_DESCRIPTOR: Readonly<OciDescriptor> = Object.freeze({
  mediaType: EMPTY_MEDIA_TYPE,
  digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
  size: 2,
});

/** The media type of a file whose caller named none and whose data carries none. */
export const DEFAULT_FILE_MEDIA_TYPE = "application/octet-stream";

/** The OCI image manifest type, which artifacts use (image-spec 1.1). */
export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
