import { AcrkitError } from "./acrkit-error";
/** Why an upload could not be finished after the registry lost its session. */
export type UploadInterruptedReason =
  /** The source is a one-shot stream: the bytes already sent cannot be read again to start over. */
  | "source-not-rereadable"
  /** The session was lost again when the upload's `maxResumes` were spent. */
  | "session-lost";

/**
 * An upload the registry forgot mid-way (its session answered 404, e.g. distribution 2.8 after a cut-off PATCH) and
 * that acrkit could not start over. Pass a Blob, a file source or bytes to let acrkit start over on its own, as often as
 * the upload's `maxResumes` allows.
 */
export class UploadInterruptedError extends AcrkitError {
  /** Always `"UploadInterruptedError"`, the class name; for logs and checks where `instanceof` does not work (e.g. across bundles). */
  override readonly name = "UploadInterruptedError";

  /**
   * @param reason - why the upload could not go on
   * @param repository - the repository being uploaded to
   * @param bytesConfirmed - how many bytes the registry had confirmed before it lost the session
   * @param options - the registry's answer that showed the session was gone, as `cause`
   */
  constructor(
    readonly reason: UploadInterruptedReason,
    readonly repository: string,
    readonly bytesConfirmed: number,
    options?: { cause?: unknown },
  ) {
    super(
      reason === "source-not-rereadable"
        ? `The registry lost the upload session to ${repository} after ${bytesConfirmed} bytes, and a one-shot stream cannot be read again to start over; upload from a Blob, a file source or bytes to let acrkit restart`
        : `The registry lost the upload session to ${repository} again, with no resumes left to start over (${bytesConfirmed} bytes confirmed)`,
      options,
    );
  }
}
