import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, sanitiseHtml, textToSafeHtml } from './sanitise.js';

/** The tags of the output, with entities in attribute values decoded, as a browser would see them. */
function tagsOf(html: string): string[] {
  return (html.match(/<[^>]*>/g) ?? []).map((t) =>
    t
      .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(
        /&(colon|tab|newline);/gi,
        (_, n: string) => ({ colon: ':', tab: '\t', newline: '\n' })[n.toLowerCase()] ?? '',
      )
      .replace(/[\t\n\r]/g, ''),
  );
}

function assertSafe(out: string) {
  expect(out.toLowerCase()).not.toContain('<script');
  for (const tag of tagsOf(out)) {
    const lower = tag.toLowerCase();
    expect(lower).not.toMatch(
      /^<\/?(script|style|iframe|object|embed|form|input|button|svg|math|link|meta|base|frame|frameset)\b/,
    );
    expect(lower).not.toMatch(/[\s"'/]on[a-z]+\s*=/);
    expect(lower).not.toMatch(/\sstyle\s*=/);
    expect(lower).not.toContain('javascript:');
    expect(lower).not.toContain('vbscript:');
    expect(lower).not.toContain('data:');
    const src = /\ssrc\s*=\s*"([^"]*)"/.exec(lower);
    if (src) expect(src[1]).toMatch(/^cid:/);
    expect(lower).not.toMatch(/\s(srcset|background|poster|formaction|xlink:href|action)\s*=/);
  }
}

describe('sanitise examples', () => {
  it('keeps formatting and safe links, forcing rel and target', () => {
    expect(sanitiseHtml('<p><b>断网</b> <a href="https://kb.example.cn/a">见</a></p>')).toBe(
      '<p><b>断网</b> <a href="https://kb.example.cn/a" rel="noopener noreferrer nofollow" target="_blank">见</a></p>',
    );
  });
  it('drops scripts with their content, handlers, styles, iframes and forms', () => {
    const out = sanitiseHtml(
      '<div onclick="x()" style="background:url(http://t/p.gif)">hi<script>alert(1)</script><style>body{background:url(http://t)}</style><iframe src="http://e"></iframe><form action="http://e"><input name=a></form></div>',
    );
    expect(out).toBe('<div>hi</div>');
  });
  it('blocks remote images (tracking) and keeps cid: images', () => {
    expect(
      sanitiseHtml('<img src="https://track.example/p.gif?u=1" alt="logo">', {
        blockedImageText: '[图片已屏蔽]',
      }),
    ).toBe('<span class="dd-blocked-image">[图片已屏蔽] logo</span>');
    expect(sanitiseHtml('<img src="cid:part1.abc@mail">')).toBe('<img src="cid:part1.abc@mail" />');
    expect(sanitiseHtml('<a href="javascript:alert(1)">x</a>')).toBe(
      '<a rel="noopener noreferrer nofollow" target="_blank">x</a>',
    );
    expect(sanitiseHtml('<a href="jav&#x09;ascript:alert(1)">x</a>')).not.toContain('href');
  });
  it('turns plain text into escaped paragraphs with links', () => {
    expect(textToSafeHtml('第一行\n<b>第二行</b>\n\n见 https://x.cn/a?b=1&c=2')).toBe(
      '<p>第一行<br />&lt;b&gt;第二行&lt;/b&gt;</p><p>见 <a href="https://x.cn/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">https://x.cn/a?b=1&amp;c=2</a></p>',
    );
    expect(escapeHtml(`<"'&>`)).toBe('&lt;&quot;&#39;&amp;&gt;');
  });
});

const FRAGMENTS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://x/x.js>',
  '<scr<script>ipt>',
  '</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="http://t.example/p.gif">',
  '<img src=//t.example/p>',
  '<img srcset="http://t/1x.png 1x">',
  '<img src="data:image/png;base64,AAA">',
  '<img src="cid:a@b">',
  '<a href="javascript:alert(1)">',
  '<a href="JaVaScRiPt&colon;alert(1)">',
  '<a href="&#106;avascript:x">',
  '<a href=" javascript:x">',
  '<a href="vbscript:x">',
  '<a href="data:text/html,<script>">',
  '<a href="https://ok.example">',
  '<div style="background:url(http://t)">',
  '<p onmouseover="x">',
  '<svg onload=alert(1)>',
  '<math><mi xlink:href="javascript:x">',
  '<iframe src="http://e">',
  '<form action="http://e"><button formaction="javascript:x">',
  '<body background="http://t">',
  '<video poster="http://t">',
  '<object data="http://e">',
  '<embed src="http://e">',
  '<link rel=stylesheet href=http://t>',
  '<meta http-equiv="refresh" content="0;url=http://e">',
  '<base href="http://e">',
  '<style>@import "http://t";</style>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '"',
  "'",
  '>',
  '<',
  '=',
  ' ',
  'onerror=',
  'src=',
  '<b>',
  '</b>',
  '<table><tr><td>',
  '\u0000',
  '&lt;script&gt;',
  '断网',
  '<p',
  '<img',
  ' src="http://t/x"',
  ' onload="x"',
  ' href="javascript:x"',
];

describe('sanitise properties', () => {
  it('uses a checker that catches the raw dangerous fragments', () => {
    for (const raw of [
      '<script>x</script>',
      '<img src=x onerror=alert(1)>',
      '<img src="http://t/p.gif">',
      '<a href="&#106;avascript:x">',
      '<div style="x">',
    ])
      expect(() => assertSafe(raw)).toThrow();
  });

  it('never lets a script, handler, style, dangerous URL or remote src through', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 5 })), {
          maxLength: 25,
        }),
        (parts) => {
          assertSafe(sanitiseHtml(parts.join('')));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: sanitising twice changes nothing', () => {
    const nested = '<table><tr><td><img<table><tr><td>';
    expect(sanitiseHtml(sanitiseHtml(nested))).toBe(sanitiseHtml(nested));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 15 }), (parts) => {
        const once = sanitiseHtml(parts.join(''));
        expect(sanitiseHtml(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('plain text never produces a tag other than p, br and its own links', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string()), { maxLength: 10 }),
        (parts) => {
          const out = textToSafeHtml(parts.join(''));
          assertSafe(out);
          for (const tag of out.match(/<[^>]*>/g) ?? [])
            expect(tag).toMatch(
              /^<(\/?p|br \/|\/a|a href="https?:\/\/[^"]*" rel="noopener noreferrer nofollow" target="_blank")>$/,
            );
        },
      ),
    );
  });
});
