/** Labels the channel adapters put into messages, and the module's errors. */
export const notify = {
  zh: {
    notify: {
      actions: { acknowledge: '确认', resolve: '解决', view: '查看详情' },
      severity: { critical: '严重', error: '错误', warning: '警告', info: '提示' },
      digest: {
        title: '{{count}} 条通知（发送频率受限，合并发送）',
        more: '另有 {{count}} 条未列出，请在 Dutydesk 中查看',
      },
      verification: { body: '您的 Dutydesk 验证码是 {{code}}，{{minutes}} 分钟内有效。' },
      voice: { intro: 'Dutydesk 告警。', outro: '请登录 Dutydesk 确认。' },
      errors: {
        ssrf: '地址 {{url}} 不允许：{{reason}}（如确需使用内网地址，请管理员加入允许列表）',
        invalidPhone: '电话号码 {{phone}} 不是国际格式（例如 +8613800138000）',
        unverified: '联系方式未验证，不能用于呼叫',
      },
    },
  },
  en: {
    notify: {
      actions: { acknowledge: 'Acknowledge', resolve: 'Resolve', view: 'View details' },
      severity: { critical: 'Critical', error: 'Error', warning: 'Warning', info: 'Info' },
      digest: {
        title: '{{count}} notifications (rate limited, sent as one)',
        more: '{{count}} more not listed; see Dutydesk',
      },
      verification: {
        body: 'Your Dutydesk verification code is {{code}}; it expires in {{minutes}} minutes.',
      },
      voice: { intro: 'Dutydesk alert.', outro: 'Please acknowledge in Dutydesk.' },
      errors: {
        ssrf: 'Address {{url}} is not allowed: {{reason}} (an admin can add internal addresses to the allow-list)',
        invalidPhone: 'Phone number {{phone}} is not in international format (e.g. +8613800138000)',
        unverified: 'This contact method is not verified and cannot be used for paging',
      },
    },
  },
};
