import sanitizeHtml from 'sanitize-html';

/**
 * Rendering user and email HTML safely: nothing runs, nothing loads. Basic formatting, tables and
 * links survive; links open in a new tab with rel="noopener noreferrer nofollow". Scripts, styles,
 * event handlers, iframes, forms and `style` attributes are dropped. Remote images would tell the
 * sender when and where the mail was read (tracking pixels), so they become a placeholder text
 * (the address is not kept); inline `cid:` images stay as references the presenter rewrites to the
 * attachment's URL.
 */

export interface SanitiseOptions {
  /** Text shown in place of a blocked remote image (translated by the caller). */
  readonly blockedImageText?: string;
}

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'div',
  'span',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'strike',
  'sub',
  'sup',
  'small',
  'big',
  'font',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'colgroup',
  'col',
];

function options(opts: SanitiseOptions): sanitizeHtml.IOptions {
  const placeholder = opts.blockedImageText ?? '[image blocked]';
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align'],
      span: ['class'],
      '*': ['dir', 'lang'],
    },
    allowedClasses: { span: ['dd-blocked-image'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Content of these is never text a reader should see.
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'option',
      'noscript',
      'title',
      'head',
      'iframe',
      'object',
      'embed',
      'svg',
      'math',
      'template',
      'xml',
    ],
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
      }),
      img: (tagName, attribs) => {
        if (/^cid:/i.test((attribs.src ?? '').trim())) return { tagName, attribs };
        return {
          tagName: 'span',
          attribs: { class: 'dd-blocked-image' },
          text: attribs.alt ? `${placeholder} ${attribs.alt}` : placeholder,
        };
      },
    },
  };
}

/** Sanitises user or email HTML for display. */
export function sanitiseHtml(html: string, opts: SanitiseOptions = {}): string {
  // Badly nested markup (a <tr> inside a <td>) is re-nested by the parser on every pass; run to
  // a fixed point so what is stored is exactly what a later pass would render.
  const o = options(opts);
  let out = sanitizeHtml(html, o);
  for (let pass = 0; pass < 4; pass++) {
    const again = sanitizeHtml(out, o);
    if (again === out) break;
    out = again;
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Plain text (a phone ticket's description, a text/plain mail) to safe HTML: escaped, paragraphs
 * on blank lines, line breaks kept, http(s) addresses made into links.
 */
export function textToSafeHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const linked = escapeHtml(p).replace(
        /\bhttps?:\/\/[^\s<>"']+/g,
        (url) => `<a href="${url}" rel="noopener noreferrer nofollow" target="_blank">${url}</a>`,
      );
      return `<p>${linked.replace(/\n/g, '<br />')}</p>`;
    })
    .join('');
}
