import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  attachmentMetaSchema,
  MAX_ATTACHMENT_BYTES,
  parseTicketInput,
  phoneTicketCreateSchema,
  portalTicketCreateSchema,
  replySchema,
  assertCategoryMove,
  requireCategory,
  stateChangeSchema,
  surveySchema,
} from './tickets.schema.js';
import { tickets } from './tickets.messages.js';
import { ticketCollab } from './ticket-collab.messages.js';
import { TICKET_STATUSES, TICKET_TYPES } from './ticket-state.js';
import { DomainError } from '../../lib/errors.js';

const phone = {
  channel: 'phone',
  callerName: '王先生',
  callerContact: '+86 138-0013-8000',
  organisation: '某某银行',
  type: 'fault',
  categoryId: 'net.switch',
  impact: 'high',
  urgency: 'medium',
  title: '三楼断网',
  description: '三楼整层断网，影响营业',
};

function refusal(fn: () => unknown): { field?: string; key: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { field: e.field, key: e.messageKey };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('ticket input schemas', () => {
  it('accepts a complete phone ticket, trimming text', () => {
    expect(
      parseTicketInput(phoneTicketCreateSchema, { ...phone, callerName: ' 王先生 ' }).callerName,
    ).toBe('王先生');
    expect(
      parseTicketInput(phoneTicketCreateSchema, { ...phone, callerContact: 'wang@bank.cn' })
        .callerContact,
    ).toBe('wang@bank.cn');
    expect(
      parseTicketInput(phoneTicketCreateSchema, { ...phone, callerContact: '010-12345678 转 801' }),
    ).toBeTruthy();
  });

  it('refuses a phone ticket without caller contact, naming the field', () => {
    const { callerContact: _omit, ...rest } = phone;
    expect(refusal(() => parseTicketInput(phoneTicketCreateSchema, rest))).toEqual({
      field: 'callerContact',
      key: 'validation.required',
    });
    expect(
      refusal(() => parseTicketInput(phoneTicketCreateSchema, { ...phone, callerContact: '   ' })),
    ).toEqual({
      field: 'callerContact',
      key: 'validation.required',
    });
    expect(
      refusal(() =>
        parseTicketInput(phoneTicketCreateSchema, { ...phone, callerContact: 'call me' }),
      ),
    ).toEqual({
      field: 'callerContact',
      key: 'tickets.errors.callerContact',
    });
  });

  it('refuses unknown fields and bad enums', () => {
    expect(
      refusal(() => parseTicketInput(phoneTicketCreateSchema, { ...phone, priority: 'P1' })),
    ).toEqual({
      field: 'priority',
      key: 'validation.unknownField',
    });
    expect(
      refusal(() =>
        parseTicketInput(portalTicketCreateSchema, {
          ...phone,
          channel: 'portal',
          callerName: undefined,
          callerContact: undefined,
          organisation: undefined,
          type: 'bug',
        }),
      ).field,
    ).toBe('type');
  });

  it('refuses oversized and dangerous attachments, naming the field', () => {
    const ok = { fileName: '现场照片.jpg', contentType: 'image/jpeg', sizeBytes: 1024 };
    expect(parseTicketInput(attachmentMetaSchema, ok)).toEqual(ok);
    expect(
      parseTicketInput(attachmentMetaSchema, { ...ok, contentType: 'Image/JPEG; name="a.jpg"' })
        .contentType,
    ).toBe('image/jpeg');
    expect(
      refusal(() =>
        parseTicketInput(attachmentMetaSchema, { ...ok, sizeBytes: MAX_ATTACHMENT_BYTES + 1 }),
      ),
    ).toEqual({
      field: 'sizeBytes',
      key: 'tickets.errors.attachmentTooLarge',
    });
    expect(
      refusal(() => parseTicketInput(attachmentMetaSchema, { ...ok, contentType: 'text/html' })),
    ).toEqual({
      field: 'contentType',
      key: 'tickets.errors.attachmentType',
    });
    expect(
      refusal(() => parseTicketInput(attachmentMetaSchema, { ...ok, fileName: 'invoice.pdf.exe' })),
    ).toEqual({
      field: 'fileName',
      key: 'tickets.errors.attachmentName',
    });
    expect(
      refusal(() => parseTicketInput(attachmentMetaSchema, { ...ok, fileName: 'logo.SVG' })).field,
    ).toBe('fileName');
  });

  it('checks replies, state changes and surveys', () => {
    expect(parseTicketInput(replySchema, { body: '已重启', visibility: 'public' }).format).toBe(
      'text',
    );
    expect(refusal(() => parseTicketInput(stateChangeSchema, { action: 'auto_close' })).field).toBe(
      'action',
    );
    expect(
      parseTicketInput(stateChangeSchema, { action: 'resolve', note: '更换端口' }).action,
    ).toBe('resolve');
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10 }), (score) => {
        const ok = surveySchema.safeParse({ score, comment: '很好' }).success;
        expect(ok).toBe(score >= 1 && score <= 5);
      }),
    );
    expect(refusal(() => parseTicketInput(surveySchema, { score: 4.5 })).field).toBe('score');
  });

  it('refuses unknown or retired categories and returns the path otherwise', () => {
    const cats = [
      { id: 'net', parentId: null, active: true },
      { id: 'net.switch', parentId: 'net', active: true },
      { id: 'old', parentId: null, active: false },
      { id: 'a', parentId: 'b', active: true },
      { id: 'b', parentId: 'a', active: true },
    ];
    expect(requireCategory('net.switch', cats).map((c) => c.id)).toEqual(['net', 'net.switch']);
    expect(refusal(() => requireCategory('nope', cats))).toEqual({
      field: 'categoryId',
      key: 'tickets.errors.unknownCategory',
    });
    expect(refusal(() => requireCategory('old', cats)).key).toBe('tickets.errors.unknownCategory');
    expect(refusal(() => requireCategory('a', cats)).key).toBe('tickets.errors.categoryCycle');
  });
});

