import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_VIEWS,
  TEMPLATE_PLACEHOLDERS,
  fillTemplate,
  unknownPlaceholders,
  viewQuerySchema,
} from './ticket-views.js';

describe('reply templates', () => {
  it('fills known placeholders once and keeps the rest of the text', () => {
    expect(
      fillTemplate('您好 {{callerName}}，工单 {{ number }} 已受理。{{unknown}}', {
        callerName: '王小明',
        number: 'TK-20261128-0001',
      }),
    ).toBe('您好 王小明，工单 TK-20261128-0001 已受理。{{unknown}}');
    expect(unknownPlaceholders('{{title}} {{foo}} {{bar}} {{foo}}')).toEqual(['foo', 'bar']);
  });

  it('never expands a value, and text without braces is unchanged (property)', () => {
    const name = fc.constantFrom(...TEMPLATE_PLACEHOLDERS);
    fc.assert(
      fc.property(fc.string(), fc.string(), name, (text, value, key) => {
        const plain = text.replace(/[{}]/g, '');
        expect(fillTemplate(plain, { [key]: value })).toBe(plain);
        // The value is inserted verbatim even when it looks like a placeholder.
        expect(fillTemplate(`a{{${key}}}b`, { [key]: `{{${key}}}${value}` })).toBe(
          `a{{${key}}}${value}b`,
        );
      }),
    );
  });

  it('built-in views are valid filter sets', () => {
    for (const q of Object.values(BUILTIN_VIEWS))
      expect(viewQuerySchema.safeParse(q).success).toBe(true);
  });
});
