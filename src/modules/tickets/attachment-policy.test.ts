import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ATTACHMENT_TYPES,
  contentDisposition,
  judgeAttachment,
  safeFileName,
  sniffType,
} from './attachment-policy.js';

const policy = { maxBytes: 1000, types: DEFAULT_ATTACHMENT_TYPES };
const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF_HEAD = new TextEncoder().encode('%PDF-1.7\n');
const text = (s: string) => new TextEncoder().encode(s);

describe('attachment file names', () => {
  it('never keep a path, control or header-breaking characters, and stay within 200 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (name) => {
        const safe = safeFileName(name);
        expect(safe.length).toBeGreaterThan(0);
        expect(Array.from(safe).length).toBeLessThanOrEqual(200);
        // eslint-disable-next-line no-control-regex
        expect(safe).not.toMatch(/[\\/"\u0000-\u001f\u007f]/);
        expect(safeFileName(safe)).toBe(safe);
      }),
    );
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\报修单.pdf')).toBe('报修单.pdf');
    expect(safeFileName(`${'长'.repeat(300)}.xlsx`)).toMatch(/^长{195}\.xlsx$/);
  });

  it('are always offered as a download, the name surviving in UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), (raw) => {
        const name = safeFileName(raw);
        const header = contentDisposition(name);
        expect(header.startsWith('attachment; filename="')).toBe(true);
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        const star = /filename\*=UTF-8''(.*)$/.exec(header)![1]!;
        expect(decodeURIComponent(star)).toBe(name);
      }),
    );
  });
});

describe('judging an attachment', () => {
  it('refuses anything over the size limit, naming the field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1001, max: 10 ** 9 }), (size) => {
        expect(
          judgeAttachment(
            { fileName: 'a.png', declaredType: 'image/png', sizeBytes: size, head: PNG_HEAD },
            policy,
          ),
        ).toMatchObject({ ok: false, field: 'file', key: 'tickets.attachments.tooLarge' });
      }),
    );
  });

  it('refuses markup a browser would run, whatever it calls itself', () => {
    const markup = fc.constantFrom(
      '<!DOCTYPE html><p>x',
      '<html><script>alert(1)</script>',
      '  <svg xmlns="http://www.w3.org/2000/svg" onload="x()">',
      '<?xml version="1.0"?><svg/>',
      'hello <script>evil()</script>',
    );
    const declared = fc.constantFrom(
      'text/plain',
      'image/png',
      'application/pdf',
      'application/octet-stream',
      '',
      'text/csv',
    );
    fc.assert(
      fc.property(markup, declared, fc.constantFrom('a.txt', 'b.csv', 'c', 'd.png'), (m, d, n) => {
        expect(
          judgeAttachment({ fileName: n, declaredType: d, sizeBytes: 10, head: text(m) }, policy)
            .ok,
        ).toBe(false);
      }),
    );
  });

  it('keeps an image only when the bytes are that image', () => {
    const png = { fileName: 'shot.png', declaredType: 'image/png', sizeBytes: 12, head: PNG_HEAD };
    expect(judgeAttachment(png, policy)).toEqual({
      ok: true,
      fileName: 'shot.png',
      contentType: 'image/png',
    });
    expect(judgeAttachment({ ...png, declaredType: 'image/jpeg' }, policy).ok).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        fc.pre(sniffType(bytes) !== 'image/png');
        expect(judgeAttachment({ ...png, head: bytes }, policy).ok).toBe(false);
      }),
    );
  });

  it('names the type from the extension or the bytes when the sender did not', () => {
    expect(
      judgeAttachment(
        {
          fileName: 'report.pdf',
          declaredType: 'application/octet-stream',
          sizeBytes: 9,
          head: PDF_HEAD,
        },
        policy,
      ),
    ).toMatchObject({ ok: true, contentType: 'application/pdf' });
    expect(
      judgeAttachment(
        { fileName: 'syslog.log', declaredType: '', sizeBytes: 5, head: text('boot\n') },
        policy,
      ),
    ).toMatchObject({ ok: true, contentType: 'text/plain' });
    expect(
      judgeAttachment(
        { fileName: 'a.pdf', declaredType: 'application/pdf', sizeBytes: 5, head: PNG_HEAD },
        policy,
      ).ok,
    ).toBe(false);
  });

  it('refuses dangerous names and types outside the configured list', () => {
    for (const fileName of ['setup.exe', 'invoice.pdf.js', 'page.HTML', 'logo.svg'])
      expect(
        judgeAttachment(
          { fileName, declaredType: 'text/plain', sizeBytes: 3, head: text('abc') },
          policy,
        ),
      ).toMatchObject({ ok: false, key: 'tickets.errors.attachmentName' });
    const onlyImages = { maxBytes: 1000, types: ['image/png'] };
    expect(
      judgeAttachment(
        { fileName: 'a.txt', declaredType: 'text/plain', sizeBytes: 3, head: text('abc') },
        onlyImages,
      ),
    ).toMatchObject({ ok: false, key: 'tickets.errors.attachmentType' });
    expect(
      judgeAttachment(
        { fileName: 'e', declaredType: 'text/plain', sizeBytes: 0, head: text('') },
        policy,
      ),
    ).toMatchObject({ ok: false, key: 'tickets.attachments.empty' });
  });
});