describe('assertCategoryMove', () => {
  const cats = [
    { id: 'net', parentId: null },
    { id: 'net.switch', parentId: 'net' },
    { id: 'net.switch.port', parentId: 'net.switch' },
    { id: 'pc', parentId: null },
  ];
  it('refuses moving under itself, a descendant or an unknown category, naming parentId', () => {
    expect(refusal(() => assertCategoryMove('net', 'net', cats))).toEqual({
      field: 'parentId',
      key: 'tickets.errors.categoryCycle',
    });
    expect(refusal(() => assertCategoryMove('net', 'net.switch.port', cats)).key).toBe(
      'tickets.errors.categoryCycle',
    );
    expect(refusal(() => assertCategoryMove('net', 'nope', cats)).key).toBe(
      'tickets.errors.unknownCategory',
    );
    expect(() => assertCategoryMove('net.switch', 'pc', cats)).not.toThrow();
    expect(() => assertCategoryMove('net.switch', null, cats)).not.toThrow();
  });

  it('keeps every tree a tree: after any sequence of accepted moves no category has a cycle', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...ids), fc.option(fc.constantFrom(...ids), { nil: null })),
          { maxLength: 30 },
        ),
        (moves) => {
          let tree = ids.map((id) => ({ id, parentId: null as string | null, active: true }));
          for (const [id, parentId] of moves) {
            try {
              assertCategoryMove(id, parentId, tree);
            } catch {
              continue;
            }
            tree = tree.map((c) => (c.id === id ? { ...c, parentId } : c));
          }
          for (const c of tree) expect(requireCategory(c.id, tree).at(-1)?.id).toBe(c.id);
        },
      ),
    );
  });
});

describe('ticket messages', () => {
  type Tree = { [k: string]: string | Tree };
  const keys = (t: Tree, prefix = ''): string[] =>
    Object.entries(t).flatMap(([k, v]) =>
      typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`),
    );
  it('has the same keys in Chinese and English, with the same placeholders', () => {
    expect(keys(tickets.zh).sort()).toEqual(keys(tickets.en).sort());
    const get = (t: Tree, key: string) =>
      key.split('.').reduce<Tree | string>((n, k) => (n as Tree)[k]!, t) as string;
    for (const k of keys(tickets.zh)) {
      const ph = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort();
      expect(ph(get(tickets.zh, k)), k).toEqual(ph(get(tickets.en, k)));
    }
  });
  it('labels every status and type', () => {
    for (const s of TICKET_STATUSES) expect(tickets.zh.tickets.status[s]).toBeTruthy();
    for (const t of TICKET_TYPES) expect(tickets.en.tickets.type[t]).toBeTruthy();
  });
  it('has a message for every tickets.* key the code can throw', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const dir = new URL('.', import.meta.url);
    const used = new Set<string>();
    for (const f of await readdir(dir))
      if (f.endsWith('.ts') && !f.endsWith('.test.ts'))
        for (const m of (await readFile(new URL(f, dir), 'utf8')).matchAll(
          /'(tickets\.errors\.\w+)'/g,
        ))
          used.add(m[1]!);
    const all = new Set([...keys(tickets.zh), ...keys(ticketCollab.zh)]);
    for (const k of used) expect(all, k).toContain(k);
    expect(used.size).toBeGreaterThan(15);
  });
});
