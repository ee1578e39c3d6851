/**
 * Turns a profile's {@link Refusal} into the answer a client receives.
 * @module
 */
import { errorResponse } from "../errors";
import type { Refusal } from "./profile";

function textResponse(
  status: number,
  text: string,
  contentType: string,
  headers?: Readonly<Record<string, string>>,
): Response {
  const bytes = new TextEncoder().encode(text);
  const response = new Response(bytes, { status, headers: { ...headers } });
  response.headers.set("Content-Type", contentType);
  response.headers.set("Content-Length", String(bytes.byteLength));
  return response;
}

/** The answer for a refusal: its status and headers, with a body in the refusal's form. */
export function refusalResponse(refusal: Refusal, extraHeaders?: Readonly<Record<string, string>>): Response {
  const headers = { ...extraHeaders, ...refusal.headers };
  const { body, status } = refusal;
  switch (body.form) {
    case "oci":
      return errorResponse(status, body.code, body.message, undefined, headers);
    case "details":
      return textResponse(status, JSON.stringify({ details: body.details }), "application/json", headers);
    case "text":
      return textResponse(status, `${body.text}\n`, "text/plain; charset=utf-8", headers);
    case "html":
      return textResponse(
        status,
        `<html>\r\n<head><title>${body.title}</title></head>\r\n<body>\r\n<center><h1>${body.title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
        "text/html",
        headers,
      );
    case "none":
      return new Response(null, { status, headers: { ...headers, "Content-Length": "0" } });
  }
}
