// A small well-formedness check for the SVG the CLI writes (no XML parser is
// a dependency): tags nest and close, attribute values are quoted, text and
// attributes use only the predefined entities and numeric references, one
// root element. Returns the elements in document order with their decoded
// text, so tests can ask what a picture says.

/** One element: its name, attributes (decoded) and its own decoded text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  text: string;
}

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const TOKEN = /<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!--([\s\S]*?)-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<|[^<]+/g;

/** Decodes character data; throws on a bare `&` or `<`. */
function decode(text: string, where: string): string {
  if (/&(?!(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);)/.test(text) || text.includes("<")) throw new Error(`malformed character data in ${where}: ${JSON.stringify(text.slice(0, 80))}`);
  return text.replace(ENTITY, (_, dec: string | undefined, hex: string | undefined, name: string | undefined) =>
    name ? NAMED[name]! : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
  );
}

/** Checks `doc` is well-formed XML and returns its elements; throws with the reason otherwise. */
export function parseXml(doc: string): XmlElement[] {
  const out: XmlElement[] = [];
  const open: XmlElement[] = [];
  let roots = 0;
  for (const m of doc.matchAll(TOKEN)) {
    const [token, comment, closing, name, attrText, selfClosing] = m;
    if (token === "<") throw new Error(`a '<' that starts no tag at offset ${m.index}`);
    if (comment !== undefined && comment.includes("--")) throw new Error(`'--' inside a comment at offset ${m.index}`);
    if (token.startsWith("<?") || token.startsWith("<!")) continue;
    if (name === undefined) {
      if (open.length) open[open.length - 1]!.text += decode(token, `<${open[open.length - 1]!.name}>`);
      else if (token.trim()) throw new Error(`text outside the root element: ${JSON.stringify(token.slice(0, 80))}`);
      continue;
    }
    if (closing) {
      const top = open.pop();
      if (top?.name !== name) throw new Error(`</${name}> closes <${top?.name ?? "nothing"}> at offset ${m.index}`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]! in attrs) throw new Error(`attribute ${a[1]} repeated on <${name}>`);
      attrs[a[1]!] = decode(a[2] ?? a[3]!, `an attribute of <${name}>`);
    }
    const element: XmlElement = { name: name!, attrs, text: "" };
    out.push(element);
    if (!open.length) roots++;
    if (!selfClosing) open.push(element);
  }
  if (open.length) throw new Error(`<${open[open.length - 1]!.name}> is never closed`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
  return out;
}
