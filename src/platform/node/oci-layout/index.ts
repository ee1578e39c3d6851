/**
 * OCI image layout support of acrkit/node: push from and pull to a layout directory, interoperable with skopeo's `oci:`.
 * @module
 */
export { OciLayoutError } from "./oci-layout-error";
export { pushOciLayout, type OciLayoutOptions } from "./push-oci-layout";
export { pullToOciLayout } from "./pull-to-oci-layout";
