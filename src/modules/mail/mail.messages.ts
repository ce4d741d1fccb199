/** Server-side messages of the mail intake (zh default, en), merged by src/i18n/catalog.ts. */
export const mail = {
  zh: {
    entities: { mailInbound: '收到的邮件' },
    mail: {
      errors: {
        notHeld: '只有被暂存或被忽略的邮件可以重新处理或丢弃（当前状态“{{status}}”）',
        noContent: '此邮件的原文未保存（过大或已删除），无法重新处理',
      },
      image: { blocked: '[已屏蔽外部图片]' },
    },
  },
  en: {
    entities: { mailInbound: 'received mail' },
    mail: {
      errors: {
        notHeld: 'Only a held or ignored mail can be reprocessed or discarded (it is “{{status}}”)',
        noContent:
          'The original of this mail was not kept (too large, or discarded): it cannot be reprocessed',
      },
      image: { blocked: '[remote image blocked]' },
    },
  },
};
