import { RegistryError, type RegistryErrorInit } from "./registry-error";

/**
 * The registry answered with a success status, but its complete body is not what the protocol says it must be: not
 * JSON, or a JSON document without a field the result needs (a manifest's `digest`, a tag's `name`).
 *
 * It is a {@link RegistryError}, with the status of that answer; `field` names what was missing or wrong, when one was.
 */
export class MalformedResponseError extends RegistryError {
  /** Always `"MalformedResponseError"`, the class name; for logs and checks where `instanceof` does not work. */
  override readonly name: string = "MalformedResponseError";

  /**
   * @param init - the answer's status, method and URL (without secrets), and the message
   * @param field - the missing or malformed field, e.g. `manifest.digest`
   */
  constructor(
    init: RegistryErrorInit,
    readonly field?: string,
  ) {
    super(init);
  }
}
