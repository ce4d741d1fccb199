import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newPartOfReply } from './mail-reply-text.js';

describe('the new part of a mail reply', () => {
  it('drops the quoted history below the answer', () => {
    expect(newPartOfReply('Still broken.\n\nOn Mon, 23 Nov 2026 Dutydesk wrote:\n> Hello')).toBe(
      'Still broken.',
    );
    expect(newPartOfReply('路由器指示灯全红。\r\n\r\n在 2026年11月21日 写道：\r\n> 您好')).toBe(
      '路由器指示灯全红。',
    );
    expect(newPartOfReply('ok\n-----Original Message-----\nFrom: desk\nSubject: x')).toBe('ok');
    expect(newPartOfReply('fine thanks\n> quoted\n> more')).toBe('fine thanks');
  });

  it('keeps the whole text when nothing new would be left', () => {
    expect(newPartOfReply('> only a quote')).toBe('> only a quote');
    expect(newPartOfReply('From: someone\nbody')).toBe('From: someone\nbody');
  });

  it('never answers empty for text with content, and never grows the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const out = newPartOfReply(s);
        expect(out.length).toBeLessThanOrEqual(s.length);
        if (s.trim() !== '') expect(out.trim()).not.toBe('');
      }),
    );
  });
});
