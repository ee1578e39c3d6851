/**
 * Reads an HTTP quoted-string (RFC 9110 §5.6.4) that starts at the quote at `start`: returns its text without the
 * quotes and escapes, and the index after the closing quote (the end of `text` when there is none).
 */
export function readQuotedString(text: string, start: number): [string, number] {
  let value = "";
  let position = start + 1;
  while (position < text.length && text[position] !== '"') {
    if (text[position] === "\\") position++;
    value += text[position] ?? "";
    position++;
  }
  return [value, position + 1];
}
