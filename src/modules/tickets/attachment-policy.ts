import { ALLOWED_CONTENT_TYPES } from './tickets.schema.js';

/**
 * What a ticket accepts as an attachment and how it is named and served. Pure: the upload route
 * and the mail intake stream the bytes to disk and then ask `judgeAttachment` with the size and
 * the first bytes. Content that a browser would run (HTML, SVG, scripts) is refused whatever it
 * calls itself; images must really be the image they claim, since they are shown inline.
 */

export interface AttachmentPolicy {
  readonly maxBytes: number;
  readonly types: readonly string[];
}

export const DEFAULT_ATTACHMENT_TYPES: readonly string[] = ALLOWED_CONTENT_TYPES;

/** Extensions refused whatever the declared type (a browser or OS may trust the name). */
const REFUSED_EXTENSIONS =
  /\.(exe|com|bat|cmd|msi|scr|pif|js|mjs|vbs|vbe|jse|wsf|wsh|ps1|sh|jar|html?|xhtml|xht|svgz?|hta|lnk|reg|dll|php|asp|aspx|jsp|xml|mht|mhtml)$/i;

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  eml: 'message/rfc822',
};

/** 20 MB, 512 KB: a size as the refusal message shows it. */
export function humanSize(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1).replace(/\.0$/, '')} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A file name safe to store and to put in a header: no path, no control characters, ≤ 200. */
export function safeFileName(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = Array.from(
    base
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?]/g, '')
      .replace(/^[.\s]+/, '')
      .trim(),
  );
  if (cleaned.length === 0) return 'attachment';
  if (cleaned.length <= 200) return cleaned.join('');
  const text = cleaned.join('');
  const dot = text.lastIndexOf('.');
  const ext = dot > 0 && text.length - dot <= 10 ? text.slice(dot) : '';
  return (
    Array.from(text.slice(0, text.length - ext.length))
      .slice(0, 200 - ext.length)
      .join('') + ext
  );
}

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** The type the first bytes show, when they show one; 'text/html' for markup a browser runs. */
export function sniffType(head: Uint8Array): string | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return 'application/x-ole-storage';
  const text = new TextDecoder('utf-8', { fatal: false })
    .decode(head.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(!doctype\s+html|html|head|body|script|iframe|svg|\?xml)\b/.test(text)) return 'text/html';
  if (/<svg[\s>]/.test(text) || /<script[\s>]/.test(text)) return 'text/html';
  return null;
}

export type AttachmentJudgement =
  | { readonly ok: true; readonly fileName: string; readonly contentType: string }
  | {
      readonly ok: false;
      readonly field: string;
      readonly key: string;
      readonly params: Record<string, string | number>;
    };

/** The type a zip- or OLE-based office file may declare (they sniff as zip / OLE). */
const ZIP_BASED = new Set([
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);
const OLE_BASED = new Set(['application/msword', 'application/vnd.ms-excel']);

/** Decides whether a received file may be kept, under which name and type. */
export function judgeAttachment(
  input: {
    readonly fileName: string | null | undefined;
    readonly declaredType: string | null | undefined;
    readonly sizeBytes: number;
    readonly head: Uint8Array;
  },
  policy: AttachmentPolicy,
  field = 'file',
): AttachmentJudgement {
  const refuse = (key: string, params: Record<string, string | number> = {}) =>
    ({ ok: false, field, key, params: { field, ...params } }) as const;
  if (input.sizeBytes <= 0) return refuse('tickets.attachments.empty');
  if (input.sizeBytes > policy.maxBytes)
    return refuse('tickets.attachments.tooLarge', { limit: humanSize(policy.maxBytes) });
  const fileName = safeFileName(input.fileName);
  if (REFUSED_EXTENSIONS.test(fileName)) return refuse('tickets.errors.attachmentName');
  const sniffed = sniffType(input.head);
  if (sniffed === 'text/html') return refuse('tickets.errors.attachmentType');
  const declared = (input.declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const ext = /\.([a-z0-9]{1,8})$/i.exec(fileName)?.[1]?.toLowerCase();
  let type = declared;
  if (type === '' || type === 'application/octet-stream')
    type = (ext ? BY_EXTENSION[ext] : undefined) ?? sniffed ?? 'application/octet-stream';
  if (!policy.types.includes(type)) return refuse('tickets.errors.attachmentType');
  // Shown inline in the ticket: an "image" must be that image, not something else renamed.
  if (type.startsWith('image/') && sniffed !== type) return refuse('tickets.errors.attachmentType');
  if (type === 'application/pdf' && sniffed !== 'application/pdf')
    return refuse('tickets.errors.attachmentType');
  // Bytes that show another type than the one declared: a renamed file, refused.
  if (sniffed !== null && sniffed !== type) {
    const compatible =
      (sniffed === 'application/zip' && ZIP_BASED.has(type)) ||
      (sniffed === 'application/x-ole-storage' && OLE_BASED.has(type)) ||
      type === 'message/rfc822';
    if (!compatible) return refuse('tickets.errors.attachmentType');
  }
  return { ok: true, fileName, contentType: type };
}

/** RFC 6266 Content-Disposition: always a download, the name in ASCII and in UTF-8. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
