// The demo's one page template; every interpolated value goes through escape().
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 1rem auto; padding: 0 1rem">
<header><strong>Portale dei servizi · demo</strong></header>
<main><h1>${escape(title)}</h1>${body}</main>
</body></html>`;
}
