/** Encodes a string as UTF-8 and then base64, as HTTP Basic authentication needs. */
export function encodeBase64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
